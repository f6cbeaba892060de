import pytest

from campaigns.models import CampaignPage
from registrations.choices import Status
from tests.backoffice import make_registration


@pytest.fixture(autouse=True)
def fresh_atlas_cache(settings):
    """Every test counts its own rows: no figures or pages left cached by another test."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["pages"].clear()
    yield
    cache.clear()
    caches["pages"].clear()


@pytest.fixture
def campaign(demo):
    return CampaignPage.objects.filter(locale__language_code="fa").first()


@pytest.fixture
def register(campaign):
    """register(n, province=…, status=…, capacities=…, fields_of_activity=…)"""

    def make(n=1, **fields):
        fields.setdefault("status", Status.APPROVED)
        return [make_registration(campaign, **fields) for _ in range(n)]

    return make


@pytest.fixture
def report(db):
    """report(n, problem=slug, province=…, status=…): problem reports, written directly."""
    import itertools

    from problems.choices import ReportStatus
    from problems.models import Problem, Report

    numbers = itertools.count(1)

    def make(n=1, problem="addiction", province="tehran", status=ReportStatus.VERIFIED):
        kind = Problem.objects.get(slug=problem)
        rows = [
            Report(
                number=f"A{next(numbers):06d}",
                problem=kind,
                title="مسئله",
                description="شرح",
                province=province,
                city="شهر",
                people_affected="11-100",
                since="months",
                source="web",
                language="fa",
                reporter_mobile="+989121234567",
                status=status,
            )
            for _ in range(n)
        ]
        return Report.objects.bulk_create(rows)

    return make


@pytest.fixture
def intervention(db):
    """intervention(n, province=…, stage=…): interventions, written directly."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from interventions.choices import Outcome, Stage
    from interventions.models import Intervention

    user = User.objects.create_user("atlas-facilitator", password="pw-for-tests")

    def make(n=1, province="tehran", stage=Stage.IMPLEMENTATION):
        closed = stage == Stage.CLOSED
        rows = [
            Intervention(
                title="مداخله",
                aim="هدف",
                province=province,
                city="شهر",
                start_date=timezone.localdate(),
                facilitator_user=user,
                stage=stage,
                stage_entered_at=timezone.now(),
                outcome=Outcome.RESOLVED if closed else "",
                closed_at=timezone.now() if closed else None,
            )
            for _ in range(n)
        ]
        return Intervention.objects.bulk_create(rows)

    return make
