"""Settings: language and idle lock, organisation, rules, and the methods list.

Device choices go to ``Preferences``; what the whole team shares (the
organisation's name and contact, activity-money rates, budgets, reminder
thresholds) goes to the synced ``org_settings`` with exactly the keys and
shapes ``store.records.load_rules`` reads. Parsing and ranges are domain
rules (``domain.rules_settings``). Every field shows its own message under
it; Save is refused while anything is wrong, and the dialog keeps all that
was typed so the worker only corrects the marked fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop import i18n
from sosku_desktop.domain import codes, rules_settings
from sosku_desktop.domain.errors import Problem
from sosku_desktop.i18n import code_label, format_amount, format_date, tr
from sosku_desktop.operations.settings import SettingsForm, save_org_settings
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.theme import Role, tint
from sosku_desktop.ui.widgets.common import label as muted_label
from sosku_desktop.ui.widgets.field_messages import FieldBox, name_form_fields, problem_text
from sosku_desktop.ui.widgets.form_guard import GuardedDialog
from sosku_desktop.ui.widgets.keys import leave_on_tab

#: The idle-lock range the preferences registry accepts.
IDLE_LOCK = rules_settings.IntRule("idle_lock_minutes", 1, 240)
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg")
#: Each language's own name, so a person who cannot read the current language finds theirs.
ENDONYMS = {"fi": "suomi", "sv": "svenska", "en": "English"}
UNITS = {
    "max_period_months": "settings.unit.months",
    "decision_block_months": "settings.unit.months",
    "min_meetings_per_month": "settings.unit.per_month",
    "transport_card_days": "settings.unit.days",
    "decision_ending_days": "settings.unit.days_before",
    "year_limit_warning_days": "settings.unit.days_before",
    "evaluation_interval_months": "settings.unit.months",
    "evaluation_warning_days": "settings.unit.days_before",
    "consecutive_absences": "settings.unit.times_in_row",
    "self_assessment_midpoint_months": "settings.unit.months_from_start",
    "self_assessment_window_days": "settings.unit.days_either_side",
    "idle_lock_minutes": "settings.unit.minutes",
}
GENERAL, ORGANISATION, RULES, METHODS = range(4)
RATE_DAY_WIDTH = 130
RATE_AMOUNT_WIDTH = 170


def _with_unit(edit: QLineEdit, unit: str) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit)
    label = QLabel(unit)
    tint(label, Role.MUTED)
    row.addWidget(label)
    row.addStretch(1)
    return box


def _short_edit(text: str, width: int = 80) -> QLineEdit:
    edit = QLineEdit(text)
    edit.setFixedWidth(width)
    edit.setAlignment(Qt.AlignmentFlag.AlignRight)
    return edit


class RateRow(QWidget):
    """One activity-money rate: valid from, euros per day, remove."""

    remove_requested = Signal(object)

    def __init__(self, valid_from: str, per_day: str, lang: str) -> None:
        super().__init__()
        self.day = QLineEdit(valid_from)
        self.day.setPlaceholderText("1.1.2026")
        self.day.setFixedWidth(110)
        self.amount = _short_edit(per_day)
        self.amount.setPlaceholderText("9,00")
        self.day.setAccessibleName(tr("settings.rates.from", lang))
        self.amount.setAccessibleName(tr("settings.rates.amount", lang))
        # Messages go under the whole row: the fields are too narrow to hold them.
        day_message, amount_message = QLabel(), QLabel()
        self.day_box = FieldBox(self.day, message=day_message)
        self.day_box.setFixedWidth(RATE_DAY_WIDTH)
        amount = _with_unit(self.amount, tr("settings.unit.per_day", lang))
        self.amount_box = FieldBox(amount, message=amount_message)
        self.amount_box.setFixedWidth(RATE_AMOUNT_WIDTH)
        remove = QPushButton(tr("settings.rates.remove", lang))
        remove.clicked.connect(lambda: self.remove_requested.emit(self))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.day_box)
        row.addWidget(self.amount_box)
        row.addWidget(remove)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(day_message)
        layout.addWidget(amount_message)

    @staticmethod
    def header(lang: str) -> QWidget:
        """Column titles above the rate rows."""
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        for key, width in (
            ("settings.rates.from", RATE_DAY_WIDTH),
            ("settings.rates.amount", RATE_AMOUNT_WIDTH),
        ):
            label = QLabel(tr(key, lang))
            label.setFixedWidth(width)
            label.setStyleSheet("font-weight: 600;")
            row.addWidget(label)
        row.addStretch(1)
        return box

    def value(self) -> rules_settings.RateText:
        return rules_settings.RateText(self.day.text(), self.amount.text())


@dataclass
class _Collected:
    """Everything the form would save, and what is wrong with it."""

    problems: list[Problem]
    org: dict[str, Any]
    language: str
    idle_minutes: int | None
    methods: list[str]


class SettingsDialog(GuardedDialog):
    """Settings in four tabs; Save validates everything first."""

    def __init__(
        self, ctx: AppContext, initial: SettingsForm, parent: QWidget | None = None
    ) -> None:
        """``initial``: ``operations.settings.settings_form``, read in the background."""
        super().__init__(parent)
        self.ctx = ctx
        self.store = ctx.store
        self.preferences = preferences = ctx.prefs
        self.lang = lang = ctx.lang
        self._initial_language = str(preferences.get("language"))
        self._language_changed = False
        self._attempted = False
        self._touched: set[FieldBox] = set()
        self.boxes: dict[str, tuple[FieldBox, int]] = {}
        self.rate_rows: list[RateRow] = []
        self._initial_org, self._initial_rules = initial.org, initial.rules
        self.setWindowTitle(tr("settings.title", lang))
        self.resize(920, 620)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._general_tab(), tr("settings.tab.general", lang))
        self.tabs.addTab(self._organisation_tab(), tr("settings.tab.organisation", lang))
        self.tabs.addTab(self._rules_tab(), tr("settings.tab.rules", lang))
        self.tabs.addTab(self._methods_tab(), tr("settings.tab.methods", lang))
        self.summary = QLabel()
        tint(self.summary, Role.ERROR)
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(tr("settings.save", lang))
        self.save_button.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            tr("groups.action.cancel", lang)
        )
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        name_form_fields(self)  # each form row's label names the input itself

    @property
    def language_changed(self) -> bool:
        """Whether Save switched the language (the shell then rebuilds its pages)."""
        return self._language_changed

    def _t(self, key: str, **params: object) -> str:
        return tr(key, self.lang, **params)

    def _register(self, field: str, box: FieldBox, tab: int, edit: QWidget) -> FieldBox:
        self.boxes[field] = (box, tab)
        signal = getattr(edit, "editingFinished", None) or getattr(edit, "textChanged", None)
        if signal is not None:
            signal.connect(lambda: self._touch(box))
        return box

    # --- tabs -------------------------------------------------------------------------------

    def _general_tab(self) -> QWidget:
        self.language = QComboBox()
        self.language.setMinimumWidth(220)
        for code in i18n.LANGUAGES:
            label = ENDONYMS[code]
            translated = code_label("language", code, self.lang)
            if translated.casefold() != label.casefold():
                label = f"{label} ({translated})"
            self.language.addItem(label, code)
        self.language.setCurrentIndex(max(0, list(i18n.LANGUAGES).index(self._initial_language)))
        self.idle = _short_edit(str(self.preferences.get("idle_lock_minutes")), 60)
        idle_box = FieldBox(_with_unit(self.idle, self._t(UNITS["idle_lock_minutes"])))
        self._register("idle_lock_minutes", idle_box, GENERAL, self.idle)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self._t("settings.language"), self.language)
        form.addRow(self._t("settings.idle_lock"), idle_box)
        note = muted_label(self._t("settings.general_note"), "muted", wrap=True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)
        return page

    def _organisation_tab(self) -> QWidget:
        self.org_name = QLineEdit(self._initial_org["organisation_name"])
        self.org_name.setPlaceholderText(self._t("settings.org.name_hint"))
        self.org_contact = QPlainTextEdit(self._initial_org["organisation_contact"])
        self.org_contact.setFixedHeight(80)
        self.org_logo = QLineEdit(self._initial_org["organisation_logo"])
        self.org_logo.setPlaceholderText(self._t("settings.org.logo_hint"))
        choose = QPushButton(self._t("settings.org.choose_logo"))
        choose.clicked.connect(self._choose_logo)
        logo_row = QWidget()
        row = QHBoxLayout(logo_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.org_logo, 1)
        row.addWidget(choose)
        self.logo_preview = QLabel()
        self.logo_preview.setFixedHeight(64)
        self.org_logo.textChanged.connect(self._show_logo)
        form = QFormLayout()
        form.addRow(
            self._t("settings.org.name"),
            self._register(
                "organisation_name", FieldBox(self.org_name), ORGANISATION, self.org_name
            ),
        )
        form.addRow(
            self._t("settings.org.contact"),
            self._register(
                "organisation_contact", FieldBox(self.org_contact), ORGANISATION, self.org_contact
            ),
        )
        form.addRow(
            self._t("settings.org.logo"),
            self._register("organisation_logo", FieldBox(logo_row), ORGANISATION, self.org_logo),
        )
        form.addRow("", self.logo_preview)
        note = muted_label(self._t("settings.org.note"), "muted", wrap=True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)
        self._show_logo()
        return page

    def _rules_tab(self) -> QWidget:
        rules = self._initial_rules
        # Activity money
        self.rates_layout = QVBoxLayout()
        self.rates_layout.setSpacing(4)
        for rate in rules["activity_money_rates"]:
            day = rules_settings.parse_day(rate["valid_from"])
            self._add_rate_row(
                format_date(day, self.lang) if day else rate["valid_from"],
                format_amount(int(rate["cents_per_day"]), self.lang),
            )
        self.add_rate_button = QPushButton(self._t("settings.rates.add"))
        self.add_rate_button.clicked.connect(lambda: self._add_rate_row("", "", focus=True))
        self.rates_message = QLabel()
        tint(self.rates_message, Role.ERROR)
        self.rates_message.hide()
        money = QGroupBox(self._t("settings.rates.title"))
        money_layout = QVBoxLayout(money)
        intro = muted_label(self._t("settings.rates.intro"), "muted", wrap=True)
        money_layout.addWidget(intro)
        money_layout.addWidget(RateRow.header(self.lang))
        money_layout.addLayout(self.rates_layout)
        money_layout.addWidget(self.rates_message)
        money_layout.addWidget(self.add_rate_button, 0, Qt.AlignmentFlag.AlignLeft)

        # Budgets
        self.budget_edits: dict[str, QLineEdit] = {}
        budgets = QGroupBox(self._t("settings.budgets.title"))
        budget_form = QFormLayout(budgets)
        for role in codes.ROLES:
            cents = int(rules["budget_cents_by_role"].get(role, 0))
            edit = _short_edit(format_amount(cents, self.lang), 90)
            self.budget_edits[role] = edit
            box = FieldBox(_with_unit(edit, self._t("settings.unit.per_year")))
            self._register(f"budget.{role}", box, RULES, edit)
            budget_form.addRow(code_label("role", role, self.lang).capitalize(), box)

        # Whole numbers
        self.int_edits: dict[str, QLineEdit] = {}
        period = self._int_group("settings.period.title", rules_settings.PERIOD_INTS, rules)
        remind = self._int_group("settings.reminders.title", rules_settings.REMINDER_INTS, rules)

        left = QVBoxLayout()
        left.addWidget(money)
        left.addWidget(budgets)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(period)
        right.addWidget(remind)
        right.addStretch(1)
        content = QWidget()
        columns = QHBoxLayout(content)
        columns.setSpacing(16)
        columns.addLayout(left, 5)
        columns.addLayout(right, 6)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        return scroll

    def _int_group(
        self, title_key: str, int_rules: tuple[rules_settings.IntRule, ...], rules: dict[str, Any]
    ) -> QGroupBox:
        group = QGroupBox(self._t(title_key))
        form = QFormLayout(group)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for rule in int_rules:
            edit = _short_edit(str(rules[rule.name]), 60)
            edit.setToolTip(self._t(f"settings.rule.{rule.name}.tip", min=rule.low, max=rule.high))
            self.int_edits[rule.name] = edit
            box = FieldBox(_with_unit(edit, self._t(UNITS[rule.name])))
            self._register(rule.name, box, RULES, edit)
            label = QLabel(self._t(f"settings.rule.{rule.name}"))
            label.setWordWrap(True)
            label.setToolTip(edit.toolTip())
            form.addRow(label, box)
        return group

    def _methods_tab(self) -> QWidget:
        built_in = leave_on_tab(QListWidget())
        for code in codes.METHODS:
            item = QListWidgetItem(code_label("method", code, self.lang))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            built_in.addItem(item)
        built_in.setAccessibleName(self._t("settings.methods.built_in"))
        self.custom = leave_on_tab(QListWidget())
        self.custom.setAccessibleName(self._t("settings.methods.own"))
        for name in self.preferences.get("custom_methods"):
            self.custom.addItem(str(name))
        self.new_method = QLineEdit()
        self.new_method.setPlaceholderText(self._t("settings.methods.placeholder"))
        self.new_method.setAccessibleName(self._t("settings.methods.placeholder"))
        self.new_method.returnPressed.connect(self.add_method)
        self.method_box = FieldBox(self.new_method)
        self.boxes["method"] = (self.method_box, METHODS)
        add = QPushButton(self._t("settings.methods.add"))
        add.clicked.connect(self.add_method)
        self.remove_method = QPushButton(self._t("settings.methods.remove"))
        self.remove_method.clicked.connect(self._remove_method)
        self.custom.currentRowChanged.connect(lambda row: self.remove_method.setEnabled(row >= 0))
        self.remove_method.setEnabled(False)
        add_row = QHBoxLayout()
        add_row.addWidget(self.method_box, 1)
        add_row.addWidget(add, 0, Qt.AlignmentFlag.AlignTop)
        left = QVBoxLayout()
        left.addWidget(QLabel(self._t("settings.methods.built_in")))
        left.addWidget(built_in, 1)
        right = QVBoxLayout()
        right.addWidget(QLabel(self._t("settings.methods.own")))
        right.addWidget(self.custom, 1)
        right.addLayout(add_row)
        right.addWidget(self.remove_method, 0, Qt.AlignmentFlag.AlignRight)
        note = muted_label(self._t("settings.methods.note"), "muted", wrap=True)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addSpacing(12)
        columns.addLayout(right, 1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(note)
        layout.addLayout(columns, 1)
        return page

    # --- rate rows and methods ------------------------------------------------------------

    def _add_rate_row(self, valid_from: str, per_day: str, focus: bool = False) -> RateRow:
        row = RateRow(valid_from, per_day, self.lang)
        row.remove_requested.connect(self._remove_rate_row)
        for edit, box in ((row.day, row.day_box), (row.amount, row.amount_box)):
            edit.editingFinished.connect(lambda b=box: self._touch(b))
        self.rate_rows.append(row)
        self.rates_layout.addWidget(row)
        if focus:
            row.day.setFocus()
        return row

    def _remove_rate_row(self, row: RateRow) -> None:
        self.rate_rows.remove(row)
        self.rates_layout.removeWidget(row)
        row.deleteLater()
        self._refresh_messages()

    def add_method(self) -> bool:
        """Put the typed method on the own list (if it is new and not too long)."""
        text = " ".join(self.new_method.text().split())
        problems = rules_settings.method_problems(text, self._all_method_names())
        if problems:
            self.method_box.set_error(problem_text(problems[0], self.lang))
            return False
        self.custom.addItem(text)
        self.new_method.clear()
        self.method_box.set_error("")
        return True

    def _remove_method(self) -> None:
        row = self.custom.currentRow()
        if row >= 0:
            self.custom.takeItem(row)

    def _custom_methods(self) -> list[str]:
        return [self.custom.item(i).text() for i in range(self.custom.count())]

    def _all_method_names(self) -> list[str]:
        built_in = [
            code_label("method", code, lang) for code in codes.METHODS for lang in i18n.LANGUAGES
        ]
        return built_in + self._custom_methods()

    # --- logo --------------------------------------------------------------------------------

    def _choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self._t("settings.org.choose_logo"), "", "PNG, JPEG (*.png *.jpg *.jpeg)"
        )
        if path:
            self.org_logo.setText(path)
            self._touch(self.boxes["organisation_logo"][0])

    def _logo_problems(self, text: str) -> list[Problem]:
        if not text.strip():
            return []
        path = Path(text.strip())
        if not path.is_file():
            return [Problem("organisation_logo", "settings.error.logo_missing")]
        if path.suffix.lower() not in LOGO_SUFFIXES or QImage(str(path)).isNull():
            return [Problem("organisation_logo", "settings.error.logo_format")]
        return []

    def _show_logo(self) -> None:
        text = self.org_logo.text().strip()
        image = QImage(text) if text and Path(text).is_file() else QImage()
        if image.isNull():
            self.logo_preview.clear()
            self.logo_preview.hide()
            return
        self.logo_preview.setPixmap(
            QPixmap.fromImage(image).scaledToHeight(60, Qt.TransformationMode.SmoothTransformation)
        )
        self.logo_preview.show()

    # --- validation ---------------------------------------------------------------------------

    def _collect(self) -> _Collected:
        problems: list[Problem] = []
        idle = None
        idle_problems = rules_settings.whole_number_problems(IDLE_LOCK, self.idle.text())
        problems += idle_problems
        if not idle_problems:
            idle = rules_settings.parse_whole(self.idle.text())
        org = {
            "organisation_name": self.org_name.text().strip(),
            "organisation_contact": self.org_contact.toPlainText().strip(),
            "organisation_logo": self.org_logo.text().strip(),
        }
        problems += rules_settings.text_problems(
            "organisation_name", org["organisation_name"], rules_settings.ORG_NAME_MAX
        )
        problems += rules_settings.text_problems(
            "organisation_contact", org["organisation_contact"], rules_settings.ORG_CONTACT_MAX
        )
        problems += self._logo_problems(org["organisation_logo"])
        settings, rule_problems = rules_settings.parse_rules_form(
            [row.value() for row in self.rate_rows],
            {role: edit.text() for role, edit in self.budget_edits.items()},
            {name: edit.text() for name, edit in self.int_edits.items()},
        )
        problems += rule_problems
        methods = self._custom_methods()
        pending = " ".join(self.new_method.text().split())
        if pending:
            method_problems = rules_settings.method_problems(pending, self._all_method_names())
            problems += method_problems
            if not method_problems:
                methods.append(pending)
        return _Collected(
            problems=problems,
            org={**org, **settings},
            language=str(self.language.currentData()),
            idle_minutes=idle,
            methods=methods,
        )

    def _touch(self, box: FieldBox) -> None:
        self._touched.add(box)
        self._refresh_messages()

    def _refresh_messages(self) -> None:
        self._show(self._collect().problems)

    def _field_boxes(self) -> dict[str, tuple[FieldBox, int]]:
        boxes = dict(self.boxes)
        for index, row in enumerate(self.rate_rows):
            boxes[rules_settings.rate_field(index, "valid_from")] = (row.day_box, RULES)
            boxes[rules_settings.rate_field(index, "per_day")] = (row.amount_box, RULES)
        return boxes

    def _show(self, problems: list[Problem]) -> None:
        for field, (box, _tab) in self._field_boxes().items():
            if field == "method" and not self._attempted:
                continue
            shown = self._attempted or box in self._touched
            texts = [problem_text(p, self.lang) for p in problems if p.field == field]
            box.set_error(" ".join(texts) if shown else "")
        rates = [problem_text(p, self.lang) for p in problems if p.field == "rates"]
        self.rates_message.setText(" ".join(rates))
        self.rates_message.setVisible(bool(rates) and (self._attempted or bool(self._touched)))
        if self._attempted:
            self.summary.setText(
                self._t("settings.fix_errors", count=len(problems)) if problems else ""
            )

    def _go_to_first(self, problems: list[Problem]) -> None:
        boxes = self._field_boxes()
        for problem in problems:
            if problem.field in boxes:
                box, tab = boxes[problem.field]
                self.tabs.setCurrentIndex(tab)
                box.editor.setFocus()
                return
            if problem.field == "rates":
                self.tabs.setCurrentIndex(RULES)
                return

    # --- saving ---------------------------------------------------------------------------

    def save(self) -> bool:
        """Validate all; save and close only when nothing is wrong."""
        self._attempted = True
        collected = self._collect()
        self._show(collected.problems)
        if collected.problems:
            self._go_to_first(collected.problems)
            return False
        initial = {**self._initial_org, **self._initial_rules}
        self.ctx.run_operation(lambda: save_org_settings(self.store, collected.org, initial))
        if collected.idle_minutes is not None:
            self.preferences.set("idle_lock_minutes", collected.idle_minutes)
        self.preferences.set("custom_methods", collected.methods)
        self.preferences.set("language", collected.language)
        self._language_changed = collected.language != self._initial_language
        self.new_method.clear()
        self.accept()
        return True
