"""What a stage page shows: shared by the back office and the facilitator's own pages."""

from .choices import STAGE_ORDER, Stage
from .forms import forms_for
from .services import stages


def stage_context(intervention, *, coordinator: bool, record_url) -> dict:
    """`record_url(name)` is where the named stage form posts on this face."""
    changes = list(intervention.stage_changes.select_related("by"))
    return {
        "intervention": intervention,
        "coordinator": coordinator,
        "stage_forms": [
            (name, heading, form, record_url(name))
            for name, heading, form in forms_for(intervention)
        ],
        "progress": stages.progress(intervention),
        "changes": changes,
        "time_in_stages": [
            (Stage(stage).label, spent)
            for stage, spent in stages.time_in_stages(intervention, changes=changes).items()
        ],
        "participants": intervention.participants.select_related("registration"),
        "is_closed": intervention.is_closed,
        "can_advance": intervention.stage in STAGE_ORDER[:4],
        "can_close": intervention.stage == Stage.EVALUATION,
        "can_reopen": coordinator and 0 < intervention.stage_index < len(STAGE_ORDER) - 1,
    }
