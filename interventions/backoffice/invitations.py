"""The coordinator's side of invitations, on the intervention's inspect view: matched groups
to invite (interventions.matching) and every invitation with its answer."""

import uuid

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import View

from wagtail.admin import messages

from registrations.choices import Status
from registrations.models import Registration

from .. import invitations, matching
from ..choices import Stage
from ..models import Intervention
from ..services.rules import InterventionError, is_coordinator


SHOWN_CANDIDATES = 20


def invitation_context(intervention: Intervention, *, coordinator: bool) -> dict:
    rows = list(
        intervention.invitations.select_related("registration").order_by("-invited_at", "-pk")
    )
    open_ = intervention.stage != Stage.CLOSED
    return {
        "invitations": rows,
        "invitation_counts": invitations.summary(intervention),
        "candidates": (
            matching.for_intervention(intervention, limit=SHOWN_CANDIDATES)
            if coordinator and open_
            else []
        ),
    }


class InviteView(View):
    """POST the chosen candidates' public ids; each is invited once (one SMS)."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if not is_coordinator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk):
        intervention = get_object_or_404(Intervention, pk=pk)
        ids = []
        for value in request.POST.getlist("group")[:200]:
            try:
                ids.append(uuid.UUID(value))
            except ValueError:
                continue
        chosen = list(Registration.objects.filter(public_id__in=ids, status=Status.APPROVED))
        try:
            made = invitations.invite(intervention, chosen, user=request.user)
        except InterventionError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d group invited by SMS.", "%(count)d groups invited by SMS.", len(made)
                )
                % {"count": len(made)}
                if made
                else _("Those groups were invited already."),
            )
        return redirect("intervention:inspect", quote(intervention.pk))

    def http_method_not_allowed(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])
