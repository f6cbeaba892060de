"""What the database itself refuses, whatever code writes the rows."""

from django.db import IntegrityError, transaction
from django.utils import timezone

import pytest

from interventions.choices import ChangeKind, Stage
from interventions.models import (
    Activity,
    Consultation,
    Intervention,
    NeedsAssessment,
    Objective,
    Plan,
    StageChange,
)

from .support import day, facilitator, staff


pytestmark = pytest.mark.django_db


def row(campaign, **fields):
    values = {
        "title": "t",
        "aim": "a",
        "province": "tehran",
        "city": "تهران",
        "start_date": day(),
        "stage_entered_at": timezone.now(),
    }
    values.update(fields)
    return Intervention(**values)


def refused(instance):
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


def test_exactly_one_facilitator(demo):
    refused(row(demo))
    refused(row(demo, facilitator_registration=facilitator(demo), facilitator_user=staff()))
    assert row(demo, facilitator_user=staff()).save() is None


def test_closed_only_with_outcome_and_time(demo):
    user = staff()
    refused(row(demo, facilitator_user=user, stage=Stage.CLOSED))
    refused(row(demo, facilitator_user=user, outcome="resolved"))
    refused(row(demo, facilitator_user=user, stage="somewhere"))
    row(
        demo,
        facilitator_user=user,
        stage=Stage.CLOSED,
        outcome="resolved",
        closed_at=timezone.now(),
    ).save()


def test_public_ids_are_random(demo):
    user = staff()
    first, second = row(demo, facilitator_user=user), row(demo, facilitator_user=user)
    first.save()
    second.save()
    assert first.public_id != second.public_id and first.public_id.version == 4


def test_activity_dates_and_done_time(demo):
    intervention = row(demo, facilitator_user=staff())
    intervention.save()
    objective = Objective.objects.create(
        plan=Plan.objects.create(intervention=intervention), title="o"
    )
    refused(Activity(objective=objective, title="x", starts_on=day(5), ends_on=day(1)))
    refused(Activity(objective=objective, title="x", starts_on=day(), ends_on=day(), done=True))


def test_counts_positive_and_reopen_needs_reason(demo):
    intervention = row(demo, facilitator_user=staff())
    intervention.save()
    assessment = NeedsAssessment.objects.create(intervention=intervention)
    refused(Consultation(assessment=assessment, kind="women", count=0))
    refused(
        StageChange(
            intervention=intervention,
            kind=ChangeKind.REOPEN,
            from_stage=Stage.PLANNING,
            to_stage=Stage.PRIORITISATION,
            at=timezone.now(),
        )
    )
