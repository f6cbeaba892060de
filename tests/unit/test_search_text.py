"""Words and index text: the pure functions behind site search."""

from hypothesis import given
from hypothesis import strategies as st

from search.indexing import index_text
from search.persian import normalize, search_terms, word_spans


def test_word_spans_point_at_the_words_as_written():
    text = "طرح مـلــی، مردم‌نهاد (۱۴۰۳)"
    assert [(text[start:end], word) for start, end, word in word_spans(text)] == [
        ("طرح", "طرح"),
        ("مـلــی", "ملی"),
        ("مردم‌نهاد", "مردمنهاد"),
        ("۱۴۰۳", "1403"),
    ]


def test_search_terms_drop_punctuation_and_search_syntax():
    assert search_terms('"ملی" OR (طرح*) -نهضت: ؟') == ["ملی", "or", "طرح", "نهضت"]


def test_index_text_holds_each_word_and_each_joined_pair():
    assert index_text("سازمان‌های مردم نهاد،").split() == [
        "سازمانهای",
        "مردم",
        "نهاد",
        "سازمانهایمردم",
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
