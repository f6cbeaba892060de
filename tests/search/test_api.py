"""The JSON search endpoint and Wagtail API v2's `?search=`, both Persian-aware."""

import pytest

from tests.factories import text_campaign


pytestmark = pytest.mark.django_db


@pytest.fixture
def home_page(bare_site):
    """Search results are asserted exactly, so no demo page may answer too."""
    return bare_site


def get_json(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200
    return response.json()


def test_the_search_api_returns_titles_urls_and_marked_snippets(client, home_page):
    text_campaign("کمپین کتاب", "کتاب برای کودکان <همه> جا", slug="books")
    data = get_json(client, "/api/search/", q="كودكان")
    assert data["results"] == [
        {
            "title": "کمپین کتاب",
            "url": "http://testserver/books/",  # the Site follows PUBLIC_BASE_URL
            "snippet": "درباره طرح کتاب برای <mark>کودکان</mark> &lt;همه&gt; جا",
        }
    ]


def test_the_search_api_reports_the_total_and_the_page(client, home_page):
    for n in range(12):
        text_campaign(f"کمپین {n}", "داوطلب")
    data = get_json(client, "/api/search/", q="داوطلب", page="2")
    assert {key: data[key] for key in ("total", "page", "pages", "per_page")} == {
        "total": 12,
        "page": 2,
        "pages": 2,
        "per_page": 10,
    }
    assert len(data["results"]) == 2


def test_the_search_api_searches_persian_pages_by_default(client, demo):
    data = get_json(client, "/api/search/", q="30001152")
    assert data["locale"] == "fa"
    assert [r["title"] for r in data["results"]] == ["طرح ملی نهضت مشارکت اجتماعی"]


def test_the_search_api_searches_the_locale_asked_for(client, demo):
    data = get_json(client, "/api/search/", q="30001152", locale="en")
    assert [r["title"] for r in data["results"]] == ["National Social Participation Movement"]


def test_an_unknown_locale_is_a_bad_request(client, home_page):
    response = client.get("/api/search/", {"q": "کتاب", "locale": "xx"})
    assert response.status_code == 400
    assert response.json() == {"message": "unknown locale: xx"}


def test_an_empty_query_gives_no_results(client, home_page):
    text_campaign("کمپین", "داوطلب")
    data = get_json(client, "/api/search/", q="")
    assert (data["total"], data["results"]) == (0, [])


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"*-:(OR'},
        {"q": "داوطلب", "page": "abc"},
        {"q": "داوطلب", "page": "99999"},
        {"q": "داوطلب " * 500},
        {},
    ],
)
def test_odd_input_gets_a_normal_answer(client, home_page, params):
    text_campaign("کمپین", "داوطلب")
    data = get_json(client, "/api/search/", **params)
    assert set(data) >= {"total", "page", "pages", "results"}


def test_the_search_api_echoes_the_query_cut_to_200_characters(client, home_page):
    data = get_json(client, "/api/search/", q="ملی " * 100)
    assert data["query"] == ("ملی " * 50).strip()


def titles(data):
    return [item["title"] for item in data["items"]]


@pytest.mark.parametrize(
    ("query", "written"),
    [
        ("ايران", "ایران"),
        ("مردم‌نهاد", "مردمنهاد"),
        ("مردم نهاد", "مردمنهاد"),
        ("ملی", "مـلــی"),
        ("۱۴۰۳", "1403"),
    ],
)
def test_api_v2_page_search_folds_persian_spellings(client, home_page, query, written):
    text_campaign("کمپین آزمایشی", f"گزارش {written}")
    data = get_json(client, "/api/v2/pages/", search=query)
    assert titles(data) == ["کمپین آزمایشی"]


def test_api_v2_page_search_with_search_syntax_gets_a_normal_answer(client, home_page):
    text_campaign("کمپین آزمایشی", "گزارش")
    data = get_json(client, "/api/v2/pages/", search='"گزارش')
    assert titles(data) == ["کمپین آزمایشی"]


def test_api_v2_page_search_without_any_word_finds_nothing(client, home_page):
    text_campaign("کمپین آزمایشی", "گزارش")
    assert titles(get_json(client, "/api/v2/pages/", search="؟!")) == []


def test_api_v2_page_search_or_operator_finds_either_word(client, home_page):
    text_campaign("کمپین کتاب", "کتاب")
    text_campaign("کمپین بازی", "بازی")
    data = get_json(client, "/api/v2/pages/", search="كتاب بازی", search_operator="or")
    assert sorted(titles(data)) == ["کمپین بازی", "کمپین کتاب"]


def test_api_v2_page_search_and_operator_needs_every_word(client, home_page):
    text_campaign("کمپین کتاب", "کتاب")
    text_campaign("کمپین بازی", "بازی")
    data = get_json(client, "/api/v2/pages/", search="كتاب بازی")
    assert titles(data) == []


def test_api_v2_page_search_with_an_unknown_operator_is_a_bad_request(client, home_page):
    response = client.get("/api/v2/pages/", {"search": "کتاب", "search_operator": "xor"})
    assert response.status_code == 400
    assert response.json() == {"message": "search_operator must be 'and' or 'or'"}
