"""Checks for Iranian identifiers: national codes (کد ملی) and legal entity ids (شناسه ملی).

Each takes ASCII digits (forms normalise Persian and Arabic-Indic digits first).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def is_valid_national_code(code: str) -> bool:
    """The 10-digit personal national code: weighted sum mod 11 decides the check digit."""
    if len(code) != 10 or not code.isascii() or not code.isdigit() or len(set(code)) == 1:
        return False
    remainder = sum(int(code[i]) * (10 - i) for i in range(9)) % 11
    check = int(code[9])
    return check == remainder if remainder < 2 else check == 11 - remainder


_LEGAL_ID_WEIGHTS = (29, 27, 23, 19, 17)


def is_valid_legal_id(code: str) -> bool:
    """The 11-digit national id of an organisation: the tenth digit plus two shifts every digit."""
    if len(code) != 11 or not code.isascii() or not code.isdigit() or int(code[3:9]) == 0:
        return False
    shift = int(code[9]) + 2
    total = sum((shift + int(code[i])) * _LEGAL_ID_WEIGHTS[i % 5] for i in range(10))
    remainder = total % 11
    return int(code[10]) == (0 if remainder == 10 else remainder)


def validate_national_code(value: str) -> None:
    if not is_valid_national_code(value):
        raise ValidationError(
            _("This national code is not valid; check its 10 digits."), code="national_code"
        )


def validate_legal_id(value: str) -> None:
    if not is_valid_legal_id(value):
        raise ValidationError(
            _("This national id is not valid; an organisation's national id has 11 digits."),
            code="legal_id",
        )


def mask_national_code(code: str) -> str:
    """`049******9`: enough to tell two people apart, not enough to misuse."""
    if not code:
        return ""
    return f"{code[:3]}{'*' * max(len(code) - 4, 0)}{code[-1:]}"
