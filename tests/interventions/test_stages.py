"""The stage rules: opening, each entry rule, closing from the evaluation, reopening; each
refusal is a Persian message that changes nothing and sends nothing."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest

from interventions.choices import ChangeKind, Outcome, Stage
from interventions.models import Intervention, StageChange
from interventions.services import records, rules, stages
from problems.choices import ReportStatus
from problems.models import Report
from problems.purposes import STATUS_UPDATE
from registrations.choices import Kind, Status
from sms.models import SmsMessage, SmsOptOut

from .support import approved_group, coordinator, day, facilitator, opened, staff, verified_report


pytestmark = pytest.mark.django_db


def refused(call, *words):
    with pytest.raises(rules.InterventionError) as error:
        call()
    for word in words:
        assert word in error.value.message, error.value.message
    return error.value.message


def report_updates(report):
    return list(
        SmsMessage.objects.filter(
            subject_type=ContentType.objects.get_for_model(Report),
            subject_id=report.pk,
            purpose=STATUS_UPDATE,
        ).order_by("pk")
    )


def intervention_sms(intervention):
    return list(
        SmsMessage.objects.filter(
            subject_type=ContentType.objects.get_for_model(Intervention),
            subject_id=intervention.pk,
        ).order_by("pk")
    )


def to_planning(intervention, user):
    records.save_findings(intervention, findings="جوانان بیکارند و پارک شب‌ها تاریک است", user=user)
    stages.advance(intervention, user=user)
    need = records.add_need(intervention, title="روشنایی پارک", user=user)
    records.decide(intervention, user=user, order={need.pk: 1})
    stages.advance(intervention, user=user)
    return need


def to_implementation(intervention, user):
    to_planning(intervention, user)
    objective = records.add_objective(intervention, title="پارک امن", user=user)
    activity = records.add_activity(
        objective, title="نصب چراغ", starts_on=day(), ends_on=day(30), user=user
    )
    stages.advance(intervention, user=user)
    return activity


def to_evaluation(intervention, user):
    activity = to_implementation(intervention, user)
    records.set_done(activity, done=True, user=user)
    stages.advance(intervention, user=user)
    return activity


# --- opening --------------------------------------------------------------------------


def test_open_takes_up_verified_reports_and_tells_their_reporters(demo):
    user = coordinator()
    report = verified_report()
    intervention = opened(demo, user=user, reports=[report])
    assert intervention.stage == Stage.NEEDS_ASSESSMENT and intervention.needs_assessment
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_INTERVENTION
    [sms] = report_updates(report)
    assert report.number in sms.text
    [change] = intervention.stage_changes.all()
    assert (change.kind, change.from_stage, change.to_stage, change.by) == (
        ChangeKind.OPEN,
        "",
        Stage.NEEDS_ASSESSMENT,
        user,
    )
    assert ModelLogEntry.objects.filter(
        action=rules.OPEN, object_id=str(intervention.pk), user=user
    ).exists()


@pytest.mark.parametrize("status", [ReportStatus.NEW, ReportStatus.REJECTED, ReportStatus.RESOLVED])
def test_open_refuses_reports_that_are_not_verified(demo, status):
    from tests.problems.support import make_report

    good, bad = verified_report(), make_report(status=status)
    refused(lambda: opened(demo, reports=[good, bad]), bad.number)
    assert not Intervention.objects.exists()
    good.refresh_from_db()
    assert good.status == ReportStatus.VERIFIED and not report_updates(good)


def test_a_report_is_taken_up_by_one_intervention_at_a_time(demo):
    report = verified_report()
    opened(demo, reports=[report])
    refused(lambda: opened(demo, reports=[report]), report.number)
    assert Intervention.objects.count() == 1


def test_open_refuses_no_report_and_another_province(demo):
    refused(lambda: opened(demo, reports=[]), "مسئله")
    report = verified_report()
    refused(lambda: opened(demo, reports=[report], province="fars"), "استان")
    assert not Intervention.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": Kind.NGO},
        {"status": Status.CONFIRMED},
        {"status": Status.WITHDRAWN},
    ],
)
def test_the_facilitator_is_an_approved_facilitator_registration(demo, fields):
    refused(lambda: opened(demo, facilitator_registration=facilitator(demo, **fields)), "تسهیلگر")
    assert not Intervention.objects.exists()


def test_or_an_active_staff_user_but_never_both_or_neither(demo):
    assert opened(demo, facilitator_user=staff()).facilitator_user
    plain = staff()
    plain.is_staff = False
    plain.save()
    refused(lambda: opened(demo, facilitator_user=plain), "کارکنان")
    refused(
        lambda: opened(demo, facilitator_user=staff(), facilitator_registration=facilitator(demo)),
        "تسهیلگر",
    )
    refused(lambda: opened(demo, facilitator_registration=None, facilitator_user=None), "تسهیلگر")


def test_open_needs_a_title_and_an_aim(demo):
    refused(lambda: opened(demo, title="  "), "عنوان")
    refused(lambda: opened(demo, aim=""), "هدف")


# --- entry rules ----------------------------------------------------------------------


def test_no_prioritisation_without_findings(demo):
    user = coordinator()
    intervention = opened(demo, user=user)
    refused(lambda: stages.advance(intervention, user=user), "یافته")
    records.save_findings(intervention, findings="   ", user=user)
    refused(lambda: stages.advance(intervention, user=user), "یافته")
    intervention.refresh_from_db()
    assert intervention.stage == Stage.NEEDS_ASSESSMENT
    records.save_findings(intervention, findings="یافته‌ها", user=user)
    assert stages.advance(intervention, user=user).stage == Stage.PRIORITISATION


def test_no_planning_without_a_stored_prioritisation(demo):
    user = coordinator()
    intervention = opened(demo, user=user)
    records.save_findings(intervention, findings="یافته‌ها", user=user)
    stages.advance(intervention, user=user)
    refused(lambda: stages.advance(intervention, user=user), "اولویت‌بندی")
    records.add_need(intervention, title="روشنایی", user=user)
    refused(lambda: stages.advance(intervention, user=user), "اولویت‌بندی")
    intervention.refresh_from_db()
    assert intervention.stage == Stage.PRIORITISATION


def test_no_implementation_without_a_plan_with_an_activity(demo):
    user = coordinator()
    intervention = opened(demo, user=user)
    to_planning(intervention, user)
    refused(lambda: stages.advance(intervention, user=user), "فعالیت")
    records.add_objective(intervention, title="پارک امن", user=user)
    refused(lambda: stages.advance(intervention, user=user), "فعالیت")
    intervention.refresh_from_db()
    assert intervention.stage == Stage.PLANNING


def test_closing_only_from_the_evaluation_with_an_outcome(demo):
    user = coordinator()
    intervention = opened(demo, user=user)
    refused(lambda: stages.close(intervention, user=user), "ارزیابی")
    to_implementation(intervention, user)
    refused(lambda: stages.close(intervention, user=user), "ارزیابی")
    stages.advance(intervention, user=user)
    refused(lambda: stages.advance(intervention, user=user), "ارزیابی")
    refused(lambda: stages.close(intervention, user=user), "نتیجه")
    intervention.refresh_from_db()
    assert intervention.stage == Stage.EVALUATION and not intervention.outcome


def test_closing_resolved_resolves_the_problems_and_tells_reporters(demo):
    user = coordinator()
    report = verified_report()
    intervention = opened(demo, user=user, reports=[report])
    to_evaluation(intervention, user)
    records.save_evaluation(intervention, outcome=Outcome.RESOLVED, lessons="درس‌ها", user=user)
    intervention = stages.close(intervention, user=user)
    assert intervention.stage == Stage.CLOSED and intervention.outcome == Outcome.RESOLVED
    assert intervention.closed_at
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED
    assert len(report_updates(report)) == 2  # taken up, then resolved
    refused(lambda: stages.advance(intervention, user=user), "بسته")
    refused(lambda: records.add_need(intervention, title="x", user=user), "بسته")


@pytest.mark.parametrize("outcome", [Outcome.PARTLY, Outcome.NOT_RESOLVED])
def test_closing_unresolved_leaves_the_problems_open(demo, outcome):
    user = coordinator()
    report = verified_report()
    intervention = opened(demo, user=user, reports=[report])
    to_evaluation(intervention, user)
    records.save_evaluation(intervention, outcome=outcome, user=user)
    stages.close(intervention, user=user)
    report.refresh_from_db()
    assert report.status == ReportStatus.VERIFIED
    assert len(report_updates(report)) == 2


# --- reopening ------------------------------------------------------------------------


def test_a_coordinator_reopens_an_earlier_stage_with_a_reason(demo):
    user = coordinator()
    intervention = opened(demo, user=user)
    to_implementation(intervention, user)
    refused(
        lambda: stages.reopen(intervention, stage=Stage.PLANNING, user=user, reason=" "), "دلیل"
    )
    refused(
        lambda: stages.reopen(intervention, stage=Stage.EVALUATION, user=user, reason="x"), "قبلی"
    )
    refused(
        lambda: stages.reopen(intervention, stage=Stage.IMPLEMENTATION, user=user, reason="x"),
        "قبلی",
    )
    refused(lambda: stages.reopen(intervention, stage="nowhere", user=user, reason="x"), "قبلی")
    stages.reopen(intervention, stage=Stage.PRIORITISATION, user=user, reason="گروه تازه رسید")
    intervention.refresh_from_db()
    assert intervention.stage == Stage.PRIORITISATION
    change = intervention.stage_changes.last()
    assert (change.kind, change.from_stage, change.reason) == (
        ChangeKind.REOPEN,
        Stage.IMPLEMENTATION,
        "گروه تازه رسید",
    )
    assert ModelLogEntry.objects.filter(action=rules.REOPEN, object_id=str(intervention.pk))


def test_only_a_coordinator_reopens_and_never_a_closed_intervention(demo):
    user = coordinator()
    intervention = opened(demo, user=user)
    records.save_findings(intervention, findings="یافته‌ها", user=user)
    stages.advance(intervention, user=user)
    refused(
        lambda: stages.reopen(intervention, stage=Stage.NEEDS_ASSESSMENT, user=staff(), reason="x"),
        "هماهنگ",
    )
    intervention.refresh_from_db()
    assert intervention.stage == Stage.PRIORITISATION
    Intervention.objects.filter(pk=intervention.pk).update(
        stage=Stage.CLOSED, outcome=Outcome.PARTLY, closed_at=timezone.now()
    )
    refused(
        lambda: stages.reopen(intervention, stage=Stage.EVALUATION, user=user, reason="x"), "بسته"
    )


# --- figures and SMS ------------------------------------------------------------------


def test_progress_is_the_share_of_activities_done(demo):
    user = coordinator()
    intervention = opened(demo, user=user)
    assert stages.progress(intervention) == 0
    activity = to_implementation(intervention, user)
    objective = activity.objective
    for title in ("دوم", "سوم"):
        records.add_activity(objective, title=title, starts_on=day(), ends_on=day(), user=user)
    assert stages.progress(intervention) == 0
    records.set_done(activity, done=True, user=user)
    assert stages.progress(intervention) == 33
    records.set_done(activity, done=False, user=user)
    assert stages.progress(intervention) == 0


def test_time_in_each_stage_sums_reopenings(demo):
    user = coordinator()
    intervention = opened(demo, user=user)
    start = timezone.now() - datetime.timedelta(days=10)
    moves = [
        (ChangeKind.OPEN, Stage.NEEDS_ASSESSMENT, 0),
        (ChangeKind.ADVANCE, Stage.PRIORITISATION, 3),
        (ChangeKind.REOPEN, Stage.NEEDS_ASSESSMENT, 5),
        (ChangeKind.ADVANCE, Stage.PRIORITISATION, 6),
    ]
    StageChange.objects.all().delete()
    for kind, stage, days in moves:
        StageChange.objects.create(
            intervention=intervention,
            kind=kind,
            to_stage=stage,
            at=start + datetime.timedelta(days=days),
            reason="r",
        )
    spent = stages.time_in_stages(intervention, now=start + datetime.timedelta(days=10))
    assert spent == {
        Stage.NEEDS_ASSESSMENT: datetime.timedelta(days=4),
        Stage.PRIORITISATION: datetime.timedelta(days=6),
    }


def test_participants_get_one_sms_per_stage_change_unless_opted_out(demo):
    user = coordinator()
    intervention = opened(demo, user=user)
    keen = records.add_participant(intervention, registration=approved_group(demo), user=user)
    quiet = records.add_participant(intervention, registration=approved_group(demo), user=user)
    SmsOptOut.objects.create(mobile=quiet.registration.mobile)
    records.save_findings(intervention, findings="یافته‌ها", user=user)
    stages.advance(intervention, user=user)
    sent = intervention_sms(intervention)
    assert [(m.recipient, m.status) for m in sent] == [
        (keen.registration.mobile, "queued"),
        (quiet.registration.mobile, "suppressed"),
    ]
    assert "اولویت‌بندی" in sent[0].text and str(intervention.public_id) in sent[0].text
    refused(lambda: stages.advance(intervention, user=user))
    assert len(intervention_sms(intervention)) == 2
