"""The group's side of an invitation, in its account: open the SMS link, accept or decline.

A link that does not verify, and an invitation of another group, are the same 404: the page
says nothing about invitations that are not the visitor's own.
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from accounts.services import signed_in_group
from registrations.choices import Capacity

from . import invitations
from .invitation_models import InvitationStatus
from .services.rules import InterventionError


class AcceptForm(forms.Form):
    capacities = forms.MultipleChoiceField(
        label=gettext_lazy("What your group offers this intervention"),
        choices=Capacity.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one thing your group offers.")},
    )
    show_name = forms.BooleanField(
        label=gettext_lazy("Our group's name may be shown on the intervention's public page"),
        required=False,
    )


@never_cache
def invitation_list(request):
    group = signed_in_group(request)
    if group is None:
        return redirect("accounts:account")
    rows = list(invitations.invitations_of(group))
    for row in rows:
        row.token = invitations.token_for(row)
    return render(request, "interventions/invitations.html", {"invitations": rows})


@never_cache
def invitation(request, token):
    row = invitations.from_token(token)
    if row is None:
        raise Http404
    group = signed_in_group(request)
    if group is None:
        # The intervention's title and place are public; nothing else is shown before sign-in.
        return render(
            request, "interventions/invitation.html", {"invitation": row, "signed_in": False}
        )
    if not group.registrations.filter(pk=row.registration_id).exists():
        raise Http404
    form = AcceptForm(initial={"capacities": row.registration.capacities})
    status = 200
    if request.method == "POST" and row.status not in (
        InvitationStatus.ACCEPTED,
        InvitationStatus.DECLINED,
    ):
        try:
            if request.POST.get("answer") == "decline":
                invitations.decline(row, group=group)
                messages.success(
                    request, _("You declined the invitation. Thank you for answering.")
                )
                return redirect("interventions:invitations")
            form = AcceptForm(request.POST)
            if form.is_valid():
                invitations.accept(
                    row,
                    group=group,
                    capacities=form.cleaned_data["capacities"],
                    show_name=form.cleaned_data["show_name"],
                )
                messages.success(request, _("Your group now takes part in this intervention."))
                return redirect("interventions:invitations")
            status = 400
        except InterventionError as error:
            form.add_error(None, error.message)
            status = 400
    return render(
        request,
        "interventions/invitation.html",
        {"invitation": row, "signed_in": True, "form": form},
        status=status,
    )
