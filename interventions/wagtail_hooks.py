"""Interventions in Wagtail's admin: the audit actions (and, below, the back office)."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .backoffice.views import InterventionsGroup
from .choices import Stage
from .services import rules


def _stage(code) -> str:
    return str(Stage(code).label) if code in Stage.values else ""


@hooks.register("register_log_actions")
def register_intervention_actions(actions):
    actions.register_action(rules.OPEN, _("Open intervention"), _("Opened"))

    @actions.register_action(rules.ADVANCE)
    class AdvanceFormatter(LogFormatter):
        label = _("Advance intervention")

        def format_message(self, log_entry):
            return _("Moved to %(stage)s") % {"stage": _stage(log_entry.data.get("to"))}

    @actions.register_action(rules.REOPEN)
    class ReopenFormatter(LogFormatter):
        label = _("Reopen intervention stage")

        def format_message(self, log_entry):
            return _("Back to %(stage)s: %(reason)s") % {
                "stage": _stage(log_entry.data.get("to")),
                "reason": log_entry.data.get("reason", ""),
            }

    @actions.register_action(rules.CLOSE)
    class CloseFormatter(LogFormatter):
        label = _("Close intervention")

        def format_message(self, log_entry):
            return _("Closed with its evaluation")

    @actions.register_action(rules.RECORD)
    class RecordFormatter(LogFormatter):
        label = _("Record intervention stage content")

        def format_message(self, log_entry):
            return _("Recorded: %(what)s") % {"what": log_entry.data.get("what", "")}


@hooks.register("register_admin_viewset")
def register_interventions():
    return InterventionsGroup()
