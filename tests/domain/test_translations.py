"""The domain room's translation catalogues are complete and consistent."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

from sosku_desktop import i18n

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = {
    lang: json.loads((i18n.TRANSLATIONS / f"domain.{lang}.json").read_text(encoding="utf-8"))
    for lang in i18n.LANGUAGES
}
DOMAIN_SOURCE = ROOT / "sosku_desktop" / "domain"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_has_the_same_keys():
    fi = set(CATALOGUES["fi"])
    for lang, catalogue in CATALOGUES.items():
        assert set(catalogue) == fi, lang


def test_texts_are_non_empty_and_use_the_same_placeholders():
    for key, fi_text in CATALOGUES["fi"].items():
        for lang, catalogue in CATALOGUES.items():
            text = catalogue[key]
            assert text.strip(), (lang, key)
            assert placeholders(text) == placeholders(fi_text), (lang, key)


def test_no_key_is_shared_with_another_room():
    for path in i18n.TRANSLATIONS.glob("*.fi.json"):
        if path.name == "domain.fi.json":
            continue
        other = json.loads(path.read_text(encoding="utf-8"))
        assert not set(other) & set(CATALOGUES["fi"]), path.name


def test_every_key_named_in_the_domain_code_exists():
    pattern = re.compile(r"\"((?:validation|reminder|intake)\.[a-z_.]+[a-z_])\"")
    used: set[str] = set()
    for path in DOMAIN_SOURCE.glob("*.py"):
        used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert len(used) > 25
    for lang in i18n.LANGUAGES:
        missing = sorted(k for k in used if k not in i18n.catalogue(lang))
        assert not missing, (lang, missing)
