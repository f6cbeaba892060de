"""Iranian mobile numbers: one parser and the few ways the project writes a number back out.

Stored and sent as E.164 (`+989121234567`); typed in any spelling and digit script.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

import phonenumbers

from .text import to_ascii_digits


_IRANIAN_MOBILE = re.compile(r"(?:\+98|0098|98|0)?(9\d{9})")
_NOT_DIGIT = re.compile(r"[^\d+]")


def parse_mobile(raw) -> str | None:
    """`+989121234567` for an Iranian mobile in any usual spelling or digit script, else None.

    The pattern rejects landlines, short codes and foreign numbers cheaply; libphonenumber
    then refuses prefixes no operator has been given.
    """
    match = _IRANIAN_MOBILE.fullmatch(_NOT_DIGIT.sub("", to_ascii_digits(str(raw or ""))))
    if not match:
        return None
    e164 = f"+98{match[1]}"
    number = phonenumbers.parse(e164)
    if not (
        phonenumbers.is_valid_number(number)
        and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    ):
        return None
    return e164


def normalize_sender(raw) -> str:
    """E.164 for an Iranian mobile, else the bare ASCII digits (short codes, landlines)."""
    return parse_mobile(raw) or re.sub(r"\D", "", to_ascii_digits(str(raw)))


def digits_key(value) -> str:
    """The last ten digits of a number typed in any script and format: one key per mobile."""
    text = to_ascii_digits(str(value or ""))
    return "".join(ch for ch in text if ch.isascii() and ch.isdigit())[-10:]


def local(e164) -> str:
    """`09121234567`, the national form Iranian providers document."""
    return "0" + str(e164).removeprefix("+98")


def national(value) -> str:
    """`0912 345 6789`: how Iranians write it; the spaces keep spreadsheets from reading it
    as a number (which would drop the leading zero)."""
    text = str(value or "")
    if len(text) == 13 and text.startswith("+989"):  # every stored mobile: skip parsing
        return f"0{text[3:6]} {text[6:9]} {text[9:]}"
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, "IR")
    except phonenumbers.NumberParseException:
        return text
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def masked(value) -> str:
    """`0912***6789`: shown to the person who typed it, so they can tell it is theirs."""
    text = str(value)
    national_form = local(text) if text.startswith("+98") else text
    return f"{national_form[:4]}***{national_form[-4:]}"


def log_mask(value) -> str:
    """`+98912…89` for logs: the operator prefix and the last two digits."""
    text = str(value)
    return f"{text[:6]}…{text[-2:]}" if len(text) > 8 else "…"


def validate_iranian_mobile(value) -> None:
    """Only Iranian mobiles can receive the confirmation SMS: landlines and foreign numbers are refused."""
    number = value if isinstance(value, phonenumbers.PhoneNumber) else None
    if number is None:
        try:
            number = phonenumbers.parse(str(value), "IR")
        except phonenumbers.NumberParseException:
            number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a mobile number such as 0912 345 6789."), code="invalid_mobile"
        )
    if number.country_code != 98:
        raise ValidationError(
            _("Only Iranian mobile numbers can receive the confirmation SMS."),
            code="foreign_mobile",
        )
    if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
        raise ValidationError(
            _("This is a landline; enter a mobile number, which can receive SMS."),
            code="landline",
        )
