"""What public text input may hold, shared by the forms, the JSON parser and the SMS webhooks.

PostgreSQL refuses NUL characters and text that is not valid Unicode (an unpaired surrogate
from a JSON escape such as "\\ud800"), with an error rather than a validation message; SQLite
stores both. Refusing them here, before any query, makes both databases answer alike.
"""

import unicodedata


# Python's own recursion limit is about 1,000; a registration is two levels deep.
MAX_JSON_DEPTH = 32


def is_invisible(char: str) -> bool:
    """Whitespace or a format character (ZWNJ, RLM, zero-width space, BOM): no visible mark."""
    return char.isspace() or unicodedata.category(char) == "Cf"


def strip_invisible(text: str) -> str:
    """The text without invisible characters at its ends; "" when it holds nothing visible.

    Inside a word ZWNJ is Persian spelling (می‌شود) and stays.
    """
    start, end = 0, len(text)
    while start < end and is_invisible(text[start]):
        start += 1
    while end > start and is_invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def is_storable(text: str) -> bool:
    """False for text a database cannot hold: a NUL, or a code point that is not Unicode text."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def first_problem(value, max_depth: int = MAX_JSON_DEPTH) -> str | None:
    """What in parsed JSON the site will not take first: "depth", "text", or None if nothing.

    Walks with its own stack, so a deep document cannot exhaust Python's.
    """
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > max_depth:
            return "depth"
        if isinstance(item, str):
            if not is_storable(item):
                return "text"
        elif isinstance(item, dict):
            for key, child in item.items():
                stack.append((key, depth))
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return None
