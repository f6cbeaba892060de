"""Demo data for `make run` (load_demo_content): verified problem reports, approved groups, a
facilitator and one intervention half-way through (in implementation).

Everything is marked as a demo (titles and names say «نمونه»), its mobiles are in a range
no real line uses, and those mobiles are opted out so no SMS is ever queued for them.
Two more groups are invited to it: one accepted (so it takes part), one still waiting.
Safe to run twice: nothing is made when the demo intervention is already there, and its
invitations are added only when it has none (a database loaded before they existed gets them).
"""

import datetime
import secrets
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from problems.choices import ReportStatus
from problems.models import Problem, Report
from problems.services import search_text_of
from registrations.choices import Kind, Status
from registrations.models import Registration
from sms.models import SmsOptOut

from . import invitations
from .choices import Stage
from .invitation_models import Invitation
from .models import Intervention
from .services import records, stages


DEMO_TITLE = "نمونه: کاهش اعتیاد جوانان در محلهٔ نازی‌آباد"
DEMO_MOBILES = [f"+9891200000{n:02d}" for n in range(1, 21)]

REPORTS = [
    (
        "addiction",
        "نمونه: مصرف مواد در پارک محله",
        "شب‌ها گروهی از جوانان در پارک نازی‌آباد مواد مصرف می‌کنند و خانواده‌ها نگرانند.",
    ),
    (
        "addiction",
        "نمونه: نبود جای سالم برای نوجوانان",
        "نوجوانان محله پس از مدرسه جایی برای ورزش و دور هم بودن ندارند.",
    ),
    (
        "unemployment",
        "نمونه: بیکاری جوانان محله",
        "بسیاری از جوانان محله کار ثابت ندارند و روزها را بیکار می‌گذرانند.",
    ),
]

GROUPS = [
    (
        "نمونه: هیئت جوانان انصار",
        Kind.RELIGIOUS_BOARD,
        ["religious", "children_youth"],
        ["venue", "volunteers"],
        True,
    ),
    (
        "نمونه: انجمن یاوران سلامت",
        Kind.NGO,
        ["addiction", "health"],
        ["counselling", "specialists"],
        True,
    ),
    (
        "نمونه: گروه مردمی ورزش محله",
        Kind.POPULAR_GROUP,
        ["sport"],
        ["volunteers", "equipment"],
        False,
    ),
]


# Invited to the demo intervention: the first accepts, the second has not answered yet.
INVITED = [
    (
        "نمونه: کانون فرهنگی مهر محله",
        Kind.CHARITY,
        ["addiction", "children_youth"],
        ["training", "volunteers"],
    ),
    ("نمونه: خیریهٔ همسایگان نازی‌آباد", Kind.CHARITY, ["charity", "women_family"], ["funding"]),
]
# After the reports, the groups and the facilitator (whose 7th mobile the docs give).
INVITED_MOBILES = DEMO_MOBILES[7:9]


def _mobiles():
    yield from DEMO_MOBILES


def _registration(campaign, mobile, **fields) -> Registration:
    values = {
        "campaign": campaign,
        "tracking_code": str(10_000_000 + secrets.randbelow(90_000_000)),
        "status": Status.APPROVED,
        "source": "web",
        "language": "fa",
        "province": "tehran",
        "city": "تهران",
        "mobile": mobile,
        "national_code": "0499370899",
        "consent": True,
        "confirmed_at": timezone.now(),
        "reviewed_at": timezone.now(),
    }
    values.update(fields)
    return Registration.objects.create(**values)


def _report(problem_slug, title, description, mobile) -> Report:
    problem = Problem.objects.filter(slug=problem_slug).first() or Problem.objects.first()
    return Report.objects.create(
        number=str(1_000_000 + secrets.randbelow(9_000_000)),
        problem=problem,
        title=title,
        description=description,
        province="tehran",
        city="تهران",
        neighbourhood="نازی‌آباد",
        people_affected="101-1000",
        since="years",
        status=ReportStatus.VERIFIED,
        source="web",
        language="fa",
        reporter_mobile=mobile,
        search_text=search_text_of(title, description),
        verified_at=timezone.now(),
    )


def _invite(intervention, campaign, user, log) -> bool:
    """Two invitations to the demo intervention, once: one accepted, one waiting."""
    if Invitation.objects.filter(intervention=intervention).exists():
        return False
    if not invitations.may_invite(intervention, user):
        return False
    groups = []
    for mobile, (name, kind, fields, capacities) in zip(INVITED_MOBILES, INVITED, strict=True):
        SmsOptOut.objects.get_or_create(mobile=mobile)
        groups.append(
            Registration.objects.filter(mobile=mobile, organisation_name=name).first()
            or _registration(
                campaign,
                mobile,
                kind=kind,
                organisation_name=name,
                representative_name="نمایندهٔ نمونه",
                fields_of_activity=fields,
                capacities=capacities,
            )
        )
    accepted, _waiting = invitations.invite(intervention, groups, user=user)
    # accept() asks only for the group's registrations: the demo answers as that group would.
    invitations.accept(
        accepted,
        group=SimpleNamespace(registrations=Registration.objects.filter(pk=groups[0].pk)),
        capacities=["training"],
        show_name=True,
    )
    log(
        f"Demo invitations: “{groups[0].organisation_name}” accepted, "
        f"“{groups[1].organisation_name}” not answered yet."
    )
    return True


@transaction.atomic
def load_demo(log=print) -> bool:
    existing = Intervention.objects.filter(title=DEMO_TITLE).first()
    if existing is not None:
        campaign = Registration._meta.get_field("campaign").related_model.objects.filter(
            slug="nehzat"
        )
        user = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        if campaign.exists() and _invite(existing, campaign.first(), user, log):
            return True
        log("The demo intervention is already there; nothing to do.")
        return False
    campaign_field = Registration._meta.get_field("campaign")
    campaign = campaign_field.related_model.objects.filter(slug="nehzat").first()
    if campaign is None:
        log("No demo campaign: skipping the demo intervention.")
        return False
    user = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    mobiles = _mobiles()
    for mobile in DEMO_MOBILES:
        SmsOptOut.objects.get_or_create(mobile=mobile)

    reports = [_report(slug, title, text, next(mobiles)) for slug, title, text in REPORTS]
    groups = [
        _registration(
            campaign,
            next(mobiles),
            kind=kind,
            organisation_name=name,
            representative_name="نمایندهٔ نمونه",
            fields_of_activity=fields,
            capacities=capacities,
        )
        for name, kind, fields, capacities, _shown in GROUPS
    ]
    facilitator_mobile = next(mobiles)
    person = _registration(
        campaign,
        facilitator_mobile,
        kind=Kind.FACILITATOR,
        representative_name="تسهیلگر نمونه",
        fields_of_activity=["social_harm", "popular_participation"],
        capacities=["counselling", "training"],
        experience="نمونه: ده سال تسهیلگری جلسه‌های محله",
    )

    today = timezone.localdate()
    intervention = stages.open_intervention(
        reports=reports[:2],
        title=DEMO_TITLE,
        aim=(
            "نمونه: کاهش مصرف مواد در میان جوانان نازی‌آباد با مشارکت خانواده‌ها، هیئت‌ها "
            "و گروه‌های محله، و ساختن جای سالم برای نوجوانان."
        ),
        province="tehran",
        city="تهران",
        neighbourhood="نازی‌آباد",
        start_date=today - datetime.timedelta(days=40),
        facilitator_registration=person,
        user=user,
    )
    participants = [
        records.add_participant(
            intervention,
            registration=group,
            capacities=group.capacities,
            show_name=shown,
            user=user,
        )
        for group, (*_rest, shown) in zip(groups, GROUPS, strict=True)
    ]
    records.save_findings(
        intervention,
        findings=(
            "نمونه: در سه جلسهٔ محله و ۶۰ پرسش‌نامه، خانواده‌ها تاریکی پارک، نبود برنامهٔ "
            "ورزشی عصرها و نبود مشاوره را بزرگ‌ترین کمبودها دانستند."
        ),
        user=user,
    )
    records.add_consultation(intervention, kind="residents", count=45, user=user)
    records.add_consultation(
        intervention, kind="youth", count=30, participant=participants[2], user=user
    )
    records.add_consultation(
        intervention, kind="religious", count=6, participant=participants[0], user=user
    )
    stages.advance(intervention, user=user)
    needs = [
        records.add_need(intervention, title=title, user=user)
        for title in ("روشنایی و امنیت پارک", "برنامهٔ ورزشی عصرها", "مشاورهٔ خانواده")
    ]
    for participant, order in zip(participants, ((1, 0, 2), (2, 1, 0), (1, 2, 0)), strict=True):
        records.vote(
            intervention,
            participant=participant,
            ranks={needs[index].pk: rank for rank, index in enumerate(order, start=1)},
            user=user,
        )
    records.decide(intervention, user=user)
    stages.advance(intervention, user=user)
    records.save_plan(
        intervention, summary="نمونه: سه ماه، سه هدف، با منابع گروه‌های محله.", user=user
    )
    plan = [
        ("پارک امن", "نصب چراغ و گشت شبانهٔ داوطلبان", ["volunteers", "equipment", "funding"], 0),
        ("ورزش عصرها", "فوتبال و والیبال عصرها در حیاط مسجد", ["venue", "equipment"], 2),
        ("خانواده‌ها", "جلسه‌های مشاورهٔ خانواده", ["counselling", "specialists"], 1),
    ]
    activities = []
    for index, (objective_title, activity_title, resources, responsible) in enumerate(plan):
        objective = records.add_objective(
            intervention, title=objective_title, need=needs[index], user=user
        )
        activities.append(
            records.add_activity(
                objective,
                title=activity_title,
                starts_on=today - datetime.timedelta(days=20 - 5 * index),
                ends_on=today + datetime.timedelta(days=30 + 10 * index),
                responsible=participants[responsible],
                resources_needed=resources,
                user=user,
            )
        )
    stages.advance(intervention, user=user)
    records.add_progress(
        activities[0],
        text="نمونه: ده چراغ نصب شد و گشت شبانه دو شب در هفته برقرار است.",
        happened_on=today - datetime.timedelta(days=3),
        user=user,
    )
    records.set_done(activities[0], done=True, user=user)
    records.add_commitment(
        participants[0],
        capacity="venue",
        description="نمونه: حیاط مسجد، عصرهای زوج",
        committed_on=today - datetime.timedelta(days=10),
        activity=activities[1],
        user=user,
    )
    _invite(intervention, campaign, user, log)
    intervention.refresh_from_db()
    log(
        f"Demo intervention “{intervention.title}” in {Stage(intervention.stage).label}; "
        f"the facilitator signs in "
        f"at /account/ with {facilitator_mobile} (the code is in the SMS outbox)."
    )
    return True
