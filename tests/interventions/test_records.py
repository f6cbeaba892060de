"""What each stage records: only in its stage, only for its own groups, nothing half-saved."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from interventions.choices import Outcome, Stage
from interventions.models import Consultation, Indicator, Need, NeedVote, ProgressPhoto
from interventions.services import records, stages
from tests.problems.support import jpeg_with_gps

from .support import approved_group, coordinator, day, opened
from .test_stages import refused, to_evaluation, to_implementation, to_planning


pytestmark = pytest.mark.django_db


@pytest.fixture
def user(db):
    return coordinator()


@pytest.fixture
def intervention(demo, user):
    return opened(demo, user=user)


def in_prioritisation(intervention, user):
    records.save_findings(intervention, findings="یافته‌ها", user=user)
    stages.advance(intervention, user=user)


def test_consultations_counted_by_kind_and_group(demo, intervention, user):
    group = records.add_participant(intervention, registration=approved_group(demo), user=user)
    records.add_consultation(intervention, kind="women", count="۱۲", participant=group, user=user)
    records.add_consultation(intervention, kind="youth", count=30, user=user)
    refused(lambda: records.add_consultation(intervention, kind="women", count="0"), "صفر")
    refused(lambda: records.add_consultation(intervention, kind="women", count="abc"), "صفر")
    refused(lambda: records.add_consultation(intervention, kind="aliens", count=3), "مشورت")
    other = opened(demo, user=user)
    stranger = records.add_participant(other, registration=approved_group(demo), user=user)
    refused(
        lambda: records.add_consultation(intervention, kind="women", count=3, participant=stranger),
        "مشارکت ندارد",
    )
    assert sorted(Consultation.objects.values_list("kind", "count")) == [
        ("women", 12),
        ("youth", 30),
    ]


def test_records_only_in_their_stage(intervention, user):
    refused(lambda: records.add_need(intervention, title="نیاز"), "اولویت‌بندی")
    in_prioritisation(intervention, user)
    refused(lambda: records.save_findings(intervention, findings="تازه"), "نیازسنجی")
    refused(lambda: records.add_objective(intervention, title="هدف"), "برنامه‌ریزی")
    refused(lambda: records.save_evaluation(intervention, outcome=Outcome.RESOLVED), "ارزیابی")
    assert not Need.objects.exists()


def test_borda_count_of_the_groups_votes_is_stored(demo, intervention, user):
    in_prioritisation(intervention, user)
    light, jobs, sport = (
        records.add_need(intervention, title=title, user=user) for title in ("نور", "کار", "ورزش")
    )
    first, second = (
        records.add_participant(intervention, registration=approved_group(demo), user=user)
        for _ in range(2)
    )
    records.vote(intervention, participant=first, ranks={jobs.pk: 1, light.pk: 2, sport.pk: 3})
    records.vote(intervention, participant=second, ranks={light.pk: 1, jobs.pk: 2})
    # A group votes again: its earlier ranking is replaced, never added to.
    records.vote(intervention, participant=second, ranks={jobs.pk: 1, light.pk: 2})
    assert NeedVote.objects.filter(participant=second).count() == 2
    ranked = records.decide(intervention, user=user)
    assert [need.title for need in ranked] == ["کار", "نور", "ورزش"]
    stored = list(Need.objects.filter(prioritisation__intervention=intervention))
    assert [(need.title, need.rank, need.score) for need in stored] == [
        ("کار", 1, 6),
        ("نور", 2, 4),
        ("ورزش", 3, 1),
    ]
    assert intervention.prioritisation.decided_at


def test_bad_votes_change_nothing(demo, intervention, user):
    in_prioritisation(intervention, user)
    light, jobs = (records.add_need(intervention, title=t, user=user) for t in ("نور", "کار"))
    group = records.add_participant(intervention, registration=approved_group(demo), user=user)
    for ranks in ({light.pk: 1, jobs.pk: 1}, {light.pk: 3}, {light.pk: 0}, {}, {999999: 1}):
        refused(lambda ranks=ranks: records.vote(intervention, participant=group, ranks=ranks))
    refused(lambda: records.vote(intervention, participant=group, ranks={light.pk: "x"}), "عدد")
    assert not NeedVote.objects.exists()
    refused(lambda: records.decide(intervention, user=user), "رأی")
    refused(lambda: records.decide(intervention, user=user, order={light.pk: 1}), "همهٔ")
    records.decide(intervention, user=user, order={light.pk: 2, jobs.pk: 1})
    assert [n.title for n in Need.objects.filter(prioritisation__intervention=intervention)] == [
        "کار",
        "نور",
    ]


def test_activities_take_capacities_own_groups_and_sane_dates(demo, intervention, user):
    to_planning(intervention, user)
    objective = records.add_objective(intervention, title="پارک امن", user=user)
    group = records.add_participant(intervention, registration=approved_group(demo), user=user)
    activity = records.add_activity(
        objective,
        title="نصب چراغ",
        starts_on=day(),
        ends_on=day(3),
        responsible=group,
        resources_needed=["volunteers", "funding", "volunteers"],
        user=user,
    )
    assert activity.resources_needed == ["volunteers", "funding"]
    kwargs = {"title": "x", "starts_on": day(), "ends_on": day()}
    refused(lambda: records.add_activity(objective, **{**kwargs, "resources_needed": ["gold"]}))
    refused(lambda: records.add_activity(objective, **{**kwargs, "ends_on": day(-1)}), "پایان")
    refused(lambda: records.add_activity(objective, **{**kwargs, "title": " "}), "فعالیت")
    assert objective.activities.count() == 1


def test_progress_photos_lose_their_metadata(intervention, user):
    activity = to_implementation(intervention, user)
    update = records.add_progress(
        activity, text="چراغ‌ها نصب شد", happened_on=day(), photos=[jpeg_with_gps()], user=user
    )
    [photo] = ProgressPhoto.objects.filter(update=update)
    with Image.open(photo.image.path) as image:
        assert not image.getexif() and "comment" not in image.info
    refused(lambda: records.add_progress(activity, text="x", happened_on=day(1)), "آینده")
    refused(lambda: records.add_progress(activity, text=" ", happened_on=day()), "بنویسید")


def test_a_bad_photo_saves_no_update(intervention, user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    activity = to_implementation(intervention, user)
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    refused(lambda: records.add_progress(activity, text="متن", happened_on=day(), photos=[bad]))
    assert not activity.updates.exists()


def test_commitments_by_participants_of_this_intervention(demo, intervention, user):
    activity = to_implementation(intervention, user)
    group = records.add_participant(intervention, registration=approved_group(demo), user=user)
    records.add_commitment(group, capacity="venue", committed_on=day(), activity=activity)
    refused(lambda: records.add_commitment(group, capacity="gold", committed_on=day()))
    other = opened(demo, user=user)
    refused(
        lambda: records.add_commitment(
            group, capacity="venue", committed_on=day(), activity=_activity_of(other, user)
        ),
        "دیگری",
    )
    assert group.commitments.count() == 1


def _activity_of(intervention, user):
    return to_implementation(intervention, user)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=st.one_of(st.text(max_size=20), st.floats(allow_nan=True), st.integers()))
def test_indicator_values_are_numbers_or_refused(evaluation_ready, value):
    intervention, user = evaluation_ready
    before = Indicator.objects.count()
    try:
        row = records.add_indicator(intervention, name="مصرف", before=value, after="۱۲٫۵")
    except records.InterventionError:
        assert Indicator.objects.count() == before
    else:
        row.refresh_from_db()
        assert row.after == 12.5


@pytest.fixture
def evaluation_ready(intervention, user):
    to_evaluation(intervention, user)
    return intervention, user


def test_evaluation_outcomes(evaluation_ready):
    intervention, user = evaluation_ready
    refused(lambda: records.save_evaluation(intervention, outcome="great"), "نتیجه")
    records.save_evaluation(intervention, outcome=Outcome.PARTLY, lessons="درس", user=user)
    intervention.refresh_from_db()
    assert intervention.stage == Stage.EVALUATION
    assert intervention.evaluation.outcome == Outcome.PARTLY
