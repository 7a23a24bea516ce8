"""Settings dialog: every field validates in place; valid values reach the store and prefs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import codes
from sosku_desktop.domain.rules_config import RatePeriod
from sosku_desktop.operations.settings import settings_form
from sosku_desktop.preferences import Preferences
from sosku_desktop.store.database import Store
from sosku_desktop.store.records import load_rules
from sosku_desktop.ui.dialogs.settings_dialog import GENERAL, RULES, SettingsDialog
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.tasks import Tasks


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.create(tmp_path / "d", "passphrase")
    yield s
    s.close()


@pytest.fixture
def prefs(tmp_path: Path) -> Preferences:
    return Preferences(tmp_path / "d")


def _dialog(qtbot: QtBot, store: Store, prefs: Preferences, lang: str = "en") -> SettingsDialog:
    ctx = AppContext(store=store, prefs=prefs, lang=lang, tasks=Tasks(synchronous=True))
    dialog = SettingsDialog(ctx, settings_form(store))
    qtbot.addWidget(dialog)
    return dialog


def _save(qtbot: QtBot, dialog: SettingsDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_defaults_are_shown_the_finnish_way(qtbot: QtBot, store: Store, prefs: Preferences) -> None:
    dialog = _dialog(qtbot, store, prefs, "fi")
    assert [(r.day.text(), r.amount.text()) for r in dialog.rate_rows] == [("1.1.2000", "9,00")]
    assert dialog.budget_edits[codes.ROLE_SOCIAL_INSTRUCTOR].text() == "300,00"
    assert dialog.int_edits["consecutive_absences"].text() == "2"
    assert dialog.idle.text() == "10"
    assert dialog.language.currentData() == "fi"


def test_a_negative_rate_is_refused_with_a_message_and_nothing_is_lost(
    qtbot: QtBot, store: Store, prefs: Preferences
) -> None:
    dialog = _dialog(qtbot, store, prefs)
    row = dialog.rate_rows[0]
    row.amount.setText("-9,00")
    dialog.org_name.setText("Example City")
    _save(qtbot, dialog)
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert row.amount_box.error == "The amount cannot be negative."
    assert not row.amount_box.message.isHidden()
    assert dialog.tabs.currentIndex() == RULES
    assert dialog.summary.text() == "Settings not saved. Correct the marked fields (1)."
    assert row.amount.text() == "-9,00"
    assert dialog.org_name.text() == "Example City"
    with store.read() as r:
        assert r.setting("activity_money_rates") is None
        assert r.setting("organisation_name") is None


def test_a_bad_date_is_refused_with_a_message(
    qtbot: QtBot, store: Store, prefs: Preferences
) -> None:
    dialog = _dialog(qtbot, store, prefs)
    qtbot.mouseClick(dialog.add_rate_button, Qt.MouseButton.LeftButton)
    new = dialog.rate_rows[-1]
    assert (new.day.text(), new.amount.text()) == ("", "")
    qtbot.keyClicks(new.day, "31.2.2027")
    qtbot.keyClicks(new.amount, "10,00")
    _save(qtbot, dialog)
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert new.day_box.error == "Write the date as 1.1.2026."
    assert new.day.text() == "31.2.2027"
    new.day.setText("1.3.2027")
    new.day.editingFinished.emit()
    assert new.day_box.error == ""
    assert dialog.summary.text() == ""


def test_messages_appear_as_a_field_is_left(qtbot: QtBot, store: Store, prefs: Preferences) -> None:
    dialog = _dialog(qtbot, store, prefs)
    edit = dialog.int_edits["max_period_months"]
    other = dialog.int_edits["decision_block_months"]
    edit.setText("0")
    other.setText("x")
    edit.editingFinished.emit()
    assert dialog.boxes["max_period_months"][0].error == "The number must be 1–36."
    assert dialog.boxes["decision_block_months"][0].error == ""  # not yet touched
    dialog.idle.setText("500")
    dialog.idle.editingFinished.emit()
    assert dialog.boxes["idle_lock_minutes"][0].error == "The number must be 1–240."
    _save(qtbot, dialog)
    assert dialog.boxes["decision_block_months"][0].error == "Write a whole number, e.g. 14."
    assert dialog.tabs.currentIndex() == GENERAL


def test_valid_values_are_saved_and_load_rules_sees_them(
    qtbot: QtBot, store: Store, prefs: Preferences, tmp_path: Path
) -> None:
    logo = tmp_path / "logo.png"
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("#1a73e8"))
    assert image.save(str(logo))
    dialog = _dialog(qtbot, store, prefs)
    dialog.org_name.setText("  Example City, adult social work ")
    dialog.org_contact.setPlainText("Main Street 1\n00100 Example")
    dialog.org_logo.setText(str(logo))
    dialog._add_rate_row("1.1.2027", "10,50")
    dialog.budget_edits[codes.ROLE_SOCIAL_WORKER].setText("200")
    dialog.int_edits["consecutive_absences"].setText("3")
    dialog.idle.setText("15")
    dialog.language.setCurrentIndex(dialog.language.findData("sv"))
    dialog.new_method.setText("Picture cards")
    assert dialog.add_method()
    dialog.new_method.setText("picture  CARDS")
    assert not dialog.add_method()
    assert dialog.method_box.error == "This method is already on the list."
    dialog.new_method.setText("Diary")  # a built-in one (in English)
    assert not dialog.add_method()
    dialog.new_method.setText("Cooking together")  # typed but not added: still kept
    _save(qtbot, dialog)

    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert dialog.language_changed
    with store.read() as r:
        assert r.setting("organisation_name") == "Example City, adult social work"
        assert r.setting("organisation_contact") == "Main Street 1\n00100 Example"
        assert r.setting("organisation_logo") == str(logo)
        assert r.setting("activity_money_rates") == [
            {"valid_from": "2000-01-01", "cents_per_day": 900},
            {"valid_from": "2027-01-01", "cents_per_day": 1050},
        ]
        assert r.setting("max_period_months") is None  # unchanged values are not written
        rules = load_rules(r)
    assert rules.rate_on(date(2026, 12, 31)) == 900
    assert rules.rate_on(date(2027, 1, 1)) == 1050
    assert rules.activity_money_rates[-1] == RatePeriod(date(2027, 1, 1), 1050)
    assert rules.budget_for(codes.ROLE_SOCIAL_WORKER) == 20000
    assert rules.consecutive_absences == 3

    reloaded = Preferences(prefs.path.parent)
    assert reloaded.get("language") == "sv"
    assert reloaded.get("idle_lock_minutes") == 15
    assert reloaded.get("custom_methods") == ["Picture cards", "Cooking together"]

    again = _dialog(qtbot, store, reloaded, "sv")
    assert [(r.day.text(), r.amount.text()) for r in again.rate_rows] == [
        ("1.1.2000", "9,00"),
        ("1.1.2027", "10,50"),
    ]
    assert again.custom.count() == 2
    _save(qtbot, again)
    assert not again.language_changed


def test_a_missing_logo_and_no_rates_are_explained(
    qtbot: QtBot, store: Store, prefs: Preferences, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, store, prefs)
    dialog.org_logo.setText(str(tmp_path / "nowhere.png"))
    dialog._remove_rate_row(dialog.rate_rows[0])
    _save(qtbot, dialog)
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert dialog.boxes["organisation_logo"][0].error.startswith("The file cannot be found.")
    assert dialog.rates_message.text() == "Add at least one activity money rate."
    assert not dialog.rates_message.isHidden()


def test_a_decision_block_or_midpoint_past_the_longest_period_shows_under_its_field(
    qtbot: QtBot, store: Store, prefs: Preferences
) -> None:
    dialog = _dialog(qtbot, store, prefs)
    dialog.int_edits["max_period_months"].setText("6")
    dialog.int_edits["decision_block_months"].setText("7")
    dialog.int_edits["self_assessment_midpoint_months"].setText("6")
    _save(qtbot, dialog)
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    block = dialog.boxes["decision_block_months"][0]
    assert block.error.startswith("One decision cannot cover more than the longest period")
    assert not block.message.isHidden()
    midpoint = dialog.boxes["self_assessment_midpoint_months"][0].error
    assert midpoint.startswith("The midway self-assessment would fall after the period")
    with store.read() as r:
        assert load_rules(r).decision_block_months == 3  # nothing was saved
