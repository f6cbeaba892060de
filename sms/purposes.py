"""What an SMS is for: each app declares the purposes it sends, the gateway lists none of theirs.

`SmsMessage.purpose` takes its choices from `choices()`, so a new app's purposes need no
migration of the gateway. Each purpose says whether it is *asked for* (`transactional`: a
code or receipt the person requested, sent even to a number that texted لغو) and whether it
carries a one-time `code` (counted by the daily code cap, whichever app sent it).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


MAX_LENGTH = 16  # SmsMessage.purpose's column


@dataclass(frozen=True)
class Purpose:
    value: str
    label: str
    transactional: bool
    code: bool = False


class UndeclaredPurpose(LookupError):
    """An SMS queued with a purpose no app declared: a programming error, refused loudly."""


_declared: dict[str, Purpose] = {}


def declare(value: str, label, *, transactional: bool, code: bool = False) -> str:
    """Declare a purpose (in an AppConfig.ready or a module it imports); returns `value`.

    Declaring the same purpose again is harmless; declaring it differently is an error, so
    two apps cannot silently disagree about whether a message survives an opt-out.
    """
    if not value or len(value) > MAX_LENGTH or value != value.strip():
        raise ValueError(f"SMS purpose {value!r} must be 1 to {MAX_LENGTH} characters")
    purpose = Purpose(value, label, transactional, code)
    existing = _declared.get(value)
    if existing is not None and (existing.transactional, existing.code) != (transactional, code):
        raise ValueError(f"SMS purpose {value!r} is already declared differently: {existing}")
    _declared.setdefault(value, purpose)
    return value


def get(value: str) -> Purpose:
    try:
        return _declared[value]
    except KeyError:
        raise UndeclaredPurpose(
            f"SMS purpose {value!r} is not declared; declare it with sms.purposes.declare() "
            f"in the sending app's AppConfig.ready() (declared: {', '.join(sorted(_declared))})"
        ) from None


def is_transactional(value: str) -> bool:
    return get(value).transactional


def codes() -> list[str]:
    """The purposes that carry a one-time code, from every app (the daily cap counts them all)."""
    return sorted(value for value, purpose in _declared.items() if purpose.code)


def choices() -> list[tuple[str, str]]:
    """Every declared purpose as (value, label): `SmsMessage.purpose`'s choices (a callable)."""
    return [(purpose.value, purpose.label) for purpose in _declared.values()]


# The gateway's own messages: the reply to an unknown text and the opt-out confirmation.
HELP = declare("help", _("Help reply"), transactional=False)
OPT_OUT = declare("opt_out", _("Opt-out confirmation"), transactional=True)
