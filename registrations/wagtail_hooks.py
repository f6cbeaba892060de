"""The back office's place in Wagtail's admin: menu, bulk actions, audit-log actions, home panel."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .backoffice import review
from .backoffice.export_job_views import EXPORT_DOWNLOAD
from .backoffice.views import BULK_ACTIONS, BackOfficeGroup, RegistrationsPanel, user_can


@hooks.register("register_admin_viewset")
def register_back_office():
    return BackOfficeGroup()


for _action in BULK_ACTIONS:
    hooks.register("register_bulk_action", _action)


@hooks.register("register_log_actions")
def register_review_actions(actions):
    actions.register_action(review.APPROVE, _("Approve registration"), _("Approved"))

    @actions.register_action(review.REJECT)
    class RejectFormatter(LogFormatter):
        label = _("Reject registration")

        def format_message(self, log_entry):
            return _("Rejected: %(reason)s") % {"reason": log_entry.data.get("reason", "")}

    @actions.register_action(review.RESEND)
    class ResendFormatter(LogFormatter):
        label = _("Resend registration SMS")

        def format_message(self, log_entry):
            return _("SMS resent (%(purpose)s)") % {"purpose": log_entry.data.get("purpose", "")}

    @actions.register_action(review.EXPORT)
    class ExportFormatter(LogFormatter):
        label = _("Export registrations")

        def format_message(self, log_entry):
            data = log_entry.data
            return _("Exported %(rows)s registrations as %(format)s; filters: %(filters)s") % {
                "rows": data.get("rows"),
                "format": str(data.get("format", "")).upper(),
                "filters": data.get("filters") or _("none"),
            }

    actions.register_action(review.RESUME_SMS, _("Resume SMS sending"), _("SMS sending resumed"))

    @actions.register_action(EXPORT_DOWNLOAD)
    class ExportDownloadFormatter(LogFormatter):
        label = _("Download a registrations export")

        def format_message(self, log_entry):
            data = log_entry.data
            return _("Downloaded an export of %(rows)s registrations as %(format)s") % {
                "rows": data.get("rows"),
                "format": str(data.get("format", "")).upper(),
            }


@hooks.register("construct_homepage_panels")
def add_registrations_panel(request, panels):
    if user_can(request.user, "view"):
        panels.append(RegistrationsPanel(request))
