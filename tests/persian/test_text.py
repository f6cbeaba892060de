import pytest
from hypothesis import given
from hypothesis import strategies as st

from persian.text import (
    joined_variants,
    normalize,
    search_terms,
    to_ascii_digits,
    to_persian_digits,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("۰۹۱۲۳۴۵۶۷۸۹", "09123456789"),
        ("٠٩١٢٣٤٥٦٧٨٩", "09123456789"),
        ("09۱۲٣٤5678۹", "09123456789"),
        ("\u200f۰۹۱۲\u200e", "0912"),
    ],
)
def test_typed_digits_in_any_script_become_ascii(typed, expected):
    assert to_ascii_digits(typed) == expected


def test_persian_pages_get_persian_digits():
    assert to_persian_digits("30001152 و ٩") == "۳۰۰۰۱۱۵۲ و ۹"


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("ايران", "ایران"),  # Arabic yeh
        ("كتاب", "کتاب"),  # Arabic kaf
        ("كِتَاب", "کتاب"),  # diacritics
        ("مـلــی", "ملی"),  # tatweel
        ("مردم‌نهاد", "مردمنهاد"),  # ZWNJ
        ("خانة", "خانه"),
        ("سال ۱۴۰۳", "سال 1403"),
        ("  چند   فاصله  ", "چند فاصله"),
        ("Volunteer", "volunteer"),
        ("ﻣﺸﺎﺭﻛﺖ", "مشارکت"),  # Arabic presentation forms B (U+FE70–U+FEFF), from old PDFs
        ("ﮐﺘﺎﺏ", "کتاب"),  # presentation forms A (U+FB50–U+FDFF): keheh
        ("ﻻ", "لا"),  # the lam-alef ligature is two letters
        ("مشارکتے", "مشارکتی"),  # Urdu yeh barree
        ("ہمه", "همه"),  # Urdu heh goal
        ("ارتقاء", "ارتقا"),  # a final hamza is dropped
        ("ا\u0653ب", "آب"),  # alef + madda is آ, which stays a letter of its own
    ],
)
def test_spellings_a_reader_sees_as_one_word_normalise_together(variant, canonical):
    assert normalize(variant) == normalize(canonical) == canonical


def test_alef_madda_is_not_folded_into_alef():
    assert normalize("آب") != normalize("اب")


def test_a_ligature_of_several_words_gives_each_word():
    assert search_terms("ﷺ") == ["صلی", "الله", "علیه", "وسلم"]


def test_joined_variants_let_a_joined_query_find_spaced_text():
    assert "مردمنهاد" in joined_variants("سازمان مردم نهاد").split()


@given(st.text())
def test_normalise_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once
