"""manage.py generate_problem_reports: fake but realistic reports, refused in production."""

import io
import re

from django.core.management import CommandError, call_command

import pytest

from atlas import aggregates
from problems.choices import ReportStatus
from problems.management.commands.generate_problem_reports import FAKE_MARK
from problems.models import Report, StatusChange, Support
from registrations.choices import Province
from registrations.models import Registration


PERSIAN = re.compile(r"[\u0600-\u06FF]")


def _generate(count, **options):
    out = io.StringIO()
    call_command("generate_problem_reports", count=count, stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_creates_count_reports_over_the_taxonomy_and_places_mostly_verified():
    output = _generate(400, seed=3, batch_size=150)

    reports = Report.objects.all()
    assert reports.count() == 400
    assert "Created 400 problem reports" in output
    assert reports.values("problem").distinct().count() > 10
    assert reports.values("province").distinct().count() > 10
    assert set(reports.values_list("province", flat=True)) <= set(Province.values)
    statuses = {s: reports.filter(status=s).count() for s in ReportStatus.values}
    assert statuses[ReportStatus.VERIFIED] == max(statuses.values())
    assert statuses[ReportStatus.NEW] > 0 and statuses[ReportStatus.REJECTED] > 0
    # Public reports carry when they were verified; the others do not.
    assert not reports.filter(status=ReportStatus.VERIFIED, verified_at=None).exists()
    assert not reports.filter(status=ReportStatus.NEW).exclude(verified_at=None).exists()
    assert len(set(reports.values_list("number", flat=True))) == 400


@pytest.mark.django_db
def test_reports_are_persian_clearly_fake_and_searchable():
    _generate(50, seed=1)

    for report in Report.objects.all():
        assert PERSIAN.search(report.title)
        assert report.description.endswith(FAKE_MARK)
        assert report.search_text
        assert report.city


@pytest.mark.django_db
def test_history_and_supports_match_the_counts(demo):
    _generate(300, seed=5)

    assert StatusChange.objects.filter(status=ReportStatus.NEW).count() == 300
    moved = Report.objects.exclude(status=ReportStatus.NEW).count()
    assert StatusChange.objects.exclude(status=ReportStatus.NEW).count() == moved
    assert Support.objects.exists()
    for report in Report.objects.filter(support_count__gt=0)[:20]:
        assert report.supports.count() == report.support_count
        assert report.priority >= report.support_count
    # Supports come after the report was verified, not "now".
    support = Support.objects.select_related("report").first()
    assert support.created_at > support.report.verified_at


@pytest.mark.django_db
def test_a_second_run_adds_as_many_again(demo):
    _generate(120, seed=1)
    _generate(120, seed=1)  # the same seed: numbers must still not collide

    assert Report.objects.count() == 240
    assert StatusChange.objects.filter(status=ReportStatus.NEW).count() == 240


@pytest.mark.django_db
def test_the_atlas_is_recounted_after_the_run(demo):
    assert sum(aggregates.current()["problems"].values()) == 0  # now cached, empty

    _generate(200, seed=2)

    # The atlas listened to the bulk write: its cached figures count the new open reports.
    open_verified = Report.objects.filter(
        status__in=[ReportStatus.VERIFIED, ReportStatus.IN_INTERVENTION]
    ).count()
    assert open_verified > 0
    assert sum(aggregates.current()["problems"].values()) == open_verified


@pytest.mark.django_db
def test_refused_in_production_settings_and_nothing_is_written(settings, demo):
    settings.GENERATED_DATA_ALLOWED = False

    with pytest.raises(CommandError, match="production"):
        _generate(10)
    with pytest.raises(CommandError, match="production"):
        call_command("generate_registrations", count=10, stdout=io.StringIO())
    assert not Report.objects.exists()
    assert not Registration.objects.exists()


@pytest.mark.parametrize("command", ["generate_problem_reports", "generate_registrations"])
def test_the_real_production_settings_refuse(command):
    import os
    import subprocess
    import sys

    from django.conf import settings

    from tests.config.test_security import PRODUCTION_ENV

    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO")}
    env.update(PRODUCTION_ENV)
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", command, "--count", "1", "--skip-checks"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Refusing to generate test data: these are production settings" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("count", [0, -5])
def test_bad_count_is_refused(count):
    with pytest.raises(CommandError, match="--count"):
        _generate(count)
    assert not Report.objects.exists()
