"""The SMS a problem report sends (declared with the gateway; imported by ProblemsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from sms.purposes import declare


REPORT_CODE = declare("report_code", _("Code to confirm a report"), transactional=True, code=True)
REPORT_RECEIPT = declare("report_receipt", _("Report receipt"), transactional=True)
REPORT_LINK = declare("report_link", _("Link to the report form"), transactional=False)
# A change in something the person sent: suppressed after an opt-out.
STATUS_UPDATE = declare("report_update", _("Report status update"), transactional=False)
