"""The intake wizard's needs-mapping page: services had, what helped, what to change.

Optional: a worker may map the needs later from the client's Period tab.
Checked with the domain's rules when anything is typed.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QFormLayout, QPlainTextEdit, QWizardPage

from sosku_desktop.domain import models
from sosku_desktop.domain.lifecycle_validation import needs_mapping_problems
from sosku_desktop.ui.dialogs.period_forms import text_box
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.widgets.field_messages import FieldBox, problem_text

FIELDS = ("services_had", "what_helped", "wants_to_change", "schedule")


class NeedsPage(QWizardPage):
    """Needs mapping at intake (all fields optional together)."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("needsPage")
        self.ctx = ctx
        self.setTitle(ctx.tr("ui.wizard.needs_title"))
        self.setSubTitle(ctx.tr("ui.wizard.needs_subtitle"))
        form = QFormLayout(self)
        self.texts: dict[str, QPlainTextEdit] = {}
        self.boxes: dict[str, FieldBox] = {}
        for name in FIELDS:
            box = text_box("", 56)
            box.setObjectName(f"needs_{name}")
            self.texts[name] = box
            self.boxes[name] = FieldBox(box)
            form.addRow(ctx.tr(f"ui.period.needs.{name}"), self.boxes[name])

    def needs(self, today: date) -> models.NeedsMapping | None:
        """What was typed, or ``None`` when the page was left empty."""
        values = {n: box.toPlainText().strip() for n, box in self.texts.items()}
        if not any(values.values()):
            return None
        return models.NeedsMapping(
            id="pending",
            period_id="pending",
            mapped_on=today,
            services_had=values["services_had"],
            what_helped=values["what_helped"],
            wants_to_change=values["wants_to_change"],
            schedule=values["schedule"],
        )

    def validatePage(self) -> bool:  # Qt's name
        needs = self.needs(self.ctx.today())
        problems = needs_mapping_problems(needs) if needs is not None else []
        for name, box in self.boxes.items():
            box.set_error(
                " ".join(problem_text(p, self.ctx.lang) for p in problems if p.field == name)
            )
        return not problems
