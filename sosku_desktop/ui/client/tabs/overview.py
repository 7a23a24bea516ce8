"""Overview: where the period stands — phase, decisions, this month's meetings, next step."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QProgressBar,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.goals import achieved_count, build_tree
from sosku_desktop.domain.lifecycle import is_read_only, phases_done
from sosku_desktop.domain.meetings import (
    MonthCount,
    meetings_per_month,
    month_count,
    next_planned_meeting,
    realised_meetings,
)
from sosku_desktop.domain.periods import (
    covered_until,
    days_left,
    decision_in_force,
    max_end,
    period_end,
    seen_on,
    suggest_phase,
)
from sosku_desktop.operations.clients import set_phase
from sosku_desktop.ui.client.tabs.base import ClientTab, period_records
from sosku_desktop.ui.client.tabs.timeline import PhaseTimeline
from sosku_desktop.ui.dialogs.ending_lines import left_after_end
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.geometry import scrolling
from sosku_desktop.ui.widgets.common import Card, button, clear_layout, label, row
from sosku_desktop.ui.widgets.reflow import ReflowRow, wrap_labels


class OverviewTab(ClientTab):
    """Period timeline and the few numbers a worker checks before a visit."""

    new_period_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("overviewTab")
        self.timeline = PhaseTimeline(ctx.lang)
        body = QWidget()  # scrolls on its own when the cards' text needs more height
        inner = QVBoxLayout(body)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.timeline)
        # The period's cards two by two, the contact card beside them when it fits and
        # under them when not (Swedish at 1024×600 with large text: three columns of
        # cards were wider than the page, which then scrolled sideways).
        cards = ReflowRow(spacing=12)
        self.grid = QGridLayout()
        self.grid.setSpacing(12)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.side = QVBoxLayout()
        self.side.setContentsMargins(0, 0, 0, 0)
        cards.add(self.grid, 6)
        cards.add(self.side, 2)
        inner.addWidget(cards)
        inner.addStretch(1)
        self.layout_.addWidget(scrolling(body, "overviewScroll"))
        self.phase_combo: QComboBox | None = None

    def fill(self) -> None:
        assert self.data is not None
        clear_layout(self.grid)
        clear_layout(self.side)
        data, tr = self.data, self.ctx.tr
        period = data.period
        self.timeline.set_phase(period.phase if period else None)
        if period is not None:
            self.timeline.set_done(phases_done(period_records(data.record, period)))
        self.timeline.setVisible(period is not None)
        if period is None:
            card = Card(tr("ui.overview.no_period_title"))
            card.body.addWidget(label(tr("ui.overview.no_period_text"), wrap=True))
            start = button(tr("ui.overview.new_period"), primary=True)
            start.setObjectName("newPeriodButton")
            start.clicked.connect(self.new_period_requested)
            card.body.addLayout(row(start))
            self.grid.addWidget(card, 0, 0)
            self.side.addWidget(self._contact_card())
            return
        self.grid.addWidget(self._period_card(), 0, 0)
        self.grid.addWidget(self._meetings_card(), 0, 1)
        self.grid.addWidget(self._decisions_card(), 1, 0)
        self.grid.addWidget(self._goals_card(), 1, 1)
        self.side.addWidget(self._contact_card())
        for column in (0, 1):
            self.grid.setColumnStretch(column, 1)
        wrap_labels(self)  # texts break into lines rather than widen the cards

    # --- cards -------------------------------------------------------------------------

    def _period_card(self) -> Card:
        assert self.data is not None and self.data.period is not None
        data, tr, period = self.data, self.ctx.tr, self.data.period
        card = Card(tr("ui.overview.period"))
        card.body.addWidget(
            label(
                tr(
                    "ui.overview.period_dates",
                    start=self.ctx.date(period.start),
                    end=self.ctx.date(period_end(period, data.rules)),  # an ended one: its end
                )
            )
        )
        worker = data.record.workers.get(period.worker_id or "")
        status = self.ctx.code("period_status", period.status)
        card.body.addWidget(label(tr("ui.overview.status", status=status), "muted"))
        if worker is not None:
            card.body.addWidget(label(tr("ui.overview.key_worker", name=worker.name), "muted"))
        card.body.addWidget(label(self._limit_text(period), "muted", wrap=True))
        self.phase_combo = QComboBox()
        self.phase_combo.setObjectName("phaseCombo")
        self.phase_combo.setSizeAdjustPolicy(  # a long phase name must not widen the card
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.phase_combo.setMinimumContentsLength(12)
        for code in codes.PHASES:
            self.phase_combo.addItem(self.ctx.code("phase", code), code)
        self.phase_combo.setCurrentIndex(max(0, self.phase_combo.findData(period.phase)))
        self.phase_combo.currentIndexChanged.connect(self._phase_chosen)
        self.phase_combo.setEnabled(not is_read_only(period))
        caption = label(tr("ui.overview.phase"))
        caption.setBuddy(self.phase_combo)
        # the combo takes the card's width, so a long phase name shows whole where it fits
        self.phase_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        card.body.addLayout(row(caption, self.phase_combo, stretch=False))
        in_group = bool(data.record.memberships)
        suggested = suggest_phase(
            period, data.period_decisions, data.today, data.rules, in_group=in_group
        )
        if suggested != period.phase:
            hint = tr("ui.overview.phase_suggested", phase=self.ctx.code("phase", suggested))
            card.body.addWidget(label(hint, "muted", wrap=True))
        return card

    def _phase_chosen(self) -> None:
        if self.data is None or self.data.period is None or self.phase_combo is None:
            return
        phase = str(self.phase_combo.currentData())
        period = self.data.period
        self.ctx.run_operation(lambda: set_phase(self.ctx.store, period, phase))

    def _limit_text(self, period: models.Period) -> str:
        """The 1-year maximum counts down only while the period runs; an ended
        period says when it ended instead of "N days left"."""
        tr, data = self.ctx.tr, self.data
        assert data is not None
        if period.status == codes.PERIOD_ENDED:
            ended = period.ended_on or period.planned_end
            return tr("ui.overview.ended", date=self.ctx.date(ended))
        limit = max_end(period.start, data.rules)
        left = days_left(limit, data.today)
        key = "ui.overview.limit" if left >= 0 else "ui.overview.limit_passed"
        return tr(key, date=self.ctx.date(limit), days=abs(left))

    def _meetings_card(self) -> Card:
        assert self.data is not None and self.data.period is not None
        data, period, tr = self.data, self.data.period, self.ctx.tr
        if period.status == codes.PERIOD_ENDED:
            return self._ended_meetings_card(period)
        card = Card(tr("ui.overview.meetings_month"))
        count = month_count(
            period, data.period_meetings, data.today.year, data.today.month, data.rules
        )
        number = label(
            tr("ui.overview.realised_of", realised=count.realised, target=count.target),
            "bigNumber",
        )
        number.setObjectName("bigNumber")
        card.body.addWidget(number)
        bar = QProgressBar()
        bar.setObjectName("monthProgress")
        bar.setRange(0, max(1, count.target))
        bar.setValue(min(count.realised, max(1, count.target)))
        bar.setTextVisible(False)
        bar.setFixedHeight(10)
        card.body.addWidget(bar)
        key = "ui.overview.target_met" if count.met else "ui.overview.target_missing"
        card.body.addWidget(label(tr(key, missing=count.missing), "muted", wrap=True))
        upcoming = next_planned_meeting(data.period_meetings, data.now)
        if upcoming is not None:
            text = tr(
                "ui.overview.next_meeting",
                when=self.ctx.datetime(upcoming.starts_at),
                kind=self.ctx.code("meeting_kind", upcoming.kind),
            )
        else:
            text = tr("ui.overview.no_next_meeting")
        next_label = label(text, wrap=True)
        next_label.setObjectName("nextMeetingLabel")
        card.body.addWidget(next_label)
        history = meetings_per_month(period, data.period_meetings, data.today, data.rules)
        self._add_months(card, history[-4:-1])
        return card

    def _ended_meetings_card(self, period: models.Period) -> Card:
        """An ended period: its realised meetings in all, and its last months (a month
        after the end has no target and nothing to come)."""
        assert self.data is not None
        data, tr = self.data, self.ctx.tr
        card = Card(tr("ui.overview.meetings_period"))
        total = len(realised_meetings(data.period_meetings, period.id))
        number = label(str(total), "bigNumber")
        number.setObjectName("bigNumber")
        card.body.addWidget(number)
        last_day = seen_on(period, data.today, data.rules)
        history = meetings_per_month(period, data.period_meetings, last_day, data.rules)
        self._add_months(card, history[-3:])
        return card

    def _add_months(self, card: Card, months: list[MonthCount]) -> None:
        """ "Earlier: 10/2026 4 · 9/2026 5 …", newest first."""
        if not months:
            return
        tr = self.ctx.tr
        parts = [
            tr("ui.overview.month_short", month=f"{m.month}/{m.year}", n=m.realised)
            for m in reversed(months)
        ]
        card.body.addWidget(
            label(tr("ui.overview.earlier", months=" · ".join(parts)), "muted", wrap=True)
        )

    def _decisions_card(self) -> Card:
        assert self.data is not None and self.data.period is not None
        data, period, tr = self.data, self.data.period, self.ctx.tr
        ended = period.status == codes.PERIOD_ENDED
        card = Card(tr("ui.overview.decisions_at_end" if ended else "ui.overview.decisions"))
        decisions = data.period_decisions
        day = seen_on(period, data.today, data.rules)
        shown = False
        for kind in codes.DECISION_KINDS:
            decision = decision_in_force(decisions, day, kind, period.id)
            if decision is None:
                continue
            shown = True
            card.body.addWidget(label(self.ctx.code("decision_kind", kind)))
            card.body.addWidget(
                label(
                    tr(
                        "ui.overview.valid",
                        start=self.ctx.date(decision.valid_from),
                        end=self.ctx.date(decision.valid_to),
                    ),
                    "muted",
                )
            )
        if not shown:
            key = "ui.overview.no_decision_at_end" if ended else "ui.overview.no_decision"
            card.body.addWidget(label(tr(key), "warningNotice", wrap=True))
        for text in left_after_end(self.ctx, data.record, period):
            card.body.addWidget(label(text, "warningNotice", wrap=True))
        until = None if ended else covered_until(decisions, data.today, period.id)
        if until is not None:
            card.body.addWidget(
                label(tr("ui.overview.covered_until", date=self.ctx.date(until)), wrap=True)
            )
        return card

    def _goals_card(self) -> Card:
        assert self.data is not None
        data, tr = self.data, self.ctx.tr
        card = Card(tr("ui.overview.goals"))
        goals = data.period_goals
        achieved, counted = achieved_count(goals)
        card.body.addWidget(label(tr("ui.overview.goals_achieved", n=achieved, total=counted)))
        for node in build_tree(goals)[:3]:
            card.body.addWidget(label(f"{node.goal.text} — {node.progress} %", wrap=True))
            bar = QProgressBar()
            bar.setRange(0, 100)
            bar.setValue(node.progress)
            bar.setTextVisible(False)
            bar.setFixedHeight(8)
            card.body.addWidget(bar)
        if not goals:
            card.body.addWidget(label(tr("ui.overview.no_goals"), "muted", wrap=True))
        return card

    def _contact_card(self) -> Card:
        assert self.data is not None
        client, tr = self.data.record.client, self.ctx.tr
        card = Card(tr("ui.overview.contact"))
        items = (
            ("ui.client.phone", client.phone),
            ("ui.client.email", client.email),
            ("ui.client.address", client.address),
            ("ui.client.language", self.ctx.code("language", client.language)),
        )
        for key, value in items:
            if value:
                card.body.addWidget(label(tr(key), "muted"))
                text = label(value, wrap=True)
                text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                card.body.addWidget(text)
        if client.notes:
            card.body.addWidget(label(tr("ui.client.notes"), "muted"))
            card.body.addWidget(label(client.notes, wrap=True))
        card.body.addStretch(1)
        return card
