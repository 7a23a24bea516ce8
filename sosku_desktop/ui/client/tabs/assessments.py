"""Self-assessment tab: the client's assessments, start against latest, and a new one.

A thin holder for ``AssessmentCompare``: it builds one per client (the
comparison widget is bound to a client) and re-reads after every change.
The comparison logs a view of the client's assessments, so it is built only
when the worker actually opens this tab, never in the background.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from sosku_desktop.ui.client.assessment_compare import AssessmentCompare
from sosku_desktop.ui.client.tabs.base import ClientTab
from sosku_desktop.ui.shell.context import AppContext


class AssessmentsTab(ClientTab):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("assessmentsTab")
        self.compare: AssessmentCompare | None = None

    def fill(self) -> None:
        if self.isVisible():
            self._build()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._build()

    def _build(self) -> None:
        if self.data is None:
            return
        client_id = self.data.record.client.id
        if self.compare is None or self.compare.client_id != client_id:
            if self.compare is not None:
                self.layout_.removeWidget(self.compare)
                self.compare.hide()
                self.compare.deleteLater()
            self.compare = AssessmentCompare(self.ctx, client_id)
            self.compare.setObjectName("assessmentCompare")
            self.layout_.addWidget(self.compare, 1)
        else:
            self.compare.reload()
