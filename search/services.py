"""Site search: the visitor's words to a full-text query, results with highlighted snippets.

The query is normalised with the same rules as the indexed text (`search.indexing`), so
the database only ever compares folded words. What the visitor typed never reaches the
full-text engine as syntax: it is cut to at most MAX_QUERY_WORDS words of letters and
digits first, so quotes, `*`, `-`, `:`, brackets and `OR` cannot break or steer a query.
"""

from dataclasses import dataclass, field
from itertools import pairwise

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from wagtail.models import Locale, Page
from wagtail.search.query import And, Or, PlainText, SearchQuery

from persian.text import ZWNJ, to_ascii_digits, word_spans


MAX_QUERY_LENGTH = 200  # characters of the query that are read; the rest is ignored
MAX_QUERY_WORDS = 12
RESULTS_PER_PAGE = 10
SNIPPET_LENGTH = 240  # characters of page text around the first match
SNIPPET_LEAD = 60  # characters of context kept before the first match


def clean_query(text: str) -> str:
    """The visitor's query as typed, cut to MAX_QUERY_LENGTH characters and trimmed."""
    return text[:MAX_QUERY_LENGTH].strip()


def query_terms(text: str) -> list[str]:
    """The normalised words of a query, punctuation and search syntax dropped."""
    return [word for _start, _end, word in word_spans(clean_query(text))][:MAX_QUERY_WORDS]


def build_query(terms: list[str], operator: str = "and") -> SearchQuery | None:
    """A query that finds each word spaced or joined to its neighbour, or None without words.

    `مردم نهاد` becomes (مردم or مردمنهاد) and (نهاد or مردمنهاد), so text written
    `مردمنهاد` is found; the index holds joined pairs for the opposite case.

    Each alternative is its own PlainText inside an Or: the SQLite backend writes a
    PlainText's own "or" without brackets, so `And` of two such PlainTexts would read
    `a OR b AND c OR d` in FTS5, where AND binds first.
    """
    if operator not in {"and", "or"}:
        raise ValueError("operator must be 'and' or 'or'")
    groups = []
    for i, term in enumerate(terms):
        spellings = [term]
        if i > 0:
            spellings.append(terms[i - 1] + term)
        if i + 1 < len(terms):
            spellings.append(term + terms[i + 1])
        alternatives = [PlainText(spelling) for spelling in dict.fromkeys(spellings)]
        groups.append(alternatives[0] if len(alternatives) == 1 else Or(alternatives))
    if not groups:
        return None
    if len(groups) == 1:
        return groups[0]
    return And(groups) if operator == "and" else Or(groups)


def _marks(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where the query's words are in `text` as written, as merged (start, end) spans."""
    wanted = set(terms) | {a + b for a, b in pairwise(terms)}
    words = word_spans(text)
    spans = []
    for i, (start, end, word) in enumerate(words):
        if word in wanted:
            spans.append((start, end))
        elif i + 1 < len(words) and word + words[i + 1][2] in wanted:
            spans.append((start, words[i + 1][1]))  # a joined query word, spaced in the text
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        # Overlapping, or only spaces or a ZWNJ apart: one mark around `مردم نهاد`, not two.
        if merged and not text[merged[-1][1] : start].replace(ZWNJ, " ").strip():
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, marks: list[tuple[int, int]], start: int, end: int) -> str:
    html, cursor = [], start
    for mark_start, mark_end in marks:
        mark_start, mark_end = max(mark_start, start), min(mark_end, end)
        if mark_start >= mark_end:
            continue
        html.append(escape(text[cursor:mark_start]))
        html.append(f"<mark>{escape(text[mark_start:mark_end])}</mark>")
        cursor = mark_end
    html.append(escape(text[cursor:end]))
    return "".join(html)


def highlight(text: str, terms: list[str]) -> SafeString:
    """`text` escaped, with each word the query matched wrapped in <mark>, as written."""
    return mark_safe(_render(text, _marks(text, terms), 0, len(text)))  # noqa: S308 - escaped


def snippet(text: str, terms: list[str], length: int = SNIPPET_LENGTH) -> SafeString:
    """About `length` characters of `text` around the first match, matches in <mark>.

    Without a match in the text (the title matched), the snippet is the text's beginning.
    Cuts fall between words and are shown with an ellipsis.
    """
    text = " ".join(line.strip() for line in text.splitlines() if line.strip())
    marks = _marks(text, terms)
    start = max(0, marks[0][0] - SNIPPET_LEAD) if marks else 0
    if start:
        space = text.find(" ", start, marks[0][0])
        start = space + 1 if space != -1 else marks[0][0]
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    html = _render(text, marks, start, end)
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{html}{suffix}")  # noqa: S308 - _render escapes the text


@dataclass(frozen=True)
class Hit:
    page: Page
    title: str
    title_html: SafeString
    snippet_html: SafeString


@dataclass(frozen=True)
class SearchOutcome:
    query: str  # what the visitor typed, cut to MAX_QUERY_LENGTH
    terms: list[str]  # the normalised words searched for; empty: nothing to search
    page: PaginatorPage
    hits: list[Hit] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.page.paginator.count


def search_pages(
    text: str, locale: Locale, page_number=1, per_page: int = RESULTS_PER_PAGE
) -> SearchOutcome:
    """Published, public pages of `locale` matching the query, one page of results.

    `page_number` may be anything a visitor puts in the address: a number in any digit
    script, garbage (first page) or past the end (last page).
    """
    query = clean_query(text)
    terms = query_terms(query)
    search_query = build_query(terms)
    results = []
    if search_query is not None:
        results = (
            Page.objects.live()
            .public()
            .filter(locale=locale, depth__gt=1)  # the tree's root is no page of the site
            .specific()
            .search(search_query)
        )
    paginator = Paginator(results, per_page)
    page = paginator.get_page(to_ascii_digits(str(page_number or 1)))
    hits = []
    for result in page:
        source = result.search_text() if hasattr(result, "search_text") else ""
        hits.append(
            Hit(
                page=result,
                title=result.title,
                title_html=highlight(result.title, terms),
                snippet_html=snippet(source, terms),
            )
        )
    return SearchOutcome(query=query, terms=terms, page=page, hits=hits)
