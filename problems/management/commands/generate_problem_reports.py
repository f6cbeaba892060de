"""Generate realistic, clearly fake Persian problem reports in bulk, for trying the atlas at scale.

    python manage.py generate_problem_reports --count 5000 [--seed 1] [--days 90]

Reports cover the taxonomy's active problems, in the provinces and cities
generate_registrations uses (the same weights), with a mix of statuses (most verified),
their status history, and supports from mobiles and approved groups. Rows are written with
bulk_create in batches (no per-row signals, no SMS). Each description ends with
"(گزارش آزمایشی)" so no one mistakes them for real reports. Then the atlas recounts
(problems.signals.reports_bulk_created; the atlas listens, problems never imports it).
"""

import random
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from registrations.choices import Province, Status
from registrations.management.commands.generate_registrations import (
    CITIES,
    PROVINCE_WEIGHTS,
    _decorate,
)
from registrations.models import Registration

from ...choices import PeopleAffected, ReportSource, ReportStatus, Since
from ...models import Problem, Report, StatusChange, Support
from ...services import CITY_WEIGHT, GROUP_WEIGHT, NUMBER_DIGITS, public, search_text_of
from ...signals import reports_bulk_created


FAKE_MARK = "(گزارش آزمایشی)"
STATUS_WEIGHTS = [
    (ReportStatus.VERIFIED, 55),
    (ReportStatus.IN_INTERVENTION, 10),
    (ReportStatus.RESOLVED, 7),
    (ReportStatus.NEW, 20),
    (ReportStatus.REJECTED, 8),
]
PUBLIC = {ReportStatus.VERIFIED, ReportStatus.IN_INTERVENTION, ReportStatus.RESOLVED}
SOURCE_WEIGHTS = [(ReportSource.WEB, 75), (ReportSource.SMS, 20), (ReportSource.API, 5)]
NEIGHBOURHOODS = [
    "", "محله نازی‌آباد", "شهرک ولیعصر", "روستای کهنک", "محله سرآسیاب", "کوی طلاب",
    "محله خاک سفید", "حاشیه شهر", "بافت فرسوده مرکز شهر", "شهرک صنعتی",
]  # fmt: skip
TITLES = [
    "{problem} در {place}",
    "افزایش {problem} در {place}",
    "مشکل {problem}، {place}",
    "{problem}؛ کسی پیگیری نمی‌کند ({place})",
]  # fmt: skip
DESCRIPTIONS = [
    "چند ماه است که {problem} در {place} بیشتر شده و خانواده‌های زیادی درگیرند.",
    "اهالی {place} بارها به مسئولان گفته‌اند اما {problem} هنوز حل نشده است.",
    "در {place} {problem} به‌ویژه برای کودکان و سالمندان دشوار شده است.",
    "گروه‌های محلی {place} برای {problem} به کمک داوطلب و مکان نیاز دارند.",
]  # fmt: skip
TRIED = ["", "نامه به شهرداری", "جلسه با شورای محله", "جمع‌آوری کمک از اهالی"]
REJECTION_REASONS = ["اطلاعات ناقص", "تکراری", "خارج از موضوع طرح"]
# Needs are not where the groups are: the poorer border provinces report more than their
# share of groups (generate_registrations' weights), Tehran less, so the gap layer has a shape.
PROBLEM_PROVINCE_WEIGHTS = {
    **PROVINCE_WEIGHTS,
    "tehran": 9,
    "sistan": 8,
    "khuzestan": 8,
    "kermanshah": 5,
    "ilam": 4,
    "kohgiluyeh": 4,
    "lorestan": 4,
    "kurdistan": 4,
    "hormozgan": 4,
    "khorasan_south": 3,
}
OTHER_CITIES = ["مرکز استان", "شهرستان", "بخش مرکزی"]


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


class Command(BaseCommand):
    help = "Create realistic, clearly fake Persian problem reports in bulk (default 5,000)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=5000)
        parser.add_argument(
            "--seed", type=int, default=None, help="random seed, for repeatable data"
        )
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument(
            "--days", type=int, default=90, help="spread reports over this many days"
        )

    def handle(self, *args, count, seed, batch_size, days, **options):
        if not settings.GENERATED_DATA_ALLOWED:
            # Fake reports in the real register would be shown, counted and moderated.
            raise CommandError(
                "Refusing to generate test data: these are production settings "
                "(GENERATED_DATA_ALLOWED is off)."
            )
        if count < 1:
            raise CommandError("--count must be at least 1")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        problems = list(Problem.objects.filter(active=True))
        if not problems:
            raise CommandError("The taxonomy has no active problem; run `manage.py migrate` first.")
        rng = random.Random(seed)  # noqa: S311 - test data, not secrets
        groups = list(
            Registration.objects.filter(status=Status.APPROVED).values_list("pk", "province")[:5000]
        )
        used_numbers = set(Report.objects.values_list("number", flat=True))
        provinces = [
            (code, PROBLEM_PROVINCE_WEIGHTS.get(code, 2)) for code, _label in Province.choices
        ]
        now = timezone.now()
        created = supports = 0
        # Reports spread over past days need their own created_at (see generate_registrations).
        created_fields = [
            model._meta.get_field("created_at") for model in (Report, StatusChange, Support)
        ]
        for field in created_fields:
            field.auto_now_add = False
        try:
            while created < count:
                size = min(batch_size, count - created)
                planned = [
                    self._report(rng, problems, provinces, groups, used_numbers, now, days)
                    for _ in range(size)
                ]
                with transaction.atomic():
                    reports = Report.objects.bulk_create([r for r, _ in planned], batch_size=1000)
                    history, backing = [], []
                    for report, report_supports in planned:
                        history.append(
                            StatusChange(
                                report=report, status=ReportStatus.NEW, created_at=report.created_at
                            )
                        )
                        if report.status != ReportStatus.NEW:
                            history.append(
                                StatusChange(
                                    report=report,
                                    status=report.status,
                                    reason=report.rejection_reason,
                                    created_at=report.verified_at or report.created_at,
                                )
                            )
                        for support in report_supports:
                            support.report = report
                            backing.append(support)
                    StatusChange.objects.bulk_create(history, batch_size=1000)
                    Support.objects.bulk_create(backing, batch_size=1000)
                created += len(reports)
                supports += len(backing)
                self.stdout.write(f"{created} / {count}")
        finally:
            for field in created_fields:
                field.auto_now_add = True
        public.changed()
        reports_bulk_created.send(sender=Report, count=created)
        self.stdout.write(
            self.style.SUCCESS(f"Created {created} problem reports and {supports} supports.")
        )

    def _report(self, rng, problems, provinces, groups, used_numbers, now, days):
        low = 10 ** (NUMBER_DIGITS - 1)
        while True:
            number = str(rng.randrange(low, 10 * low))
            if number not in used_numbers:
                used_numbers.add(number)
                break
        problem = rng.choice(problems)
        province = _weighted(rng, provinces)
        city = CITIES.get(province) or rng.choice(OTHER_CITIES)
        neighbourhood = rng.choice(NEIGHBOURHOODS)
        place = neighbourhood or city
        title = _decorate(rng, rng.choice(TITLES).format(problem=problem.name_fa, place=place))
        description = (
            rng.choice(DESCRIPTIONS).format(problem=problem.name_fa, place=place) + " " + FAKE_MARK
        )
        status = _weighted(rng, STATUS_WEIGHTS)
        created_at = now - timedelta(seconds=rng.randint(3600, days * 86400))
        verified_at = created_at + timedelta(hours=rng.randint(1, 72)) if status in PUBLIC else None
        group_id = None
        if groups and rng.random() < 0.1:
            group_id = rng.choice(groups)[0]
        report = Report(
            number=number,
            problem=problem,
            title=title[:150],
            description=description,
            province=province,
            city=city,
            neighbourhood=neighbourhood,
            people_affected=rng.choice(PeopleAffected.values),
            since=rng.choice(Since.values),
            tried=rng.choice(TRIED),
            may_contact=rng.random() < 0.4,
            status=status,
            source=_weighted(rng, SOURCE_WEIGHTS),
            language="fa" if rng.random() < 0.95 else "en",
            reporter_mobile=f"+989{rng.choice('0123')}{rng.randint(0, 99_999_999):08d}",
            group_id=group_id,
            show_group_name=group_id is not None and rng.random() < 0.5,
            rejection_reason=rng.choice(REJECTION_REASONS)
            if status == ReportStatus.REJECTED
            else "",
            search_text=search_text_of(title, description),
            verified_at=verified_at,
        )
        report.created_at = created_at
        report_supports = []
        if status in PUBLIC and rng.random() < 0.4:
            mobiles = {
                f"+989{rng.choice('0123')}{rng.randint(0, 99_999_999):08d}"
                for _ in range(rng.randint(1, 6))
            }
            for mobile in mobiles:
                report_supports.append(
                    Support(
                        mobile=mobile, city=rng.choice([city, city, "", rng.choice(OTHER_CITIES)])
                    )
                )
            if groups and rng.random() < 0.3:
                for pk, group_province in {rng.choice(groups) for _ in range(rng.randint(1, 3))}:
                    report_supports.append(
                        Support(group_id=pk, city=CITIES.get(group_province, ""))
                    )
        for support in report_supports:
            support.created_at = verified_at + timedelta(hours=rng.randint(1, 240))
        # The counts recount() would give (problems.services: supports + 3 groups + 2 cities).
        group_count = len({s.group_id for s in report_supports if s.group_id})
        city_count = len({s.city for s in report_supports if s.city})
        report.support_count = len(report_supports)
        report.group_support_count = group_count
        report.city_support_count = city_count
        report.priority = (
            len(report_supports) + GROUP_WEIGHT * group_count + CITY_WEIGHT * city_count
        )
        return report, report_supports
