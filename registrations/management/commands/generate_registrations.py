"""Generate realistic Persian test registrations in bulk, for trying the back office at scale.

    python manage.py generate_registrations --count 100000 [--campaign nehzat] [--seed 1]

Rows are built in memory and written with bulk_create in batches (no signals, no SMS),
so 100,000 take seconds. Names mix Persian and Arabic letter forms, ZWNJ and tatweel the
way the public types them; a few carry formula-like text, as hostile input would.
"""

import random
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from wagtail.models import Locale

from campaigns.models import CampaignPage
from registrations.choices import ActivityField, Capacity, Kind, Province, Source, Status
from registrations.models import Registration
from registrations.search_text import search_text_for


FIRST_NAMES = [
    "مریم", "زهرا", "فاطمه", "علی", "محمد", "حسین", "رضا", "سارا", "نرگس", "مهدی",
    "امیر", "کوثر", "یاسمن", "حمید", "ليلا", "كيان", "مصطفی", "نازنین", "پریسا", "سعید",
]  # fmt: skip
LAST_NAMES = [
    "احمدی", "محمدی", "حسینی", "رضایی", "کریمی", "موسوی", "جعفری", "صادقی", "رحیمی",
    "کاظمی", "نوری", "عباسی", "یوسفی", "قاسمی", "طاهری", "شريفي", "كاظمي", "اکبری",
]  # fmt: skip
ORG_PREFIXES = [
    "انجمن", "گروه جهادی", "خیریه", "کانون", "هیئت", "مؤسسه", "سمن", "جمعیت", "تشکل",
]  # fmt: skip
ORG_TOPICS = [
    "یاوران محله", "مهر و همدلی", "کودکان کار", "حامیان محیط‌زیست", "امید فردا",
    "نیکوکاری", "مردم‌نهاد بانوان", "جوانان داوطلب", "سلامت خانواده", "قرآنی نور",
    "ورزش همگانی", "امدادرسانی", "کتاب‌خوانی", "توانمندسازی زنان", "بهار زندگی",
]  # fmt: skip
CITIES = {
    "tehran": "تهران", "isfahan": "اصفهان", "fars": "شیراز", "khorasan_razavi": "مشهد",
    "azarbaijan_east": "تبریز", "khuzestan": "اهواز", "qom": "قم", "kerman": "کرمان",
    "gilan": "رشت", "mazandaran": "ساری", "yazd": "یزد", "hamadan": "همدان",
}  # fmt: skip
HOSTILE = ['=HYPERLINK("http://example.invalid","x")', "+1+1", "-2+3", "@SUM(1,1)"]
STATUS_WEIGHTS = [
    (Status.CONFIRMED, 55),
    (Status.APPROVED, 20),
    (Status.AWAITING_CONFIRMATION, 12),
    (Status.REJECTED, 5),
    (Status.DRAFT, 8),
]
SOURCE_WEIGHTS = [(Source.WEB, 70), (Source.SMS, 20), (Source.API, 10)]
# Tehran and the large provinces register more, as they would.
PROVINCE_WEIGHTS = {"tehran": 18, "khorasan_razavi": 8, "isfahan": 7, "fars": 6, "khuzestan": 5}


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _national_code(rng: random.Random) -> str:
    """A 10-digit national code with a valid check digit (mod 11)."""
    digits = [rng.randint(0, 9) for _ in range(9)]
    remainder = sum(d * (10 - i) for i, d in enumerate(digits)) % 11
    check = remainder if remainder < 2 else 11 - remainder
    return "".join(map(str, digits)) + str(check)


def _decorate(rng: random.Random, text: str) -> str:
    """Type it the way the public does: Arabic ي/ك, a lost ZWNJ, a tatweel now and then."""
    roll = rng.random()
    if roll < 0.15:
        return text.replace("ی", "ي").replace("ک", "ك")
    if roll < 0.25:
        return text.replace("\u200c", "")
    if roll < 0.3 and len(text) > 3:
        return text[:2] + "ـ" + text[2:]
    return text


class Command(BaseCommand):
    help = "Create realistic Persian test registrations in bulk (default 100,000)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--campaign", default="nehzat", help="slug of the campaign page")
        parser.add_argument(
            "--seed", type=int, default=None, help="random seed, for repeatable data"
        )
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument(
            "--days", type=int, default=120, help="spread sign-ups over this many days"
        )

    def handle(self, *args, count, campaign, seed, batch_size, days, **options):
        if not settings.GENERATED_DATA_ALLOWED:
            # Fake rows in the real register would be counted, messaged and exported.
            raise CommandError(
                "Refusing to generate test data: these are production settings "
                "(GENERATED_DATA_ALLOWED is off)."
            )
        if count < 1:
            raise CommandError("--count must be at least 1")
        page = CampaignPage.objects.filter(slug=campaign, locale=Locale.get_default()).first()
        if page is None:
            raise CommandError(
                f"No campaign with slug {campaign!r}; run `manage.py load_demo_content` first."
            )
        rng = random.Random(seed)  # noqa: S311 - test data, not secrets
        questions = list(page.form_fields.all())
        used_codes = set(Registration.objects.values_list("tracking_code", flat=True))
        used_mobiles = {
            str(m)
            for m in Registration.objects.filter(campaign=page).values_list("mobile", flat=True)
        }
        provinces = [(code, PROVINCE_WEIGHTS.get(code, 2)) for code, _label in Province.choices]
        now = timezone.now()
        created = 0
        # Sign-ups spread over past days need their own created_at; auto_now_add would
        # stamp them all "now", so it is switched off for this command only.
        created_field = Registration._meta.get_field("created_at")
        created_field.auto_now_add = False
        try:
            while created < count:
                batch = [
                    self._registration(
                        rng, page, questions, provinces, used_codes, used_mobiles, now, days
                    )
                    for _ in range(min(batch_size, count - created))
                ]
                with transaction.atomic():
                    Registration.objects.bulk_create(batch, batch_size=1000)
                created += len(batch)
                self.stdout.write(f"{created} / {count}")
        finally:
            created_field.auto_now_add = True
        self.stdout.write(self.style.SUCCESS(f"Created {created} registrations for {page.title}."))

    def _registration(self, rng, page, questions, provinces, used_codes, used_mobiles, now, days):
        while True:
            code = str(rng.randint(10_000_000, 99_999_999))
            if code not in used_codes:
                used_codes.add(code)
                break
        while True:
            mobile = f"+989{rng.choice('0123')}{rng.randint(0, 99_999_999):08d}"
            if mobile not in used_mobiles:
                used_mobiles.add(mobile)
                break
        kind = rng.choice(Kind.values)
        province = _weighted(rng, provinces)
        representative = _decorate(rng, f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}")
        organisation = (
            ""
            if kind == Kind.FACILITATOR
            else _decorate(rng, f"{rng.choice(ORG_PREFIXES)} {rng.choice(ORG_TOPICS)}")
        )
        if rng.random() < 0.001:
            organisation = rng.choice(HOSTILE)
        status = _weighted(rng, STATUS_WEIGHTS)
        created_at = now - timedelta(seconds=rng.randint(0, days * 86400))
        confirmed = status in (Status.CONFIRMED, Status.APPROVED, Status.REJECTED)
        answers = {}
        for question in questions:
            choices = [c.strip() for c in (question.choices or "").splitlines() if c.strip()]
            if question.field_type == "checkboxes" and choices:
                answers[question.clean_name] = rng.sample(choices, k=rng.randint(1, len(choices)))
            elif choices:
                answers[question.clean_name] = rng.choice(choices)
            elif question.field_type == "checkbox":
                answers[question.clean_name] = rng.random() < 0.5
            else:
                answers[question.clean_name] = rng.choice(ORG_TOPICS)
        registration = Registration(
            campaign=page,
            tracking_code=code,
            status=status,
            source=_weighted(rng, SOURCE_WEIGHTS),
            language="fa",
            kind=kind,
            organisation_name=organisation,
            province=province,
            city=CITIES.get(province, ""),
            fields_of_activity=rng.sample(ActivityField.values, k=rng.randint(1, 3)),
            capacities=rng.sample(Capacity.values, k=rng.randint(1, 3)),
            experience=rng.choice(["", "ده سال کار با کودکان کار", "برگزاری کلاس‌های سوادآموزی"]),
            years_active=rng.randint(0, 30),
            member_count=rng.randint(3, 500),
            representative_name=representative,
            mobile=mobile,
            national_code=_national_code(rng) if rng.random() < 0.6 else "",
            email="",
            consent=status != Status.DRAFT,
            extra_answers=answers,
            phone_verified_at=created_at if confirmed else None,
            confirmed_at=created_at + timedelta(minutes=2) if confirmed else None,
            rejection_reason="اطلاعات ناقص" if status == Status.REJECTED else "",
        )
        registration.created_at = created_at
        registration.search_text = search_text_for(organisation, representative)
        return registration
