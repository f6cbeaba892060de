"""Staff's view of group members: who may sign in for which group, and the audit trail.

Read-only (members are made by signing in); each member's history view lists its sign-ins,
sign-outs and lockouts from Wagtail's audit log. Imported only by wagtail_hooks.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.viewsets.model import ModelViewSet

from registrations.models import Registration

from . import services
from .models import Member, ProposedChange


class ReadableHistoryView(HistoryView):
    # Wagtail asks for add/change/delete; staff who may only read members read their trail.
    any_permission_required = ["view", "change"]


class MemberViewSet(ModelViewSet):
    model = Member
    icon = "user"
    menu_label = gettext_lazy("Group members")
    menu_order = 300
    add_to_admin_menu = True
    url_prefix = "group-members"
    history_view_class = ReadableHistoryView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["__str__", "role", "group", "last_sign_in_at", "created_at"]
    list_filter = ["role"]
    form_fields = ["role"]  # Wagtail builds an edit form; members are not edited here
    inspect_view_fields = ["mobile", "role", "group", "created_at", "last_sign_in_at"]


class ProposedChangeViewSet(ModelViewSet):
    """Changes groups proposed to approved registrations; staff accept or decline each."""

    model = ProposedChange
    icon = "edit"
    menu_label = gettext_lazy("Proposed changes")
    menu_order = 310
    add_to_admin_menu = True
    url_prefix = "proposed-changes"
    history_view_class = ReadableHistoryView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        TitleColumn(
            "registration",
            label=gettext_lazy("Registration"),
            get_url=lambda change: reverse("accounts_review_change", args=[change.pk]),
        ),
        "status",
        "created_at",
        "decided_at",
    ]
    list_filter = ["status"]
    form_fields = ["status"]  # Wagtail builds an edit form; decisions go through review()
    inspect_view_fields = ["registration", "status", "changes", "created_at", "decided_at"]


def _can_review(user) -> bool:
    return user.has_perm("registrations.review_registration")


def review(request, pk):
    """Accept or decline one proposed change (POST), after showing its old and new values."""
    if not _can_review(request.user):
        raise PermissionDenied
    change = get_object_or_404(ProposedChange.objects.select_related("registration"), pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "accept":
                services.accept_change(change, user=request.user)
                messages.success(request, _("The change is accepted and in force."))
            else:
                services.decline_change(change, user=request.user)
                messages.success(request, _("The change is declined."))
        except services.SignInError as error:
            messages.error(request, str(error))
        return redirect("proposed_changes:index")
    rows = [
        {
            "label": Registration._meta.get_field(name).verbose_name,
            "old": values["old"],
            "new": values["new"],
        }
        for name, values in change.changes.items()
    ]
    return TemplateResponse(
        request,
        "accounts/admin/review_change.html",
        {"change": change, "rows": rows, "header_title": _("Review a proposed change")},
    )
