"""Thin views: validate the form, call the service, choose the next page."""

import contextlib
import logging
from functools import wraps

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from persian import phones

from .. import services
from ..choices import Status
from ..forms import ConfirmForm, RegistrationForm, StatusLookupForm, form_started_token
from ..models import Registration
from ..services import ratelimits
from . import websession


logger = logging.getLogger(__name__)


def limit_body(view):
    """Refuse request bodies larger than a registration can need, before reading them."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REGISTRATION_MAX_BODY_BYTES:
            return render(request, "registrations/too_large.html", status=413)
        return view(request, *args, **kwargs)

    return wrapper


def _rate_limited(request, group: str, rate: str, key="ip") -> bool:
    return ratelimits.hit(request, group=group, rate=rate, key=key)


def _campaign_or_404(campaign_slug):
    campaign = services.live_campaign(campaign_slug)
    if campaign is None or not campaign.registration_open:
        raise Http404
    return campaign


def _own_registration(request, campaign, handle) -> Registration | None:
    """The registration behind a handle this browser was given; None for anyone else."""
    return websession.registration_for(request, handle, services.source_campaign(campaign))


@limit_body
@websession.keeps_handles
def register(request, campaign_slug):
    campaign = _campaign_or_404(campaign_slug)
    token = request.POST.get("sms_token") or request.GET.get("t") or ""
    draft = None
    if token:
        try:
            draft = services.registration_from_sms_link(token, campaign=campaign)
        except services.LinkInvalid as error:
            return render(
                request,
                "registrations/link_invalid.html",
                {"campaign": campaign, "message": str(error)},
                status=400,
            )
    locked_mobile = draft.mobile if draft else None
    context = {"campaign": campaign, "page": campaign, "sms_token": token if draft else ""}

    if request.method == "POST":
        form = RegistrationForm(request.POST, campaign=campaign, locked_mobile=locked_mobile)
        limited = _rate_limited(request, "register-ip", settings.REGISTRATION_IP_RATE) or (
            draft is None
            and _rate_limited(
                request,
                "register-mobile",
                settings.REGISTRATION_MOBILE_RATE,
                key=ratelimits.mobile_key(request.POST.get("mobile")),
            )
        )
        if limited:
            form.is_valid()
            form.add_error(None, _("Too many attempts from here. Please wait a few minutes."))
        elif form.is_valid() and form.use_start_token():
            data = form.registration_data()
            try:
                if draft is not None:
                    outcome = services.complete_from_sms_link(
                        registration=draft, data=data, language=get_language()
                    )
                else:
                    outcome = services.register(
                        campaign=campaign, data=data, source="web", language=get_language()
                    )
            except services.AlreadyRegistered as error:
                if draft is None and error.registration.status == Status.AWAITING_CONFIRMATION:
                    return _continue_waiting(request, campaign, error)
                context["already_registered"] = True
                form.add_error("mobile", str(error))
            except services.RegistrationError as error:
                form.add_error(error.field, str(error))
            else:
                handle = websession.remember(request, outcome.registration)
                if not outcome.needs_code:
                    websession.mark_confirmed(request, handle)
                target = "registrations:confirm" if outcome.needs_code else "registrations:done"
                return redirect(target, campaign_slug=campaign.slug, public_id=handle)
        if hasattr(form, "refresh_start_if_lost"):
            form.refresh_start_if_lost()
        status = 429 if limited else 400
    else:
        form = RegistrationForm(
            campaign=campaign,
            locked_mobile=locked_mobile,
            initial={"started": form_started_token()},
        )
        status = 200
    context["form"] = form
    return render(request, "registrations/register.html", context, status=status)


def _continue_waiting(request, campaign, error: services.AlreadyRegistered):
    """Someone typed a number whose registration waits for its code: send the code to that
    number and let this browser continue under a fresh handle. Only the number's owner can
    read the code; the page shows nothing the visitor did not type."""
    from django.contrib import messages

    registration = error.registration
    # A code sent a moment ago (or today's last one) is still the one to type.
    with contextlib.suppress(services.RegistrationError):
        services.resend_code(registration=registration)
    handle = websession.remember(request, registration, fresh=True)
    messages.info(request, f"{error} {_('If it is yours, enter the code sent to it by SMS.')}")
    return redirect("registrations:confirm", campaign_slug=campaign.slug, public_id=handle)


@limit_body
@websession.keeps_handles
def confirm(request, campaign_slug, public_id):
    campaign = _campaign_or_404(campaign_slug)
    registration = _own_registration(request, campaign, public_id)
    if registration is None:
        return redirect("registrations:register", campaign_slug=campaign.slug)
    if registration.status not in (Status.AWAITING_CONFIRMATION,):
        if registration.status == Status.DRAFT:
            return redirect("registrations:register", campaign_slug=campaign.slug)
        return redirect("registrations:done", campaign_slug=campaign.slug, public_id=public_id)
    status = 200
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        if _rate_limited(request, "confirm-ip", settings.REGISTRATION_IP_RATE):
            form.is_valid()
            form.add_error(None, _("Too many attempts from here. Please wait a few minutes."))
            status = 429
        elif form.is_valid():
            try:
                services.confirm(registration=registration, code=form.cleaned_data["code"])
            except services.RegistrationError as error:
                form.add_error("code", str(error))
                status = 400
            else:
                websession.mark_confirmed(request, public_id)
                return redirect(
                    "registrations:done", campaign_slug=campaign.slug, public_id=public_id
                )
        else:
            status = 400
    else:
        form = ConfirmForm()
    return render(
        request,
        "registrations/confirm.html",
        {
            "campaign": campaign,
            "page": campaign,
            "handle": public_id,
            "form": form,
            "masked_mobile": phones.masked(registration.mobile),
            "resend_wait": services.seconds_until_resend(registration),
        },
        status=status,
    )


@require_POST
@limit_body
def resend(request, campaign_slug, public_id):
    campaign = _campaign_or_404(campaign_slug)
    registration = _own_registration(request, campaign, public_id)
    if registration is None:
        return redirect("registrations:register", campaign_slug=campaign.slug)
    from django.contrib import messages

    if _rate_limited(request, "resend-ip", settings.REGISTRATION_IP_RATE):
        messages.error(request, _("Too many attempts from here. Please wait a few minutes."))
    else:
        try:
            services.resend_code(registration=registration)
        except services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("A new code is on its way."))
    return redirect("registrations:confirm", campaign_slug=campaign.slug, public_id=public_id)


def done(request, campaign_slug, public_id):
    """The tracking code, for the browser that confirmed; anyone else looks it up by code."""
    campaign = _campaign_or_404(campaign_slug)
    registration = _own_registration(request, campaign, public_id)
    if registration is not None and registration.status in (
        Status.DRAFT,
        Status.AWAITING_CONFIRMATION,
    ):
        return redirect("registrations:confirm", campaign_slug=campaign.slug, public_id=public_id)
    if registration is None or not websession.confirmed_here(request, public_id):
        return redirect("registrations:status", campaign_slug=campaign.slug)
    return render(
        request,
        "registrations/done.html",
        {"campaign": campaign, "page": campaign, "registration": registration},
    )


@limit_body
def status_lookup(request, campaign_slug):
    campaign = services.live_campaign(campaign_slug)
    if campaign is None:
        raise Http404
    result = None
    status = 200
    if request.method == "POST":
        form = StatusLookupForm(request.POST)
        if _rate_limited(request, "status-ip", settings.STATUS_LOOKUP_IP_RATE):
            form.is_valid()
            form.add_error(None, _("Too many attempts from here. Please wait a few minutes."))
            status = 429
        elif form.is_valid():
            result = services.find_by_tracking_code(
                tracking_code=form.cleaned_data["tracking_code"],
                mobile=form.cleaned_data["mobile"],
            )
            if result is None:
                form.add_error(
                    None, _("No registration matches this tracking code and mobile number.")
                )
                status = 404
        else:
            status = 400
    else:
        form = StatusLookupForm()
    return render(
        request,
        "registrations/status.html",
        {"campaign": campaign, "page": campaign, "form": form, "result": result},
        status=status,
    )


def sms_link(request, token):
    """The short link sent by SMS: open the right campaign's form with the mobile verified."""
    try:
        registration = services.registration_from_sms_link(token)
    except services.LinkInvalid as error:
        return render(
            request, "registrations/link_invalid.html", {"message": str(error)}, status=400
        )
    url = reverse("registrations:register", kwargs={"campaign_slug": registration.campaign.slug})
    return redirect(f"{url}?t={token}")
