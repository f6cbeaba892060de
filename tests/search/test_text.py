"""Words, index text, highlighting and snippets: the pure functions behind site search."""

import re

from django.utils.html import escape

from hypothesis import given
from hypothesis import strategies as st

from persian.text import normalize, search_terms, word_spans
from search.indexing import index_text
from search.services import highlight, query_terms, snippet


def test_word_spans_point_at_the_words_as_written():
    text = "طرح مـلــی، مردم‌نهاد (۱۴۰۳)"
    assert [(text[start:end], word) for start, end, word in word_spans(text)] == [
        ("طرح", "طرح"),
        ("مـلــی", "ملی"),
        ("مردم", "مردم"),  # a ZWNJ separates words, as a space does
        ("نهاد", "نهاد"),
        ("۱۴۰۳", "1403"),
    ]


def test_search_terms_drop_punctuation_and_search_syntax():
    assert search_terms('"ملی" OR (طرح*) -نهضت: ؟') == ["ملی", "or", "طرح", "نهضت"]


def test_a_query_is_read_up_to_200_characters():
    assert query_terms("ا" * 199 + " ملی") == ["ا" * 199]


def test_index_text_holds_each_word_and_each_joined_pair():
    assert index_text("سازمان‌های مردم نهاد،").split() == [
        "سازمان",
        "های",
        "مردم",
        "نهاد",
        "سازمانهای",
        "هایمردم",
        "مردمنهاد",
    ]


@given(st.text())
def test_search_terms_are_single_normalised_words(text):
    for term in search_terms(text):
        assert term == normalize(term)
        assert term and not any(char.isspace() for char in term)


@given(st.text())
def test_every_word_of_a_text_is_in_its_index_text(text):
    assert set(search_terms(text)) <= set(index_text(text).split())


def test_highlight_marks_the_words_in_their_original_spelling():
    assert highlight("طــرح مـلــی نهضت", ["ملی"]) == "طــرح <mark>مـلــی</mark> نهضت"


def test_highlight_marks_a_joined_query_word_written_with_a_space_once():
    assert highlight("سازمان مردم نهاد", ["مردمنهاد"]) == "سازمان <mark>مردم نهاد</mark>"


def test_highlight_marks_a_joined_query_word_written_with_a_zwnj_once():
    assert highlight("سازمان مردم‌نهاد", ["مردمنهاد"]) == "سازمان <mark>مردم‌نهاد</mark>"


def test_highlight_escapes_the_text():
    assert highlight("<b>ملی</b> & طرح", ["ملی"]) == "&lt;b&gt;<mark>ملی</mark>&lt;/b&gt; &amp; طرح"


@given(st.text(), st.integers(0, 40), st.integers(0, 40))
def test_highlight_only_adds_marks_to_the_escaped_text(text, start, end):
    terms = query_terms(text[start:end])  # words of the text itself, so some get marked
    assert re.sub("</?mark>", "", highlight(text, terms)) == escape(text)


def test_a_snippet_without_a_match_is_the_beginning_of_the_text():
    assert snippet("یک دو سه چهار", ["پنج"], length=6) == "یک دو …"


def test_a_short_text_is_its_own_snippet():
    assert snippet("یک\nدو سه", ["دو"]) == "یک <mark>دو</mark> سه"
