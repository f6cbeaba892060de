"""The two-factor page in the admin account: see whether it is on, turn it on or off.

Turning on creates an unconfirmed device and shows its QR code and secret until a code from
the app confirms it; turning off needs a current code. Every change is a POST followed by
a redirect, so reloading the page repeats nothing.
"""

from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

import django_otp
from django_otp import DEVICE_ID_SESSION_KEY

from . import devices
from .forms import CodeForm


class TwoFactorView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "twofactor/manage.html"
    page_title = gettext_lazy("Two-factor sign-in")
    header_icon = "key"

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("wagtailadmin_account"), "label": _("Account")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        device = devices.confirmed_device(user)
        pending = None if device else devices.pending_device(user)
        context.update(
            enabled=device is not None,
            device=device,
            pending=pending,
            form=form or CodeForm(user=user, confirmed=device is not None),
        )
        if pending:
            context.update(
                qr_svg=devices.qr_svg(pending), secret=devices.secret_for_display(pending)
            )
        return context

    def post(self, request):
        user = request.user
        action = request.POST.get("action")
        if action == "start":
            if not devices.has_two_factor(user):
                devices.start_enrolment(user)
            return redirect("twofactor")
        if action == "cancel":
            devices.cancel_enrolment(user)
            return redirect("twofactor")
        if action not in ("confirm", "disable"):
            return HttpResponseBadRequest()

        enabled = devices.has_two_factor(user)
        if (action == "confirm") == enabled:
            return redirect("twofactor")  # a stale page: the state changed meanwhile
        form = CodeForm(request.POST, user=user, confirmed=enabled)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))

        if action == "confirm":
            devices.confirm(form.device, by=user)
            # This session has just proved the code: it counts as verified from now on.
            django_otp.login(request, form.device)
            messages.success(request, _("Two-factor sign-in is on."))
        else:
            devices.delete_devices(user, by=user)
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
            messages.success(request, _("Two-factor sign-in is off."))
        return redirect("twofactor")
