"""Accounts' place in Wagtail's admin: the members' listing and the sign-in audit actions."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.log_actions import LogFormatter

from . import services
from .backoffice import MemberViewSet, ProposedChangeViewSet, review


@hooks.register("register_admin_viewset")
def register_members():
    return MemberViewSet("group_member")


@hooks.register("register_admin_viewset")
def register_proposed_changes():
    return ProposedChangeViewSet("proposed_changes")


@hooks.register("register_admin_urls")
def register_review_url():
    return [path("proposed-changes/<int:pk>/review/", review, name="accounts_review_change")]


@hooks.register("register_log_actions")
def register_sign_in_actions(actions):
    actions.register_action(services.SIGN_IN, _("Group member signed in"), _("Signed in"))
    actions.register_action(services.SIGN_OUT, _("Group member signed out"), _("Signed out"))
    actions.register_action(
        services.LOCKED_OUT,
        _("Group member locked out"),
        _("Locked out after too many wrong codes"),
    )
    actions.register_action(services.MEMBER_ADDED, _("Co-member added"), _("Co-member added"))
    actions.register_action(services.MEMBER_REMOVED, _("Co-member removed"), _("Co-member removed"))

    actions.register_action(
        services.WITHDRAWN, _("Registration withdrawn by the group"), _("Withdrawn by the group")
    )

    @actions.register_action(services.MOBILE_CHANGED)
    class MobileChangedFormatter(LogFormatter):
        label = _("Representative's mobile changed")

        def format_message(self, log_entry):
            return _("Representative's mobile changed from %(old)s to %(new)s") % {
                "old": log_entry.data.get("old"),
                "new": log_entry.data.get("new"),
            }

    for action, label in (
        (services.PROFILE_EDITED, _("Profile edited by the group")),
        (services.CHANGE_PROPOSED, _("Change proposed by the group")),
        (services.CHANGE_ACCEPTED, _("Proposed change accepted")),
        (services.CHANGE_DECLINED, _("Proposed change declined")),
    ):
        actions.register_action(action)(_changes_formatter(label))


def _changes_formatter(action_label):
    class ChangesFormatter(LogFormatter):
        label = action_label

        def format_message(self, log_entry):
            changes = log_entry.data.get("changes") or {}
            parts = [
                f"{name}: {values.get('old')!r} → {values.get('new')!r}"
                for name, values in changes.items()
            ]
            return f"{action_label}: " + "; ".join(parts)

    return ChangesFormatter
