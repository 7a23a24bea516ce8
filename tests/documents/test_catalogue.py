"""Document wording lives in the catalogues, complete in fi, sv and en."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

from sosku_desktop.documents import FORMATS, KINDS, build_document
from sosku_desktop.documents.access_export import TABLE_KEYS
from sosku_desktop.documents.errors import NotApplicableError
from sosku_desktop.documents.feedback_questions import OPEN_QUESTIONS, STATEMENTS
from sosku_desktop.documents.kinds import FILE_KEYS, TITLE_KEYS
from sosku_desktop.i18n import TRANSLATIONS
from tests.documents.sample import ENDED_PERIOD, context

LANGS = ("fi", "sv", "en")
SOURCE = Path(__file__).resolve().parents[2] / "sosku_desktop" / "documents"


def _catalogue(lang: str) -> dict[str, str]:
    return json.loads((TRANSLATIONS / f"documents.{lang}.json").read_text(encoding="utf-8"))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_is_in_all_three_languages_and_not_empty() -> None:
    keys = {lang: set(_catalogue(lang)) for lang in LANGS}
    assert keys["fi"] == keys["sv"] == keys["en"]
    for lang in LANGS:
        for key, value in _catalogue(lang).items():
            assert key.startswith("doc."), key
            assert value.strip(), (lang, key)


def test_placeholders_match_across_languages() -> None:
    fi = _catalogue("fi")
    for lang in ("sv", "en"):
        other = _catalogue(lang)
        for key, text in fi.items():
            assert _fields(other[key]) == _fields(text), (lang, key)


def _used_keys() -> set[str]:
    keys: set[str] = set()
    for path in SOURCE.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_.]+)["']""", source))
        keys |= set(re.findall(r'"((?:days|feedback|agreement|summary)[a-z0-9_.]*)"', source))
    keys |= set(TITLE_KEYS.values()) | set(FILE_KEYS.values()) | set(TABLE_KEYS.values())
    keys |= set(STATEMENTS) | set(OPEN_QUESTIONS)
    return {k for k in keys if "." in k or k.startswith("days_")}


def test_every_key_the_code_uses_exists() -> None:
    fi = _catalogue("fi")
    missing = sorted(k for k in _used_keys() if f"doc.{k}" not in fi)
    assert not missing


@pytest.mark.parametrize("lang", LANGS)
def test_no_raw_keys_leak_into_output(lang: str) -> None:
    ctx = context(lang)
    for kind in KINDS:
        for fmt in FORMATS[kind]:
            if fmt == "pdf":
                continue  # PDFs are read back in the other tests
            try:
                out = build_document(kind, ctx, fmt).decode("utf-8-sig")
            except NotApplicableError:  # made only at the ending
                out = build_document(kind, context(lang, period=ENDED_PERIOD), fmt).decode()
            assert "doc." not in out.replace("sosku-access-export", ""), (kind, fmt)
