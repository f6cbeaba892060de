from django.core.exceptions import ValidationError

import pytest

from registrations.validators import (
    is_valid_legal_id,
    is_valid_national_code,
    validate_iranian_mobile,
)


# Real, publicly listed identifiers (they pass the official checksum).
@pytest.mark.parametrize("code", ["0499370899", "0790419904", "0084575948", "0013542419"])
def test_known_national_codes_pass(code):
    assert is_valid_national_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "0499370898",
        "1111111111",
        "0000000000",
        "049937089",
        "04993708990",
        "04993708a9",
        "۰۴۹۹۳۷۰۸۹۹",
    ],
)
def test_wrong_checksum_length_repeated_or_non_ascii_national_codes_fail(code):
    assert not is_valid_national_code(code)


@pytest.mark.parametrize("code", ["10380284790", "14007650912", "10320894878"])
def test_known_organisation_national_ids_pass(code):
    assert is_valid_legal_id(code)


@pytest.mark.parametrize(
    "code", ["10380284791", "10100360731", "1038028479", "10300000090", "abcdefghijk"]
)
def test_wrong_organisation_national_ids_fail(code):
    assert not is_valid_legal_id(code)


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
