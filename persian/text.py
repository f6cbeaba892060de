"""Persian text normalisation and digits: the one copy used by search, forms, SMS and the admin.

Written here rather than taken from a library because no maintained package does all of
what search needs in one pass (Arabic letter forms, ZWNJ, tatweel, diacritics, three digit
scripts and invisible bidi marks) and `str.translate` keeps it a single C-speed call.
"""

import re
import unicodedata


PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ASCII_DIGITS = "0123456789"

ZWNJ = "\u200c"

# Marks that carry no meaning in a typed value: bidi controls, ZWJ, BOM, soft hyphen.
_INVISIBLE = (
    "\u200b\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad"
)

_TO_ASCII_DIGITS = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, ASCII_DIGITS * 2)
_TO_PERSIAN_DIGITS = str.maketrans(ASCII_DIGITS + ARABIC_INDIC_DIGITS, PERSIAN_DIGITS * 2)
_STRIP_INVISIBLE = str.maketrans("", "", _INVISIBLE)

_LETTER_FORMS = {
    "ي": "ی",  # Arabic yeh
    "ى": "ی",  # alef maksura
    "ئ": "ی",
    "ك": "ک",  # Arabic kaf
    "ڪ": "ک",
    "ة": "ه",
    "ۀ": "ه",
    "ۂ": "ه",
    "ە": "ه",
    "أ": "ا",
    "إ": "ا",
    "ٱ": "ا",
    "ؤ": "و",
    # Letters of the Urdu keyboard that Persian writers' phones and old fonts produce.
    "ے": "ی",  # yeh barree
    "ۓ": "ی",
    "ہ": "ه",  # heh goal
    "ھ": "ه",  # heh doachashmee
    "ۃ": "ه",
    # The lone hamza goes: Persian writes it almost only at a word's end and typists drop
    # it (`ارتقاء`, `ارتقا`), so both spellings meet. آ stays a letter of its own (its own
    # key, and `آب` is not `اب`); NFKC turns ا + madda (U+0653) into آ, so that spelling
    # meets it too.
    "ء": "",
    "\u0640": "",  # tatweel (kashida)
    "\u00a0": " ",  # no-break space
}
# Harakat, tanwin, shadda, sukun, superscript alef and Quranic marks.
_DIACRITICS = [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670"]
_DIACRITICS += [chr(c) for c in range(0x06D6, 0x06EE)]

_SEARCH_TABLE = str.maketrans(
    {
        **_LETTER_FORMS,
        **dict.fromkeys(_DIACRITICS, ""),
        **dict.fromkeys(_INVISIBLE, ""),
        ZWNJ: "",
        **dict(zip(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, ASCII_DIGITS * 2, strict=True)),
    }
)
_SPACES = re.compile(r"\s+")


def to_ascii_digits(text: str) -> str:
    """Persian and Arabic-Indic digits to ASCII, invisible marks removed (for typed values)."""
    return text.translate(_TO_ASCII_DIGITS).translate(_STRIP_INVISIBLE)


def to_persian_digits(text: str) -> str:
    """ASCII and Arabic-Indic digits to Persian, for display on Persian pages."""
    return text.translate(_TO_PERSIAN_DIGITS)


def normalize(text: str) -> str:
    """Fold the spellings a Persian reader sees as the same word to one form.

    NFKC first, so Arabic presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF, as pasted from
    old PDFs and Word files) become the letters they draw; then ي/ى/ے→ی, ك→ک, ة/ۀ/ہ→ه,
    hamza-carrying alefs→ا, the lone hamza ء dropped; tatweel, diacritics and invisible
    marks removed; ZWNJ removed so `مردم‌نهاد` and `مردمنهاد` meet; digits to ASCII;
    whitespace collapsed; Latin lower-cased.
    """
    folded = unicodedata.normalize("NFKC", text).translate(_SEARCH_TABLE)
    # Removing a mark can bring two composable characters together (Hangul jamo, Latin
    # letter + accent): a second pass keeps normalize(normalize(x)) == normalize(x).
    if not unicodedata.is_normalized("NFKC", folded):
        folded = unicodedata.normalize("NFKC", folded)
    return _SPACES.sub(" ", folded).strip().lower()


def joined_variants(text: str) -> str:
    """Normalised text plus each adjacent word pair written joined.

    Persian writers put a space, a ZWNJ or nothing between the parts of a compound word
    (`مردم نهاد`, `مردم‌نهاد`, `مردمنهاد`). Indexing the joined pairs as well lets a
    query typed without the space find text written with one.
    """
    words = normalize(text).split(" ")
    pairs = [a + b for a, b in zip(words, words[1:], strict=False) if a and b]
    return " ".join(words + pairs)


# The marks normalize() deletes belong to the word they sit in, so `مـلــی` is one word.
# ZWNJ is the exception: like a space, it separates the parts of a compound (`مردم‌نهاد`,
# `کتاب‌ها`), so `کتاب` finds `کتاب‌ها`; search joins neighbouring words to find the whole.
# Anything else that is not a letter or a digit separates words too.
_IN_WORD_MARKS = "".join(_DIACRITICS) + _INVISIBLE
_WORD = re.compile(rf"(?:[^\W_]|[{re.escape(_IN_WORD_MARKS)}])+")


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """Each word of `text` as (start, end, normalised word), punctuation and spaces dropped.

    The offsets point into the text as written, so a caller can mark the words a search
    matched in their original spelling. A ZWNJ ends a word, as a space does.
    """
    spans = []
    for match in _WORD.finditer(text):
        # NFKC can make one written glyph several words (the ligature ﷺ), each kept whole.
        for word in _WORD.findall(normalize(match.group())):
            spans.append((match.start(), match.end(), word))
    return spans


def search_terms(text: str) -> list[str]:
    """The normalised words of `text` without punctuation: what search indexes and looks up."""
    return [word for _start, _end, word in word_spans(text)]
