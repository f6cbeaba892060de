"""The SMS the interventions send (declared with the gateway when the models load)."""

from django.utils.translation import gettext_lazy as _

from sms.purposes import declare


# Neither was asked for by the person: a number that texted لغو gets neither.
STAGE_CHANGE = declare("iv_stage", _("Intervention stage change"), transactional=False)
INVITATION = declare("iv_invitation", _("Invitation to an intervention"), transactional=False)
