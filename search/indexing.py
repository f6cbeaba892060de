"""What the search index holds for a page: its words with Persian spellings folded.

A page model lists `PersianSearchField("search_text")` in its `search_fields` and defines
`search_text()` returning its words as a reader sees them (built with `page_text`). The
field folds that text on its way into the index; the search page cuts its highlighted
snippets from the same method's unfolded text, so what is indexed and what is shown come
from one place.
"""

from django.utils.encoding import force_str

from wagtail.search import index

from persian.text import joined_variants, search_terms


def index_text(text: str) -> str:
    """The words of `text` normalised, punctuation dropped, plus each adjacent pair joined.

    Persian writes the parts of a compound with a space, a ZWNJ or nothing between them
    (`مردم نهاد`, `مردم‌نهاد`, `مردمنهاد`): the parts are words of their own and the joined
    pairs let a query typed without the space or ZWNJ find text written with one. Only
    letters, digits and single spaces reach the database, so its tokeniser (and, on
    PostgreSQL, its LC_CTYPE, which decides whether ZWNJ splits words) changes nothing.
    """
    return joined_variants(" ".join(search_terms(text)))


def page_text(page, *field_names: str) -> str:
    """The text of the page's fields as a reader sees it, one paragraph per line.

    Rich text loses its tags and a StreamField gives the text of each of its blocks: the
    content Wagtail itself would index for `index.SearchField(name)`.
    """
    parts = []
    for name in field_names:
        value = index.SearchField(name).get_value(page)
        parts.extend(value if isinstance(value, list) else [value])
    lines = (force_str(part).strip() for part in parts if part is not None)
    return "\n".join(line for line in lines if line)


class PersianSearchField(index.SearchField):
    """An `index.SearchField` whose text goes into the index folded by `index_text`.

    Both database backends (SQLite FTS5 and PostgreSQL) then compare normalised words, so
    ي/ی, ك/ک, ZWNJ, tatweel, diacritics and the three digit scripts no longer matter, on
    condition that the query is normalised the same way (`search.services.build_query`).
    """

    def get_value(self, obj):
        value = super().get_value(obj)
        if isinstance(value, list):
            value = " ".join(force_str(item) for item in value)
        return index_text(force_str(value or ""))
