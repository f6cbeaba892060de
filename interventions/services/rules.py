"""Errors and who may do what: shared by the stage moves, the stage records and every face."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..choices import Stage
from ..models import Intervention


# Audit-log actions (Wagtail log entries), registered in wagtail_hooks.
OPEN = "interventions.open"
ADVANCE = "interventions.advance"
REOPEN = "interventions.reopen"
CLOSE = "interventions.close"
RECORD = "interventions.record"

COORDINATE = "interventions.coordinate_intervention"


class InterventionError(Exception):
    """A refusal the user can act on; its message is translated and shown as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_coordinator(user) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.has_perm(COORDINATE)))


def facilitates(intervention: Intervention, *, user=None, registration_ids=()) -> bool:
    """Whether this staff user, or one of these (signed-in) registrations, facilitates it."""
    if intervention.facilitator_user_id is not None:
        return user is not None and intervention.facilitator_user_id == user.pk
    return intervention.facilitator_registration_id in set(registration_ids)


def require_stage(intervention: Intervention, *stages: str) -> None:
    if intervention.stage == Stage.CLOSED:
        raise InterventionError(_("This intervention is closed."))
    if intervention.stage not in stages:
        names = (", " if get_language() == "en" else "، ").join(
            str(Stage(stage).label) for stage in stages
        )
        raise InterventionError(
            _("This can be recorded only in the %(stages)s stage.") % {"stages": names}
        )
