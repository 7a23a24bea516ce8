"""Every key exists in Finnish, Swedish and English, with the same parameters."""

from __future__ import annotations

import json
import re
import string

import pytest

from sosku_desktop import i18n
from sosku_desktop.domain import codes


def _params(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_catalogue_file_is_valid_json_with_string_values() -> None:
    files = sorted(i18n.TRANSLATIONS.glob("*.json"))
    assert files
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert all(isinstance(v, str) and v.strip() for v in data.values()), path.name
        assert re.fullmatch(r"[a-z_]+\.(fi|sv|en)\.json", path.name), path.name


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_languages_have_the_same_keys_and_parameters(lang: str) -> None:
    fi = i18n.catalogue("fi")
    other = i18n.catalogue(lang)
    assert sorted(set(fi) - set(other)) == []
    assert sorted(set(other) - set(fi)) == []
    mismatched = [k for k in fi if _params(fi[k]) != _params(other[k])]
    assert mismatched == []


def test_every_code_has_a_label_in_every_language() -> None:
    for lang in i18n.LANGUAGES:
        catalogue = i18n.catalogue(lang)
        missing = [
            codes.label_key(name, code)
            for name, values in codes.CODE_LISTS.items()
            for code in values
            if codes.label_key(name, code) not in catalogue
        ]
        assert missing == [], lang


def test_formats_follow_finnish_conventions() -> None:
    from datetime import date

    for lang in i18n.LANGUAGES:
        assert i18n.format_date(date(2024, 1, 4), lang) == "4.1.2024"
        assert i18n.format_money(2700, lang) == "27,00 €"
        assert i18n.format_amount(123456, lang) == "1234,56"  # no grouping: Excel reads it
    assert i18n.tr("code.meeting_kind.walk", "sv") == "Promenadmöte"
    assert i18n.tr("no.such.key") == "no.such.key"


@pytest.mark.parametrize(
    ("lang", "one"),
    [
        ("fi", "1 sen myöhemmin lähettämä muutos"),
        ("sv", "1 ändring som"),
        ("en", "1 change it had sent later was"),
    ],
)
def test_one_change_brought_back_after_a_restore_is_singular(lang: str, one: str) -> None:
    assert one in i18n.tr("sync.report.own_recovered", lang, n=1)
    assert one not in i18n.tr("sync.report.own_recovered", lang, n=2)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_counted_text_agrees_with_the_number_it_shows(lang: str) -> None:
    """Whatever other numbers are passed (a reminder passes the days left beside the
    months it names), the singular or plural follows the number the text shows:
    "enintään 12 kuukauden" one day before the year limit was wrong."""
    catalogue = i18n.catalogue(lang)
    checked = 0
    for key in [k for k in catalogue if k.endswith("#one")]:
        base = key.removesuffix("#one")
        shown = _params(catalogue[base])
        counted = next((p for p in i18n.PLURAL_PARAMS if p in shown), None)
        if counted is None:
            continue  # a caption beside a figure: counted by whatever is passed
        fields: dict[str, object] = {name: "x" for name in shown}
        for other in (1, 2):
            extra = {p: other for p in i18n.PLURAL_PARAMS if p not in shown}
            for n, form in ((1, key), (2, base)):
                got = i18n.tr(base, lang, **{**fields, **extra, counted: n})
                assert got == catalogue[form].format(**{**fields, counted: n}), (key, other)
        checked += 1
    assert checked >= 20


def test_swedish_says_självbedömning_as_the_glossary_and_the_tab_do() -> None:
    """The .ics said 'Självskattning (slut)' and the ending step sent the worker to a
    tab 'Självskattningar' that is called 'Självbedömning'."""
    catalog = {
        key: value
        for path in sorted(i18n.TRANSLATIONS.glob("*.sv.json"))
        for key, value in json.loads(path.read_text(encoding="utf-8")).items()
    }
    assert catalog["ui.client.tab.assessments"] == "Självbedömning"
    assert [key for key, value in catalog.items() if "självskattning" in value.lower()] == []
