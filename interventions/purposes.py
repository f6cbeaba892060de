"""The SMS an intervention sends (declared with the gateway; imported by InterventionsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from sms.purposes import declare


# News of work the group agreed to take part in: suppressed after an opt-out.
STAGE_UPDATE = declare("iv_stage", _("Intervention stage change"), transactional=False)
INVITATION = declare("iv_invitation", _("Invitation to an intervention"), transactional=False)
