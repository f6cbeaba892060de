import pytest

from sms.backends.text import MAX_LENGTH, is_gsm7, segment_count


PERSIAN = "س"
EMOJI = "😀"  # outside the BMP: two UTF-16 units


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("", 0),
        ("a", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        (PERSIAN * 70, 1),
        (PERSIAN * 71, 2),
        (PERSIAN * 134, 2),
        (PERSIAN * 135, 3),
        ("a" * 69 + PERSIAN, 1),
        ("a" * 70 + PERSIAN, 2),
    ],
)
def test_segment_count_boundaries(text, parts):
    assert segment_count(text) == parts


def test_one_persian_letter_makes_latin_text_ucs2():
    assert segment_count("a" * 100) == 1
    assert segment_count("a" * 99 + "ی") == 2


def test_persian_digits_are_not_gsm7():
    assert not is_gsm7("کد ۱۲۳۴")
    assert is_gsm7("code 1234")


def test_emoji_counts_as_two_units():
    assert segment_count(PERSIAN * 68 + EMOJI) == 1
    assert segment_count(PERSIAN * 69 + EMOJI) == 2


def test_emoji_is_not_split_across_parts():
    # 134 units would fit two parts of 67, but the emoji cannot straddle the boundary.
    assert segment_count(PERSIAN * 66 + EMOJI + PERSIAN * 66) == 3


def test_gsm7_extension_characters_count_two():
    assert segment_count("€" * 80) == 1
    assert segment_count("€" * 80 + "a") == 2
    assert segment_count("a" * 159 + "{") == 2


def test_gsm7_escape_is_not_split_across_parts():
    assert segment_count("a" * 152 + "€" + "a" * 152) == 3


def test_max_length_is_kavenegars_limit():
    assert MAX_LENGTH == 900
