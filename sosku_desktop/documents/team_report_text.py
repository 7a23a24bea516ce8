"""Shared wording of the team report, so the PDF, the CSV and the screen agree.

Each function turns one figure of ``domain.team_report`` into the words and
numbers people read; none computes anything itself.
"""

from __future__ import annotations

from datetime import date

from sosku_desktop.domain import codes
from sosku_desktop.domain.team_report import ENDED, Month, ReportFilter, TeamReport
from sosku_desktop.i18n import code_label, format_date, format_month, format_number, tr


def r(key: str, lang: str, **params: object) -> str:
    """Catalogue text of a ``report.`` key."""
    return tr(f"report.{key}", lang, **params)


def month_name(month: Month, lang: str) -> str:
    """ "tammikuu 2026"."""
    return format_month(month[0], month[1], lang)


def month_short(month: Month) -> str:
    """ "1/26" for narrow chart and table columns (the same in every language)."""
    return f"{month[1]}/{month[0] % 100:02d}"


def window_text(report_filter: ReportFilter, lang: str) -> str:
    """ "tammikuu 2026 – marraskuu 2026" or one month alone."""
    first, last = report_filter.first_month, report_filter.last_month
    if first == last:
        return month_name(first, lang)
    return f"{month_name(first, lang)} – {month_name(last, lang)}"


def worker_text(report: TeamReport, lang: str) -> str:
    if report.filter.worker_id is None:
        return r("all_workers", lang)
    return report.worker_name or report.filter.worker_id


def computed_text(today: date, lang: str) -> str:
    return r("computed", lang, date=format_date(today, lang))


def phase_label(phase: str, lang: str) -> str:
    if phase == ENDED:
        return r("phase_ended", lang)
    return code_label("phase", phase, lang)


def percent(share: float | None, lang: str) -> str:
    """ "87,5 %" with one decimal at most; a dash when there is nothing to divide."""
    if share is None:
        return "–"
    return f"{format_number(round(100 * share, 1), lang)} %"


def percent_number(share: float | None, lang: str) -> str:
    """The percent as a bare number for CSV cells ("87,5")."""
    if share is None:
        return ""
    return format_number(round(100 * share, 1), lang)


def target_share(report: TeamReport) -> tuple[int, int]:
    """(client-months meeting the target, client-months with a target) over closed months."""
    closed = [m for m in report.meeting_months if m.closed]
    return (
        sum(m.clients_meeting_target for m in closed),
        sum(m.clients_with_target for m in closed),
    )


def _capital(text: str) -> str:
    """Table cells start with a capital, whatever case the code list uses."""
    return text[:1].upper() + text[1:]


def kind_label(kind: str, lang: str) -> str:
    return _capital(code_label("meeting_kind", kind, lang))


def status_label(status: str, lang: str) -> str:
    return _capital(code_label("meeting_status", status, lang))


def role_label(role: str, lang: str) -> str:
    return _capital(code_label("role", role, lang))


def yes_no(value: bool, lang: str) -> str:
    return r("yes" if value else "no", lang)


ATTENDANCE_COLUMNS = (
    codes.ATTENDANCE_PRESENT,
    codes.ATTENDANCE_ABSENT,
    codes.ATTENDANCE_EXCUSED,
)
