"""The normalised search column of a registration, filled on every save.

A pre_save signal rather than a call in each service: registrations are written by the
web form, the API, the SMS line and the admin through services owned by different people,
and the signal is the one place all of those saves pass through. Bulk writes
(`bulk_create`, `QuerySet.update`) skip signals; they call `search_text_for` themselves.
"""

import re

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.signals import pre_save
from django.dispatch import receiver

from persian.text import joined_variants, normalize

from .models import Registration


SEARCHED_FIELDS = ("organisation_name", "representative_name")


def search_text_for(organisation_name: str, representative_name: str) -> str:
    """Both names folded (ي/ی, ك/ک, ZWNJ, tatweel, diacritics) with joined word pairs."""
    return joined_variants(f"{organisation_name or ''} | {representative_name or ''}")


@receiver(pre_save, sender=Registration, dispatch_uid="registration_search_text")
def fill_search_text(sender, instance: Registration, update_fields=None, **kwargs):
    if update_fields is not None and not set(SEARCHED_FIELDS) & set(update_fields):
        return  # a save of other fields only (the code services) leaves the names alone
    instance.search_text = search_text_for(instance.organisation_name, instance.representative_name)


NARROW_MATCH = 1000
_PHONE_PUNCTUATION = re.compile(r"[\s\-().+]")


def search_registrations(queryset: QuerySet, query: str) -> QuerySet:
    """Registrations whose names, mobile or tracking code match what staff typed.

    Names: every word of the query, folded like the stored column, must appear.
    Digits (any script, with spaces, dashes or a +98/0098/0 prefix): the tracking code
    starting with them, or the mobile equal to a whole number typed (found on its index at
    once) or containing a part of one. On PostgreSQL each of these has an index
    (migration 0007), so the OR of them is read from the indexes, not from every row.
    """
    text = normalize(query)
    if not text:
        return queryset
    condition = Q()
    for word in text.split(" "):
        condition &= Q(search_text__contains=word)
    digits = _PHONE_PUNCTUATION.sub("", text)
    if digits.isdigit():
        condition |= Q(tracking_code__startswith=digits)
        national = digits
        if national.startswith("0098"):
            national = national[4:]
        elif national.startswith("98") and len(national) >= 12:
            national = national[2:]
        elif national.startswith("0"):
            national = national[1:]
        if len(national) == 10 and national.startswith("9"):
            condition |= Q(mobile=f"+98{national}")
        elif len(national) >= 3:
            condition |= Q(mobile__contains=national)
    matched = queryset.filter(condition)
    if connection.vendor != "postgresql":
        return matched
    # PostgreSQL guesses a substring matches hundreds of rows; for a page (LIMIT 50, or 1)
    # it then walks the date index through the whole table looking for them (seconds at
    # 1M rows). Fetch the ids of a narrow match first (read from the trigram indexes), and
    # order only those; a broad match keeps the walk, which then stops early.
    ids = list(matched.order_by().values_list("pk", flat=True)[: NARROW_MATCH + 1])
    if len(ids) <= NARROW_MATCH:
        return queryset.filter(pk__in=ids)
    return matched
