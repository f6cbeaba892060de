"""Matching groups to problems: the order, the scores and the reasons on a fixed data set."""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interventions import matching
from interventions.adjacency import neighbours
from problems.models import Problem, ProblemCategory
from registrations.choices import Status
from tests.backoffice import make_registration
from tests.factories import CampaignPageFactory


@pytest.fixture
def campaign(bare_site):
    return CampaignPageFactory()


@pytest.fixture
def problem(db):
    category = ProblemCategory.objects.create(slug="t-cat", name_fa="دسته", name_en="Category")
    return Problem.objects.create(
        slug="t-youth-addiction",
        name_fa="اعتیاد نوجوانان",
        name_en="Teenage addiction",
        category=category,
        fields_of_activity=["addiction", "children_youth", "health"],
        capacities=["counselling", "venue"],
    )


@pytest.fixture
def groups(campaign):
    def group(name, **fields):
        fields.setdefault("status", Status.APPROVED)
        fields.setdefault("province", "tehran")
        fields.setdefault("city", "شهریار")
        return make_registration(campaign, organisation_name=name, **fields)

    return {
        "perfect-here": group(
            "g2", fields_of_activity=["addiction", "children_youth", "health"], capacities=["venue"]
        ),
        # The same city typed with an Arabic yeh and a stray space.
        "arabic-spelling": group(
            "g1",
            city="شهريار ",
            fields_of_activity=["addiction", "sport"],
            capacities=["volunteers"],
        ),
        "capital": group(
            "g3", city="تهران", fields_of_activity=["health"], capacities=["counselling", "venue"]
        ),
        "capital-tie": group(
            "g11", city="ری", fields_of_activity=["addiction"], capacities=["counselling", "venue"]
        ),
        "alborz": group(
            "g4",
            province="alborz",
            city="کرج",
            fields_of_activity=["addiction", "children_youth", "health"],
            capacities=["counselling", "venue"],
        ),
        # Left out, each for one reason:
        "isfahan": group(
            "g5",
            province="isfahan",
            city="اصفهان",
            fields_of_activity=["addiction", "children_youth", "health"],
            capacities=["counselling", "venue"],
        ),
        "confirmed": group("g6", status=Status.CONFIRMED, fields_of_activity=["addiction"]),
        "withdrawn": group("g7", status=Status.WITHDRAWN, fields_of_activity=["addiction"]),
        "no-fit": group("g8", fields_of_activity=["sport"], capacities=["transport"]),
        "facilitator": group(
            "g9", kind="facilitator", fields_of_activity=["addiction"], capacities=["venue"]
        ),
        "invited": group("g10", fields_of_activity=["addiction", "health"]),
    }


def names(result):
    return [c.registration.organisation_name for c in result]


def test_order_place_first_then_fit(problem, groups):
    result = matching.candidates(
        [problem],
        "tehran",
        "شهریار",
        needed_capacities=["venue"],
        exclude=[groups["invited"].pk],
    )
    assert names(result) == ["g2", "g1", "g3", "g11", "g4"]
    assert [c.place for c in result] == [0, 0, 1, 1, 2]
    # fields 3 points each, a still-needed capacity 4, a usual capacity 2
    assert [c.score for c in result] == [13, 3, 9, 9, 15]


def test_reasons_in_english(problem, groups):
    with translation.override("en"):
        result = matching.candidates(
            [problem],
            "tehran",
            "شهریار",
            needed_capacities=["venue"],
            exclude=[groups["invited"].pk],
        )
        reasons = {c.registration.organisation_name: c.reason for c in result}
    assert reasons["g2"] == (
        "same city; 3 of 3 fields match; offers a venue or space, still needed by the plan"
    )
    assert reasons["g1"] == "same city; 1 of 3 fields match"
    assert reasons["g3"] == (
        "same province; 1 of 3 fields match; offers a venue or space, still needed by the plan; "
        "offers counselling"
    )
    assert reasons["g4"] == (
        "neighbouring province (Alborz); 3 of 3 fields match; offers a venue or space, still "
        "needed by the plan; offers counselling"
    )


def test_reasons_in_persian_with_persian_digits(problem, groups):
    with translation.override("fa"):
        result = matching.candidates(
            [problem],
            "tehran",
            "شهریار",
            needed_capacities=["venue"],
            exclude=[groups["invited"].pk],
        )
        reasons = [c.reason for c in result]
    assert reasons[0] == (
        "همین شهر؛ ۳ حوزه از ۳ حوزهٔ فعالیت هم‌خوان است؛ "
        "مکان و فضا دارد، که برنامه هنوز به آن نیاز دارد"
    )
    assert reasons[4].startswith("استان همسایه (البرز)؛ ۳ حوزه از ۳")
    assert not any(digit in "".join(reasons) for digit in "0123456789")


def test_one_query_for_problem_rows_two_for_ids(problem, groups, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(matching.candidates([problem], "tehran", "شهریار")) == 6
    with django_assert_num_queries(2):
        assert len(matching.candidates([problem.pk], "tehran", "شهریار")) == 6


def test_a_capacity_the_plan_needs_lifts_a_group(problem, groups):
    plain = matching.candidates([problem], "tehran", "", exclude=[groups["invited"].pk])
    # No city asked: the whole province is one tier, ranked by fit alone.
    assert {c.place for c in plain if c.registration.province == "tehran"} == {1}
    assert names(plain)[:2] == ["g2", "g3"]
    needing = matching.candidates(
        [problem], "tehran", "", needed_capacities=["volunteers"], exclude=[groups["invited"].pk]
    )
    # g1 offers the volunteers the plan lacks: 3 + 4 = 7.
    assert next(c.score for c in needing if c.registration.organisation_name == "g1") == 7


def test_limit_and_exclude(problem, groups):
    result = matching.candidates([problem], "tehran", "شهریار", limit=2)
    assert names(result) == ["g2", "g10"]
    assert matching.candidates([problem], "tehran", "شهریار", limit=10_000)  # clamped, not refused
    excluded = [g.pk for g in groups.values()]
    assert matching.candidates([problem], "tehran", "شهریار", exclude=excluded) == []


def test_a_problem_mapping_nothing_offers_every_approved_group_in_the_area(campaign, groups, db):
    category = ProblemCategory.objects.create(slug="t-c2", name_fa="د", name_en="C")
    empty = Problem.objects.create(
        slug="t-empty", name_fa="خالی", name_en="Empty", category=category
    )
    result = matching.candidates([empty], "tehran", "شهریار")
    assert {c.score for c in result} == {0}
    assert "g8" in names(result)  # fits nothing, but nothing was asked
    with translation.override("en"):
        assert result[0].reason == "same city"


def test_the_candidate_carries_no_contact_details(problem, groups):
    candidate = matching.candidates([problem], "tehran", "شهریار")[0]
    assert {"mobile", "national_code", "email"} <= candidate.registration.get_deferred_fields()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"province": "atlantis"}, "استان را از فهرست انتخاب کنید."),
        ({"province": ""}, "استان را از فهرست انتخاب کنید."),
        ({"needed_capacities": ["gold"]}, "ظرفیت ناشناخته."),
        ({"limit": "ten"}, "یک عدد صحیح وارد کنید."),
        ({"exclude": ["x"]}, "یک عدد صحیح وارد کنید."),
    ],
)
def test_bad_input_is_refused_in_persian_before_any_query(problem, kwargs, message):
    arguments = {"problems": [problem], "province": "tehran", "city": "", **kwargs}
    with (
        translation.override("fa"),
        CaptureQueriesContext(connection) as queries,
        pytest.raises(ValidationError) as error,
    ):
        matching.candidates(**arguments)
    assert error.value.messages == [message]
    assert len(queries) == 0


def test_unknown_problem_ids_match_nothing(db, groups):
    assert matching.candidates([999_999], "tehran", "شهریار")[0].score == 0
    with pytest.raises(ValidationError):
        matching.candidates(["abc"], "tehran", "")


def test_fold_city_matches_its_sql_twin(campaign):
    from registrations.models import Registration

    spelling = "ك ي\u200cىـة"
    row = make_registration(campaign, city=spelling)
    folded = (
        Registration.objects.filter(pk=row.pk)
        .annotate(f=matching.FoldCity("city"))
        .values_list("f", flat=True)
        .get()
    )
    assert folded == matching.fold_city(spelling) == "کییه"


def test_for_an_intervention_what_the_plan_still_needs_counts(demo):
    from interventions import invitations
    from interventions.services import records, stages

    from .support import approved_group, coordinator, day, opened
    from .test_stages import to_planning

    user = coordinator()
    intervention = opened(demo, user=user)
    to_planning(intervention, user)
    objective = records.add_objective(intervention, title="پارک امن", user=user)
    lights = records.add_activity(
        objective,
        title="نصب چراغ",
        starts_on=day(),
        ends_on=day(30),
        resources_needed=["funding", "equipment"],
        user=user,
    )
    records.add_activity(
        objective,
        title="گشت شبانه",
        starts_on=day(),
        ends_on=day(9),
        resources_needed=["volunteers"],
    )
    assert matching.still_needed(intervention) == ["funding", "equipment", "volunteers"]
    helper = approved_group(demo, organisation_name="یاور", capacities=["funding"])
    participant = records.add_participant(intervention, registration=helper, capacities=["funding"])
    stages.advance(intervention, user=user)
    records.add_commitment(participant, capacity="funding", committed_on=day(), activity=lights)
    records.set_done(
        lights.objective.activities.get(title="گشت شبانه"), done=True, user=user
    )  # done: needs nothing more
    assert matching.still_needed(intervention) == ["equipment"]
    # The participant and the invited are never offered again.
    equipped = approved_group(demo, organisation_name="تجهیز", capacities=["equipment"])
    invited = approved_group(demo, organisation_name="دعوت‌شده", capacities=["equipment"])
    invitations.invite(intervention, [invited], user=user)
    result = matching.for_intervention(intervention)
    names = [c.registration.organisation_name for c in result]
    assert "یاور" not in names and "دعوت‌شده" not in names
    assert result[0].registration == equipped
    assert result[0].needed_offered == ("equipment",)


# --- property: the SQL ranking is the documented ranking ----------------------------------

PROVINCES = ["tehran", "alborz", "qom", "isfahan"]  # Tehran, two neighbours, one further away
CITIES = ["شهریار", "شهريار", "تهران", "کرج"]
FIELD_CODES = ["addiction", "health", "sport", "education"]
CAPACITY_CODES = ["venue", "funding", "counselling", "transport"]

group_strategy = st.fixed_dictionaries(
    {
        "province": st.sampled_from(PROVINCES),
        "city": st.sampled_from(CITIES),
        "status": st.sampled_from([Status.APPROVED, Status.APPROVED, Status.CONFIRMED]),
        "kind": st.sampled_from(["ngo", "ngo", "facilitator"]),
        "fields_of_activity": st.lists(st.sampled_from(FIELD_CODES), min_size=1, unique=True),
        "capacities": st.lists(st.sampled_from(CAPACITY_CODES), unique=True),
    }
)


def reference(rows, fields, usual, needed, city):
    """The ranking docs/interventions-matching.md describes, computed in plain Python."""
    area = {"tehran", *neighbours("tehran")}
    ranked = []
    for row in rows:
        if row.status != Status.APPROVED or row.kind == "facilitator" or row.province not in area:
            continue
        score = 3 * len(set(fields) & set(row.fields_of_activity))
        score += sum(4 if c in needed else 2 if c in usual else 0 for c in row.capacities)
        if (fields or usual or needed) and not (
            set(fields) & set(row.fields_of_activity) or {*usual, *needed} & set(row.capacities)
        ):
            continue
        if row.province != "tehran":
            place = 2
        elif matching.fold_city(row.city) == matching.fold_city(city):
            place = 0
        else:
            place = 1
        ranked.append((place, -score, row.pk))
    return sorted(ranked)


@settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    groups=st.lists(group_strategy, min_size=0, max_size=12),
    fields=st.lists(st.sampled_from(FIELD_CODES), unique=True, max_size=3),
    usual=st.lists(st.sampled_from(CAPACITY_CODES), unique=True, max_size=2),
    needed=st.lists(st.sampled_from(CAPACITY_CODES), unique=True, max_size=2),
    city=st.sampled_from(["شهریار", "", "کرج"]),
)
def test_sql_ranking_matches_the_reference(campaign, groups, fields, usual, needed, city):
    category, _ = ProblemCategory.objects.get_or_create(
        slug="t-prop", defaults={"name_fa": "د", "name_en": "C"}
    )
    with transaction.atomic():
        problem = Problem(
            slug="t-prop",
            name_fa="م",
            name_en="P",
            category=category,
            fields_of_activity=fields,
            capacities=usual,
        )
        rows = [make_registration(campaign, **g) for g in groups]
        result = matching.candidates([problem], "tehran", city, needed_capacities=needed)
        expected = reference(rows, fields, [c for c in usual if c not in needed], needed, city)
        assert [(c.place, -c.score, c.registration.pk) for c in result] == expected
        transaction.set_rollback(True)
