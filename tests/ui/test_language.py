"""Plural forms and Qt's own texts in every language; no key and no English Qt text shows.

Counted texts go through Babel's CLDR plural rules (``i18n.tr`` picks
``<key>#one`` for 1); Qt's texts come from ``qtbase_<lang>.qm`` loaded with a
``QTranslator`` whenever the language is set or changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit
from pytestqt.qtbot import QtBot

from sosku_desktop import i18n
from sosku_desktop.ui.shell import qt_texts
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s
from tests.ui.layout_support import settle, walk_views

ROOT = Path(__file__).resolve().parents[2]
#: Qt's English texts a Finnish or Swedish worker must never meet.
ENGLISH_QT = {
    "&Undo",
    "&Redo",
    "Cu&t",
    "&Copy",
    "&Paste",
    "Select All",
    "Cancel",
    "Save",
    "Close",
    "&Yes",
    "&No",
    "Apply",
    "Discard",
    "Reset",
    "Help",
    "Open",
}
BUTTONS = (
    QDialogButtonBox.StandardButton.Ok
    | QDialogButtonBox.StandardButton.Cancel
    | QDialogButtonBox.StandardButton.Save
    | QDialogButtonBox.StandardButton.Close
    | QDialogButtonBox.StandardButton.Yes
    | QDialogButtonBox.StandardButton.No
)


@pytest.fixture(autouse=True)
def back_to_english(qtbot: QtBot) -> Iterator[None]:
    yield
    qt_texts.set_language("en")


def _qt_texts(lang: str) -> list[str]:
    assert qt_texts.set_language(lang)
    edit = QLineEdit()
    menu = edit.createStandardContextMenu()
    texts = [a.text().split("\t")[0] for a in menu.actions() if a.text()]
    menu.deleteLater()
    box = QDialogButtonBox(BUTTONS)
    texts += [b.text() for b in box.buttons()]
    return texts


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_qt_context_menu_and_dialog_buttons_speak_the_language(lang: str) -> None:
    texts = _qt_texts(lang)
    assert len(texts) >= 12 and not set(texts) & ENGLISH_QT, texts


def test_english_keeps_qts_own_texts_and_the_checker_can_fail() -> None:
    assert set(_qt_texts("en")) & ENGLISH_QT


def test_changing_the_language_in_the_window_changes_qts_texts(
    tmp_path: Path, qtbot: QtBot
) -> None:
    store = s.demo_store(tmp_path)
    ctx = s.context(store, lang="fi")
    window = MainWindow(ctx, lock_minutes=240)
    qtbot.addWidget(window)
    edit = QLineEdit()
    window.set_language("sv")
    menu = edit.createStandardContextMenu()
    assert "&Ångra" in [a.text().split("\t")[0] for a in menu.actions()]
    window.set_language("fi")
    menu = edit.createStandardContextMenu()
    assert "&Kumoa" in [a.text().split("\t")[0] for a in menu.actions()]
    store.close()


# --- plurals ---------------------------------------------------------------------------

PLURAL_KEYS = sorted(k.split("#")[0] for k in i18n.catalogue("fi") if k.endswith("#one"))


def _count_param(key: str) -> str:
    text = i18n.catalogue("fi")[key]
    names = set(re.findall(r"\{(\w+)\}", text))
    return next((p for p in i18n.PLURAL_PARAMS if p in names), "n")  # a caption by a number


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_counted_text_has_its_singular_and_plural(lang: str) -> None:
    assert len(PLURAL_KEYS) >= 20
    for key in PLURAL_KEYS:
        assert f"{key}#one" in i18n.catalogue(lang), key
        param = _count_param(key)
        fields = {n: "x" for n in re.findall(r"\{(\w+)\}", i18n.catalogue("fi")[key])}
        one = i18n.tr(key, lang, **{**fields, param: 1})
        two = i18n.tr(key, lang, **{**fields, param: 2})
        assert one == i18n.catalogue(lang)[f"{key}#one"].format(**{**fields, param: 1}), key
        assert two == i18n.catalogue(lang)[key].format(**{**fields, param: 2}), key


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        ("fi", "1 muutos odottaa synkronointia", "2 muutosta odottaa synkronointia"),
        ("sv", "1 ändring väntar på synkronisering", "2 ändringar väntar på synkronisering"),
        ("en", "1 change waiting to sync", "2 changes waiting to sync"),
    ],
)
def test_the_issues_examples(lang: str, one: str, two: str) -> None:
    """ "1 muutosta odottaa", "1 changes waiting", "1 sivua" were wrong."""
    assert i18n.tr("ui.shell.sync_waiting", lang, n=1) == one
    assert i18n.tr("ui.shell.sync_waiting", lang, n=2) == two
    assert i18n.plural_form(1, lang) == "one" and i18n.plural_form(2, lang) == "other"
    assert i18n.tr("ui.documents.pages", "fi", n=1) == "Esikatselu: 1 sivu."


# --- every visible text ------------------------------------------------------------------


def _visible(window: MainWindow, ctx: AppContext) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {}
    for view in walk_views(window, ctx):
        seen[view] = s.visible_texts(QApplication.allWidgets())
    return seen


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_key_and_no_english_qt_text_anywhere(tmp_path: Path, qtbot: QtBot, lang: str) -> None:
    store = s.demo_store(tmp_path)
    ctx = s.context(store, lang=lang)
    qt_texts.set_language(lang)
    window = MainWindow(ctx, lock_minutes=240)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    settle()
    problems: dict[str, list[str]] = {}
    for view, texts in _visible(window, ctx).items():
        keys = [t for t in texts if s.KEY_LIKE.match(t)]
        english = [t for t in texts if lang != "en" and t in ENGLISH_QT]
        if keys or english:
            problems[view] = keys + english
    dialog = window.client_view.record_meeting()
    assert dialog is not None
    settle()
    texts = s.visible_texts([dialog, *dialog.findChildren(QLineEdit)])
    assert not [t for t in texts if s.KEY_LIKE.match(t) or (lang != "en" and t in ENGLISH_QT)]
    dialog.reject()
    assert problems == {}
    store.close()


def test_the_frozen_build_carries_qts_finnish_and_swedish() -> None:
    spec = (ROOT / "installer" / "sosku.spec").read_text("utf-8")
    check = (ROOT / "scripts" / "build-check.sh").read_text("utf-8")
    assert 'f"qtbase_{lang}.qm"' in spec and '("fi", "sv")' in spec
    assert "qtbase_$lang.qm" in check
    for lang in ("fi", "sv"):
        assert qt_texts.qm_file(lang) is not None
