"""Two-factor sign-in in Wagtail's admin: its page, the account-page entry, audit-log actions."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from . import devices
from .views import TwoFactorView


@hooks.register("register_admin_urls")
def register_two_factor_url():
    return [path("account/two-factor/", TwoFactorView.as_view(), name="twofactor")]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    on = devices.has_two_factor(request.user)
    return {
        "url": reverse("twofactor"),
        "label": _("Two-factor sign-in"),
        "help_text": _("Two-factor sign-in is on.")
        if on
        else _("Off: sign-in asks only for your password. Turn it on with an authenticator app."),
    }


@hooks.register("register_log_actions")
def register_two_factor_actions(actions):
    actions.register_action(
        devices.ENABLE, _("Turn on two-factor sign-in"), _("Two-factor sign-in turned on")
    )
    actions.register_action(
        devices.DISABLE, _("Turn off two-factor sign-in"), _("Two-factor sign-in turned off")
    )
    actions.register_action(
        devices.RESET,
        _("Reset two-factor sign-in"),
        _("Two-factor sign-in reset on the server (devices removed)"),
    )
