"""Which of Iran's 31 provinces border which: shipped as data (data/province_adjacency.json,
its source noted in the file), read once, used to widen a search for groups beyond a province."""

import json
from functools import cache
from pathlib import Path

from registrations.choices import Province


DATA = Path(__file__).resolve().parent / "data" / "province_adjacency.json"


@cache
def adjacency() -> dict[str, frozenset[str]]:
    """Every province code → the codes of the provinces it shares a border with."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))["neighbours"]
    return {code: frozenset(raw[code]) for code in Province.values}


def neighbours(province: str) -> frozenset[str]:
    """The provinces bordering `province`; none for an unknown or empty code."""
    return adjacency().get(province, frozenset())


def are_neighbours(a: str, b: str) -> bool:
    return b in neighbours(a)
