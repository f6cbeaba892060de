"""The SMS an intervention sends (declared with the gateway; imported by InterventionsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from sms.purposes import declare


# A participant told of a stage change: not asked for, so suppressed after an opt-out.
STAGE_UPDATE = declare("stage_update", _("Intervention stage update"), transactional=False)
