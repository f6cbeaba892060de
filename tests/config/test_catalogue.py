"""The Persian catalogue: a translation that names a placeholder its source lacks would raise
KeyError on the Persian page that shows it (msgfmt -c calls that fatal; GNU gettext is not here)."""

import re

import polib

from tests.tools import ROOT


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")
CATALOGUE = ROOT / "locale" / "fa" / "LC_MESSAGES" / "django.po"


def placeholders(text: str) -> set:
    return set(PLACEHOLDER.findall(text))


def test_every_translation_uses_only_the_placeholders_of_its_source():
    wrong = []
    for entry in polib.pofile(str(CATALOGUE)):
        sources = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
        translations = [entry.msgstr, *entry.msgstr_plural.values()]
        for translation in translations:
            if placeholders(translation) - sources:
                wrong.append((entry.msgid, translation))
    assert wrong == []


def test_no_msgid_appears_twice():
    ids = [(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(CATALOGUE))]
    assert len(ids) == len(set(ids))
