import pytest

from persian.ids import is_valid_legal_id, is_valid_national_code, mask_national_code


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


def test_a_masked_national_code_keeps_the_first_three_and_the_last_digit():
    assert mask_national_code("0499370899") == "049******9"
    assert mask_national_code("") == ""
