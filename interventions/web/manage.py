"""The facilitator's pages (/interventions/manage/): a registered facilitator, signed in like
a group (accounts), records the stages of the interventions it facilitates — and only those:
any other intervention is a 404, the same answer as one that does not exist."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.services import signed_in_group

from .. import forms as stage_forms
from ..models import Intervention
from ..pages import stage_context
from ..services import stages
from ..services.rules import InterventionError


def _facilitated(request):
    """The interventions the signed-in account's registrations (or this staff member)
    facilitate, or None for anyone else."""
    user = request.user
    if user.is_authenticated and user.is_staff and user.is_active:
        return Intervention.objects.filter(facilitator_user=user)
    group = signed_in_group(request)
    if group is None:
        return None
    return Intervention.objects.filter(
        facilitator_registration__in=group.registrations.values("pk")
    )


def _one(request, public_id) -> Intervention:
    facilitated = _facilitated(request)
    intervention = (
        facilitated.filter(public_id=public_id).first() if facilitated is not None else None
    )
    if intervention is None:
        raise Http404
    return intervention


@never_cache
def manage_list(request):
    facilitated = _facilitated(request)
    if facilitated is None:
        return redirect("accounts:account")
    return render(
        request,
        "interventions/manage/list.html",
        {"interventions": facilitated.only("public_id", "title", "stage", "city", "province")},
    )


@never_cache
def manage_detail(request, public_id):
    intervention = _one(request, public_id)
    context = stage_context(
        intervention,
        coordinator=False,
        record_url=lambda name: reverse(
            "interventions:manage-record", args=(intervention.public_id, name)
        ),
    )
    context["advance_url"] = reverse("interventions:manage-advance", args=(intervention.public_id,))
    return render(request, "interventions/manage/detail.html", context)


@require_POST
def manage_record(request, public_id, name):
    intervention = _one(request, public_id)
    if stage_forms.too_large(request):
        return render(request, "registrations/too_large.html", status=413)
    saved, errors = stage_forms.record(
        intervention, name, request.POST, request.FILES, user=request.user
    )
    if saved:
        messages.success(request, stage_forms.saved_message())
    for error in errors:
        messages.error(request, error)
    return redirect("interventions:manage-detail", public_id=intervention.public_id)


@require_POST
def manage_advance(request, public_id):
    intervention = _one(request, public_id)
    try:
        stages.advance(intervention, user=request.user)
    except InterventionError as error:
        messages.error(request, error.message)
    return redirect("interventions:manage-detail", public_id=intervention.public_id)
