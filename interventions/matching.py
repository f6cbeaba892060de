"""Which approved groups could work on a problem in a place, best first, and why.

Ranked by place first (same city, then the rest of the province, then the bordering
provinces: interventions.adjacency), then by fit: the fields of activity and capacities the
problems of the taxonomy map to, and the capacities the plan still needs. The area, the
score and the order are computed in one SQL query, on PostgreSQL from a partial covering
index of approved rows (registrations migration 0013), so a city with tens of thousands of
groups is ranked without reading the table; only the chosen rows are fetched whole.

Product choices (docs/interventions-matching.md): facilitators (individuals) are not offered
as groups; a group that fits nothing the problems need is left out; a capacity the plan still
needs outweighs a field of activity, which outweighs a capacity the problem usually needs.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.functions import Cast
from django.db.models.lookups import Exact
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from persian.text import to_persian_digits
from problems.models import Problem
from registrations.choices import ActivityField, Capacity, Kind, Province, Status
from registrations.models import Registration

from .adjacency import neighbours
from .models import Activity, Invitation, Participant


SAME_CITY, SAME_PROVINCE, NEIGHBOURING_PROVINCE = 0, 1, 2

# Points for each match: what the plan lacks now counts most.
FIELD_POINTS = 3
NEEDED_CAPACITY_POINTS = 4
CAPACITY_POINTS = 2

MAX_LIMIT = 200

# Spellings of one city name typed differently: Arabic ي/ى/ك, ة/ۀ, hamza-carrying alefs;
# tatweel, ZWNJ and spaces dropped. The same table folds the stored column (SQL) and the
# city asked for (Python), so both sides always agree.
_CITY_FROM = "يىئكۀةأإٱ"
_CITY_TO = "ییی" + "ک" + "هه" + "ااا"
_CITY_DROP = "\u0640\u200c "
_CITY_TABLE = str.maketrans(_CITY_FROM, _CITY_TO, _CITY_DROP)


def fold_city(city: str) -> str:
    return (city or "").translate(_CITY_TABLE)


class FoldCity(models.Func):
    """SQL twin of fold_city(): translate() on PostgreSQL, nested REPLACE on SQLite."""

    output_field = models.CharField()
    arity = 1

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"translate({sql}, %s, %s)", [*params, _CITY_FROM + _CITY_DROP, _CITY_TO]

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        pairs = [*zip(_CITY_FROM, _CITY_TO, strict=True), *((c, "") for c in _CITY_DROP)]
        for old, new in pairs:
            sql = f"REPLACE({sql}, %s, %s)"
            params = [*params, old, new]
        return sql, params


class HasCode(models.Func):
    """The JSON list in a column holds this code: `@>` (GIN-indexable) on PostgreSQL; on
    SQLite, which has no containment, the code in double quotes in the stored text."""

    output_field = models.BooleanField()
    conditional = True
    arity = 1

    def __init__(self, column: str, code: str):
        super().__init__(F(column))
        self.code = code

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} @> %s::jsonb)", [*params, f'["{self.code}"]']

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(INSTR({sql}, %s) > 0)", [*params, f'"{self.code}"']


class HasAnyCode(models.Func):
    """The JSON list holds one of these codes: `?|` on PostgreSQL (one call, where the score's
    sum would be computed a second time just to filter), the quoted codes on SQLite."""

    output_field = models.BooleanField()
    conditional = True
    arity = 1

    def __init__(self, column: str, codes: list[str]):
        super().__init__(F(column))
        self.codes = list(codes)

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} ?| %s::text[])", [*params, self.codes]

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        tests = " OR ".join(f"INSTR({sql}, %s) > 0" for _ in self.codes)
        return f"({tests})", [p for code in self.codes for p in (*params, f'"{code}"')]


@dataclass(frozen=True)
class Candidate:
    registration: Registration
    place: int  # SAME_CITY, SAME_PROVINCE or NEIGHBOURING_PROVINCE
    score: int
    fields_matched: tuple[str, ...]
    fields_wanted: int
    needed_offered: tuple[str, ...]
    capacities_offered: tuple[str, ...]

    @property
    def reason(self) -> str:
        """Why this group is here, in the active language (Persian digits on Persian pages)."""
        persian = (get_language() or "fa").startswith("fa")
        comma = "، " if persian else ", "

        def labels(codes):
            # Mid-sentence in English: "offers a venue or space", not "offers A venue".
            words = [str(Capacity(code).label) for code in codes]
            return comma.join(w if persian else w[:1].lower() + w[1:] for w in words)

        parts = [
            [
                _("same city"),
                _("same province"),
                _("neighbouring province (%(province)s)")
                % {"province": Province(self.registration.province).label},
            ][self.place]
        ]
        if self.fields_wanted:
            parts.append(
                ngettext(
                    "%(matched)d of %(total)d field matches",
                    "%(matched)d of %(total)d fields match",
                    self.fields_wanted,
                )
                % {"matched": len(self.fields_matched), "total": self.fields_wanted}
            )
        if self.needed_offered:
            parts.append(
                _("offers %(capacities)s, still needed by the plan")
                % {"capacities": labels(self.needed_offered)}
            )
        if self.capacities_offered:
            parts.append(
                _("offers %(capacities)s") % {"capacities": labels(self.capacities_offered)}
            )
        text = ("؛ " if persian else "; ").join(parts)
        return to_persian_digits(text) if persian else text


def candidates(
    problems: Iterable[Problem | int],
    province: str,
    city: str = "",
    needed_capacities: Iterable[str] = (),
    exclude: Iterable[int] = (),
    limit: int = 50,
) -> list[Candidate]:
    """Approved groups for `problems` (Problem rows or ids) in `province` / `city`, best first.

    `needed_capacities`: what the plan still lacks (Capacity codes); `exclude`: registration
    ids already invited or taking part. Unknown codes raise ValidationError (nothing is read).
    One query, plus one for the problems when given as ids.
    """
    if province not in Province.values:
        raise ValidationError(_("Choose a province from the list."), code="province")
    needed = _ordered(needed_capacities)
    if set(needed) - set(Capacity.values):
        raise ValidationError(_("Unknown capacity."), code="capacity")
    try:
        exclude_ids = sorted({int(pk) for pk in exclude})
        limit = max(1, min(int(limit), MAX_LIMIT))
    except (TypeError, ValueError):
        raise ValidationError(_("Enter a whole number."), code="invalid") from None

    problems = list(problems)
    rows = [p for p in problems if isinstance(p, Problem)]
    ids = [p for p in problems if not isinstance(p, Problem)]
    if ids:
        try:
            rows += list(Problem.objects.filter(pk__in=[int(pk) for pk in ids]))
        except (TypeError, ValueError):
            raise ValidationError(_("Unknown problem."), code="problem") from None
    fields = _ordered(code for p in rows for code in p.fields_of_activity or ())
    fields = [code for code in fields if code in ActivityField.values]
    usual = [
        code
        for code in _ordered(c for p in rows for c in p.capacities or ())
        if code in Capacity.values and code not in needed
    ]

    score = sum(
        (
            Case(When(HasCode(column, code), then=Value(points)), default=Value(0))
            for column, codes, points in (
                ("fields_of_activity", fields, FIELD_POINTS),
                ("capacities", needed, NEEDED_CAPACITY_POINTS),
                ("capacities", usual, CAPACITY_POINTS),
            )
            for code in codes
        ),
        Value(0),
    )
    same_city = [
        When(
            Exact(F("province"), Value(province)) & Exact(FoldCity("city"), Value(fold_city(city))),
            then=Value(SAME_CITY),
        )
    ]
    place = Case(
        *(same_city if fold_city(city) else []),
        When(province=province, then=Value(SAME_PROVINCE)),
        default=Value(NEIGHBOURING_PROVINCE),
        output_field=IntegerField(),
    )
    area = Registration.objects.filter(
        status=Status.APPROVED, province__in=[province, *sorted(neighbours(province))]
    ).exclude(kind=Kind.FACILITATOR)
    if exclude_ids:
        area = area.exclude(pk__in=exclude_ids)
    ranked = area.annotate(match_place=place, match_score=Cast(score, IntegerField()))
    if fields or needed or usual:
        # A group must fit something (score > 0), tested without computing the score twice.
        fits = models.Q()
        if fields:
            fits |= models.Q(HasAnyCode("fields_of_activity", fields))
        if needed or usual:
            fits |= models.Q(HasAnyCode("capacities", [*needed, *usual]))
        ranked = ranked.filter(fits)
    order = ("match_place", "-match_score", "pk")
    top = ranked.order_by(*order).values("pk")[:limit]
    # The outer query ranks the chosen rows again (cheap: `limit` rows) and reads them whole.
    chosen = (
        Registration.objects.filter(pk__in=top)
        .annotate(match_place=place, match_score=Cast(score, IntegerField()))
        .order_by(*order)
        .only(
            "public_id",
            "kind",
            "organisation_name",
            "representative_name",
            "province",
            "city",
            "fields_of_activity",
            "capacities",
        )
    )
    result = []
    for registration in chosen:
        offered = set(registration.capacities or ())
        result.append(
            Candidate(
                registration=registration,
                place=registration.match_place,
                score=registration.match_score,
                fields_matched=tuple(c for c in fields if c in registration.fields_of_activity),
                fields_wanted=len(fields),
                needed_offered=tuple(c for c in needed if c in offered),
                capacities_offered=tuple(c for c in usual if c in offered),
            )
        )
    return result


def _ordered(codes: Iterable[str]) -> list[str]:
    """Distinct, in first-seen order (so reasons list codes as the problems do)."""
    return list(dict.fromkeys(str(code) for code in codes))


def still_needed(intervention) -> list[str]:
    """Capacities the plan's unfinished activities need that no group has committed to them."""
    needed: dict[str, None] = {}
    activities = Activity.objects.filter(
        objective__plan__intervention=intervention, done=False
    ).prefetch_related("commitments")
    for activity in activities:
        committed = {c.capacity for c in activity.commitments.all()}
        needed.update(dict.fromkeys(c for c in activity.resources_needed if c not in committed))
    return list(needed)


def for_intervention(intervention, *, limit: int = 50) -> list[Candidate]:
    """Candidates for an intervention: its reports' problems, its place, what its plan still
    needs; groups already invited or taking part are left out."""
    problems = list(Problem.objects.filter(reports__interventions=intervention).distinct())
    taken = [
        *Participant.objects.filter(intervention=intervention).values_list(
            "registration_id", flat=True
        ),
        *Invitation.objects.filter(intervention=intervention).values_list(
            "registration_id", flat=True
        ),
    ]
    return candidates(
        problems,
        intervention.province,
        intervention.city,
        needed_capacities=still_needed(intervention),
        exclude=taken,
        limit=limit,
    )
