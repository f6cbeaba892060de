"""The SMS a registration sends (declared with the gateway; imported by RegistrationsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from sms.purposes import declare


VERIFICATION = declare("verification", _("Verification code"), transactional=True, code=True)
RECEIPT = declare("receipt", _("Receipt with tracking code"), transactional=True)
LINK = declare("link", _("Link to finish the form"), transactional=False)
