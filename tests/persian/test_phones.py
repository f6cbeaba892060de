from django.core.exceptions import ValidationError

import pytest
from hypothesis import given
from hypothesis import strategies as st

from persian import phones
from persian.phones import normalize_sender, parse_mobile, validate_iranian_mobile
from persian.text import to_persian_digits


@pytest.mark.parametrize(
    "raw",
    [
        "+989121234567",
        "09121234567",
        "9121234567",
        "989121234567",
        "00989121234567",
        "۰۹۱۲۱۲۳۴۵۶۷",
        "٠٩١٢١٢٣٤٥٦٧",
        "0912 123 4567",
    ],
)
def test_iranian_mobile_in_any_spelling_becomes_e164(raw):
    assert parse_mobile(raw) == "+989121234567"


@pytest.mark.parametrize("raw", ["02188888888", "+14155550100", "30001152", "091212345", ""])
def test_other_numbers_are_not_iranian_mobiles(raw):
    assert parse_mobile(raw) is None


def test_a_sender_that_is_not_a_mobile_keeps_its_digits():
    assert normalize_sender("۳۰۰۰۱۱۵۲") == "30001152"


@given(st.integers(min_value=0, max_value=10**7 - 1), st.sampled_from(["0912", "0935", "0901"]))
def test_every_spelling_of_one_mobile_parses_to_the_same_e164(rest, prefix):
    national = f"{prefix}{rest:07d}"
    e164 = parse_mobile(national)
    assert e164 == "+98" + national[1:]
    for spelling in (to_persian_digits(national), "+98" + national[1:], national[1:]):
        assert parse_mobile(spelling) == e164
        assert phones.digits_key(spelling) == national[1:]


@given(st.text(max_size=20))
def test_parse_never_raises_and_returns_e164_or_none(raw):
    result = parse_mobile(raw)
    assert result is None or (result.startswith("+989") and len(result) == 13)


def test_the_national_form_is_written_as_iranians_write_it():
    assert phones.national("+989123456789") == "0912 345 6789"
    assert phones.national("") == ""
    assert phones.national("not a number") == "not a number"


def test_providers_get_the_national_form_without_spaces():
    assert phones.local("+989123456789") == "09123456789"


def test_the_person_who_typed_it_sees_it_masked():
    assert phones.masked("+989123456789") == "0912***6789"


def test_log_lines_mask_phone_numbers():
    assert phones.log_mask("+989123456789") == "+98912…89"
    assert phones.log_mask("123") == "…"


@pytest.mark.parametrize("number", ["+989123456789", "09123456789", "9123456789", "00989123456789"])
def test_iranian_mobiles_pass(number):
    validate_iranian_mobile(number)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("02188776655", "landline"),
        ("+447911123456", "foreign_mobile"),
        ("0912345", "invalid_mobile"),
        ("hello", "invalid_mobile"),
    ],
)
def test_landlines_foreign_and_malformed_numbers_fail_with_their_reason(number, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_iranian_mobile(number)
    assert excinfo.value.code == code
