"""Accounts' place in Wagtail's admin: the members' listing and the sign-in audit actions."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from . import services
from .backoffice import MemberViewSet


@hooks.register("register_admin_viewset")
def register_members():
    return MemberViewSet("group_member")


@hooks.register("register_log_actions")
def register_sign_in_actions(actions):
    actions.register_action(services.SIGN_IN, _("Group member signed in"), _("Signed in"))
    actions.register_action(services.SIGN_OUT, _("Group member signed out"), _("Signed out"))
    actions.register_action(
        services.LOCKED_OUT,
        _("Group member locked out"),
        _("Locked out after too many wrong codes"),
    )
