"""The /search/ page: Persian-aware matching through the real full-text index, snippets, paging.

Pages are published inside each test, so Wagtail indexes them right away (django-tasks'
immediate backend): every search here goes through the database's full-text index.
"""

import re

from django.db import connection

from wagtail.models import PageViewRestriction
from wagtail.search.backends import get_search_backend

import pytest

from tests.factories import text_campaign


pytestmark = pytest.mark.django_db


@pytest.fixture
def home_page(bare_site):
    """Search results are asserted exactly, so no demo page may answer too."""
    return bare_site


def results(html: str) -> list[str]:
    """The result titles a visitor sees, marks removed."""
    titles = re.findall(r'<h2 class="search-result__title"><a [^>]*>(.*?)</a></h2>', html)
    return [re.sub(r"</?mark>", "", title) for title in titles]


def search(client, query, path="/search/", **params):
    response = client.get(path, {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_search_runs_on_the_databases_full_text_index():
    backend = get_search_backend()
    if connection.vendor == "postgresql":
        assert type(backend).__name__ == "PostgresSearchBackend"
        assert backend.config == "simple"
    else:
        assert type(backend).__name__ == "SQLiteSearchBackend"


def test_a_query_with_zwnj_finds_the_seed_text_that_lost_it(client, demo):
    html = search(client, "مردم‌نهاد")
    assert results(html) == ["طرح ملی نهضت مشارکت اجتماعی"]
    assert "<mark>مـردمنهـاد</mark>" in html


@pytest.mark.parametrize(
    "query",
    ["ارتقا", "ﺍﺭﺗﻘﺎء", "ﻣﺸﺎﺭﻛﺖ ﺍﺟﺘﻤﺎﻋﯽ", "اجتماعے", "ہمگانی"],
)
def test_the_spellings_an_outside_comparison_missed_find_the_campaign(client, demo, query):
    assert "طرح ملی نهضت مشارکت اجتماعی" in results(search(client, query))


def test_a_query_typed_with_a_space_finds_the_seed_text_written_joined(client, demo):
    html = search(client, "مردم نهاد")
    assert results(html) == ["طرح ملی نهضت مشارکت اجتماعی"]
    assert "<mark>مـردمنهـاد</mark>" in html


@pytest.mark.parametrize(
    ("query", "written"),
    [
        ("ملی", "مـلــی"),  # tatweel in the text
        ("ايران", "ایران"),  # Arabic yeh in the query
        ("كودكان", "کودکان"),  # Arabic kaf in the query
        ("ایران", "ايران"),  # Arabic yeh in the text
        ("كِتَاب", "کتاب"),  # diacritics in the query
        ("۱۴۰۳", "1403"),
        ("1403", "۱۴۰۳"),
        ("١٤٠٣", "1403"),  # Arabic-Indic digits
        ("مردمنهاد", "مردم نهاد"),  # joined query, spaced text
        ("مردمنهاد", "مردم‌نهاد"),  # joined query, text with ZWNJ
        ("مردم نهاد", "مردم‌نهاد"),
        ("ﻣﺸﺎﺭﻛﺖ", "مشارکت"),  # presentation forms in the query
        ("مشارکت", "ﻣﺸﺎﺭﻛﺖ"),  # presentation forms in the text, as pasted from a PDF
        ("همے", "همی"),  # Urdu yeh barree
        ("ہمه", "همه"),  # Urdu heh goal
        ("ارتقا", "ارتقاء"),  # final hamza in the text
        ("ارتقاء", "ارتقا"),  # final hamza in the query
    ],
)
def test_spellings_a_reader_sees_as_one_word_find_each_other(client, home_page, query, written):
    text_campaign("کمپین آزمایشی", f"گزارش سال {written} برای همه")
    html = search(client, query)
    assert results(html) == ["کمپین آزمایشی"]
    assert f"<mark>{written}</mark>" in html


def test_a_word_finds_its_plural_written_with_a_zwnj(client, home_page):
    text_campaign("کمپین آزمایشی", "همه سازمان‌ها")
    html = search(client, "سازمان")
    assert results(html) == ["کمپین آزمایشی"]
    assert "<mark>سازمان</mark>‌ها" in html


def test_a_word_in_no_page_finds_nothing(client, home_page):
    text_campaign("کمپین آزمایشی", "گزارش سال ۱۴۰۳")
    html = search(client, "کتابخانه")
    assert results(html) == []
    assert "چیزی با جست‌وجوی شما پیدا نشد." in html


def test_every_word_of_the_query_must_be_on_the_page(client, home_page):
    text_campaign("کمپین کتاب", "کتاب برای کودکان")
    text_campaign("کمپین بازی", "بازی برای کودکان")
    assert results(search(client, "کتاب کودکان")) == ["کمپین کتاب"]


def test_the_matched_words_of_the_title_are_marked(client, home_page):
    text_campaign("طرح مـلــی کتابخوانی", "متن")
    html = search(client, "ملی")
    assert "طرح <mark>مـلــی</mark> کتابخوانی" in html


def test_the_snippet_escapes_the_page_text_around_the_marks(client, home_page):
    text_campaign("کمپین", "نوشتن <b>داوطلب</b> در متن")
    html = search(client, "داوطلب")
    assert "نوشتن &lt;b&gt;<mark>داوطلب</mark>&lt;/b&gt; در متن" in html


def test_the_snippet_is_cut_around_the_first_match_of_a_long_text(client, home_page):
    text_campaign("کمپین", "آغاز متن " + "واژه " * 300 + "داوطلب پایان متن")
    html = search(client, "داوطلب")
    snippet = re.search(r'<p class="search-result__snippet">(.*?)</p>', html).group(1)
    assert snippet.startswith("… واژه")
    assert "<mark>داوطلب</mark> پایان متن" in snippet
    assert "آغاز" not in snippet


def test_the_campaigns_sms_line_is_searchable_as_the_visitor_reads_it(client, demo):
    html = search(client, "۳۰۰۰۱۱۵۲")
    assert results(html) == ["طرح ملی نهضت مشارکت اجتماعی"]
    assert "به شماره <mark>30001152</mark> ارسال نمایید" in html


def test_the_english_search_page_lists_english_pages_only(client, demo):
    html = search(client, "30001152", path="/en/search/")
    assert results(html) == ["National Social Participation Movement"]
    assert '<html lang="en" dir="ltr">' in html


def test_the_persian_search_page_lists_persian_pages_only(client, demo):
    assert results(search(client, "30001152")) == ["طرح ملی نهضت مشارکت اجتماعی"]


def test_an_unpublished_page_is_not_found(client, home_page):
    page = text_campaign("کمپین پیش‌نویس", "داوطلب")
    page.unpublish()
    assert results(search(client, "داوطلب")) == []


def test_a_private_page_is_not_found(client, home_page):
    page = text_campaign("کمپین خصوصی", "داوطلب")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert results(search(client, "داوطلب")) == []


def test_a_republished_page_is_found_by_its_new_words_only(client, home_page):
    page = text_campaign("کمپین", "داوطلب")
    page.summary = "نیکوکار"
    page.body = []
    page.save_revision().publish()
    assert results(search(client, "نیکوکار")) == ["کمپین"]
    assert results(search(client, "داوطلب")) == []


@pytest.fixture
def twelve_campaigns(home_page):
    return [text_campaign(f"کمپین {n}", "داوطلب") for n in range(12)]


def test_results_come_ten_to_a_page_counted_in_persian_digits(client, twelve_campaigns):
    html = search(client, "داوطلب")
    assert len(results(html)) == 10
    assert "۱۲ نتیجه" in html
    assert "صفحهٔ ۱ از ۲" in html
    assert 'href="?q=%D8%AF%D8%A7%D9%88%D8%B7%D9%84%D8%A8&amp;page=2"' in html


def test_the_last_page_holds_the_rest(client, twelve_campaigns):
    html = search(client, "داوطلب", page="2")
    assert len(results(html)) == 2
    assert "صفحهٔ ۲ از ۲" in html


def test_a_page_number_in_persian_digits_is_understood(client, twelve_campaigns):
    assert len(results(search(client, "داوطلب", page="۲"))) == 2


def test_a_page_number_past_the_end_shows_the_last_page(client, twelve_campaigns):
    assert len(results(search(client, "داوطلب", page="99999"))) == 2


def test_a_page_number_that_is_no_number_shows_the_first_page(client, twelve_campaigns):
    html = search(client, "داوطلب", page="abc")
    assert len(results(html)) == 10
    assert "صفحهٔ ۱ از ۲" in html


def test_english_pages_are_counted_in_ascii_digits(client, demo):
    assert "1 result" in search(client, "30001152", path="/en/search/")


def test_an_empty_query_shows_only_the_form(client, home_page):
    text_campaign("کمپین", "داوطلب")
    html = search(client, "")
    assert 'name="q"' in html
    assert "search-status" not in html


def test_a_query_without_any_word_asks_for_words(client, home_page):
    html = search(client, "؟! ... «»")
    assert "برای جست‌وجو دست‌کم یک واژه بنویسید." in html


@pytest.mark.parametrize("query", ['"ملی"', "ملی*", "-ملی", "ملی:", "(ملی)", "{ملی}", "^ملی"])
def test_search_syntax_is_read_as_plain_words(client, home_page, query):
    text_campaign("طرح ملی", "متن")
    assert results(search(client, query)) == ["طرح ملی"]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "-",
        ":",
        "(",
        ")",
        "OR",
        "AND NOT",
        "'; DROP TABLE wagtailcore_page; --",
        "%' OR 1=1 --",
        "\\",
        "\x00",
        "ملی" * 2000,
        "ملی " * 2000,
        "a" * 3000,
    ],
)
def test_odd_input_gets_a_normal_page(client, home_page, query):
    text_campaign("طرح ملی", "متن")
    html = search(client, query)
    assert '<form class="search-form"' in html


def test_a_long_query_is_cut_to_200_characters(client, home_page):
    html = search(client, "ملی " * 100)
    value = re.search(r'name="q" value="([^"]*)"', html).group(1)
    assert value == ("ملی " * 50).strip()
