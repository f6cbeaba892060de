"""Problems in Wagtail's admin: the moderation queue, the taxonomy snippets, audit actions."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet

from . import services
from .backoffice.views import (
    BULK_ACTIONS,
    ProblemCategoryViewSet,
    ProblemsGroup,
    ProblemViewSet,
)


register_snippet(ProblemCategoryViewSet)
register_snippet(ProblemViewSet)


@hooks.register("register_admin_viewset")
def register_moderation():
    return ProblemsGroup()


for _action in BULK_ACTIONS:
    hooks.register("register_bulk_action", _action)


@hooks.register("register_log_actions")
def register_moderation_actions(actions):
    actions.register_action(services.VERIFY, _("Verify problem report"), _("Verified"))
    actions.register_action(services.RESOLVE, _("Resolve problem report"), _("Marked resolved"))
    actions.register_action(
        services.IN_INTERVENTION, _("Problem report taken up"), _("Taken up by an intervention")
    )
    actions.register_action(
        services.REOPEN, _("Problem report open again"), _("Open again after an intervention")
    )

    @actions.register_action(services.REJECT)
    class RejectFormatter(LogFormatter):
        label = _("Reject problem report")

        def format_message(self, log_entry):
            return _("Rejected: %(reason)s") % {"reason": log_entry.data.get("reason", "")}

    @actions.register_action(services.MERGE)
    class MergeFormatter(LogFormatter):
        label = _("Merge problem report")

        def format_message(self, log_entry):
            return _("Merged into %(number)s") % {"number": log_entry.data.get("into", "")}
