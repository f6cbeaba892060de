# ruff: noqa: F403, F405 - the back-office fixtures come from tests.backoffice
"""The listing at national scale: estimated count, exact lookups, containment filters."""

from django.db import connection

import pytest

from registrations.backoffice import estimates
from tests.backoffice import *


pytestmark = pytest.mark.django_db

INDEX = "/admin/registrations/"
postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="PostgreSQL's row estimate"
)


def test_whole_mobile_is_looked_up_exactly_and_part_of_one_by_substring(manager_client, demo):
    whole = make_registration(demo, mobile="+989123456789")
    other = make_registration(demo, mobile="+989351234567")

    response = manager_client.get(INDEX, {"q": "۰۹۱۲۳۴۵۶۷۸۹"})
    assert [r.tracking_code for r in response.context["table"].data] == [whole.tracking_code]
    response = manager_client.get(INDEX, {"q": "۱۲۳۴۵۶۷"})
    assert {r.tracking_code for r in response.context["table"].data} == {
        whole.tracking_code,
        other.tracking_code,
    }


@pytest.mark.parametrize(
    "field,param", [("fields_of_activity", "field_of_activity"), ("capacities", "capacity")]
)
def test_list_filters_match_whole_codes_only(manager_client, demo, field, param):
    code = "health" if field == "fields_of_activity" else "venue"
    match = make_registration(
        demo, **{field: [code, "education" if code == "health" else "funding"]}
    )
    make_registration(demo, **{field: []})
    # A code that contains the one filtered for, as text, is not a match.
    make_registration(
        demo,
        organisation_name=f'"{code}"',
        **{field: ["charity" if code == "health" else "volunteers"]},
    )

    response = manager_client.get(INDEX, {param: code})

    assert [r.tracking_code for r in response.context["table"].data] == [match.tracking_code]


def test_small_table_shows_the_exact_count(manager_client, demo):
    for _ in range(3):
        make_registration(demo)

    html = manager_client.get(INDEX).content.decode()

    assert "3 ثبت‌نام‌ها" in html and "حدود" not in html


@postgresql_only
def test_large_table_shows_an_estimate_without_counting(manager_client, demo, monkeypatch):
    for _ in range(4):
        make_registration(demo)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registrations_registration")
    monkeypatch.setattr(estimates, "ESTIMATE_FROM", 1)

    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        html = manager_client.get(INDEX).content.decode()

    assert "حدود ۴ ثبت‌نام" in html
    assert not [
        q for q in queries if "COUNT(*)" in q["sql"] and "registrations_registration" in q["sql"]
    ]
    # A filtered listing is counted exactly.
    html = manager_client.get(INDEX, {"province": "tehran"}).content.decode()
    assert "حدود" not in html and "۴" in html


@postgresql_only
def test_indexes_exist_for_the_searches_and_filters():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'registrations_registration'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert {
        "registrations_search_text_trgm",
        "registrations_mobile_trgm",
        "registrations_mobile",
        "registrations_tracking_code_prefix",
        "registrations_activity_gin",
        "registrations_capacities_gin",
    } <= names


@pytest.mark.parametrize("extra", [0, 30])
def test_listing_queries_do_not_grow_with_the_rows(
    manager_client, demo, extra, django_assert_num_queries
):
    make_registration(demo, mobile="+989123456789")
    for _ in range(extra):
        make_registration(demo)
    manager_client.get(INDEX)

    with django_assert_num_queries(LISTING_QUERIES):
        assert manager_client.get(INDEX).status_code == 200
    with django_assert_num_queries(SEARCH_QUERIES):
        assert (
            manager_client.get(INDEX, {"q": "۰۹۱۲۳۴۵۶۷۸۹", "province": "tehran"}).status_code == 200
        )


# PostgreSQL reads the table's row estimate first (then counts exactly: a small table).
LISTING_QUERIES = 14 if connection.vendor == "postgresql" else 13
# PostgreSQL fetches a narrow search's ids first (search_text.NARROW_MATCH).
SEARCH_QUERIES = 14 if connection.vendor == "postgresql" else 13


def test_a_deep_page_shows_the_same_rows_read_through_its_ids(demo, monkeypatch):
    from registrations.models import Registration

    for _ in range(8):
        make_registration(demo)
    ordered = Registration.objects.order_by("-created_at", "-pk")
    wanted = [r.tracking_code for r in ordered]
    monkeypatch.setattr(estimates, "DEFERRED_JOIN_FROM", 0)
    paginator = estimates.EstimatedCountPaginator(ordered, 3)

    pages = [[r.tracking_code for r in paginator.page(n).object_list] for n in (1, 2, 3)]

    assert pages == [wanted[0:3], wanted[3:6], wanted[6:8]]


@pytest.mark.parametrize("narrow", [1000, 1])
def test_search_is_the_same_whether_its_ids_are_fetched_first_or_not(
    manager_client, demo, monkeypatch, narrow
):
    from registrations import search_text

    monkeypatch.setattr(search_text, "NARROW_MATCH", narrow)
    matches = {
        make_registration(demo, organisation_name="انجمن یاوران محله").tracking_code
        for _ in range(3)
    }
    make_registration(demo, organisation_name="گروه جهادی امید", representative_name="علی رضایی")

    response = manager_client.get(INDEX, {"q": "ياوران"})

    assert {r.tracking_code for r in response.context["table"].data} == matches
