"""The SMS a group account sends (declared with the gateway; imported by AccountsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from sms.purposes import declare


SIGN_IN_CODE = declare("signin_code", _("Sign-in code"), transactional=True, code=True)
# Asked for by texting the keyword: sent even to a group that withdrew (and so opted out).
SIGN_IN_LINK = declare("signin_link", _("Sign-in link"), transactional=True)
# A co-member's mobile, or the account's new one, proved by a code typed on the site.
MOBILE_CHECK = declare("mobile_check", _("Code to confirm a mobile"), transactional=True, code=True)
# Told to the old number: a security notice, so it reaches a number that opted out.
MOBILE_CHANGED = declare(
    "mobile_changed", _("Notice that the account's mobile changed"), transactional=True
)
