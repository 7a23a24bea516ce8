"""The client's access log: who opened or changed the record, when, and what."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from sosku_desktop.domain import models
from sosku_desktop.i18n import format_time
from sosku_desktop.operations.clients import access_log_of
from sosku_desktop.ui.client.tabs.base import ClientTab
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.widgets.common import fit_columns, label, table_view
from sosku_desktop.ui.widgets.models import Column, TableModel


class AccessLogTab(ClientTab):
    """Rows of ``audit_log`` for this client, newest first (client-data act 703/2023)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("accessLogTab")
        self.workers: dict[str, models.Worker] = {}
        self.layout_.addWidget(label(ctx.tr("ui.access.explain"), "muted", wrap=True))

        def record_label(e: models.AuditEntry) -> str:
            key = f"ui.table.{e.record_table}" if e.record_table else ""
            text = ctx.tr(key) if key else ""
            return "" if text == key else text

        self.model: TableModel[models.AuditEntry] = TableModel(
            [
                Column(
                    "ui.col.when",
                    lambda e: f"{ctx.date(e.at)} {format_time(e.at)}",
                    sort=lambda e: e.at,
                ),
                Column("ui.col.who", lambda e: self._worker(e.worker_id)),
                Column("ui.col.action", lambda e: ctx.code("audit_action", e.action)),
                Column("ui.col.record", record_label),
                Column("ui.col.device", lambda e: e.device_id[:8]),
            ],
            ctx.lang,
            self,
        )
        self.table = table_view(self.model, name="accessLogTable")
        self.table.setAccessibleName(ctx.tr("ui.client.tab.access"))
        self.layout_.addWidget(self.table, 1)

    def _worker(self, worker_id: str | None) -> str:
        worker = self.workers.get(worker_id or "")
        return worker.name if worker else self.ctx.tr("ui.access.unknown_worker")

    def fill(self) -> None:
        """Read the client's log in the background (it grows with every view) and show it."""
        assert self.data is not None
        store, client_id = self.ctx.store, self.data.record.client.id
        self.workers = self.data.record.workers
        self.ctx.tasks.latest(
            ("access log", id(self)),
            lambda _t: access_log_of(store, client_id),
            self._show_rows,
            owner=self,
        )

    def _show_rows(self, rows: list[models.AuditEntry]) -> None:
        self.model.set_rows(rows)
        fit_columns(self.table)
