"""Plain-words keys for sync states and errors (``resources/translations/sync.*.json``).

The UI and ``sosku sync`` show the same sentences; this module only picks
the key, so it needs no Qt and no store. No message carries client data:
the parameters are counts, fingerprints and the team's server address.
"""

from __future__ import annotations

from sosku_desktop import i18n
from sosku_desktop.store.errors import StoreError
from sosku_desktop.sync.authority import AuthorityMismatch, AuthorityMissing
from sosku_desktop.sync.client import (
    AlreadyJoined,
    DeviceReused,
    NotJoined,
    SyncReport,
    SyncState,
)
from sosku_desktop.sync.device_store import DeviceKeysMissing
from sosku_desktop.sync.own_recovery import OwnHistoryCompacted
from sosku_desktop.sync.protocol import SyncError
from sosku_desktop.sync.round_outcome import RoundFailure
from sosku_desktop.sync.transport import (
    CertificateError,
    ClientTooOld,
    DevicePending,
    DeviceRevoked,
    HistoryCompacted,
    InsecureServerUrl,
    NotASyncServer,
    Offline,
    RequestRejected,
    ServerError,
    TooManyAttempts,
    Unauthorized,
)

STATE_KEYS = {
    SyncState.NOT_JOINED: "sync.state.not_joined",
    SyncState.JOIN_UNFINISHED: "sync.state.join_unfinished",
    SyncState.PENDING_APPROVAL: "sync.state.pending_approval",
    SyncState.WAITING_FOR_KEYS: "sync.state.waiting_for_keys",
    SyncState.NO_KEY_HOLDER: "sync.state.no_key_holder",
    SyncState.CHANGES_WAITING: "sync.state.changes_waiting",
    SyncState.UP_TO_DATE: "sync.state.up_to_date",
    SyncState.REVOKED: "sync.state.revoked",
    SyncState.TRUST_PROBLEM: "sync.state.trust_problem",
    SyncState.ROUND_FAILED: "sync.state.round_failed",
}

# Most specific first: the first matching class wins.
_ERROR_KEYS: tuple[tuple[type[BaseException], str], ...] = (
    (CertificateError, "sync.error.certificate"),
    (Offline, "sync.error.offline"),
    (DeviceRevoked, "sync.error.revoked"),
    (DevicePending, "sync.error.pending"),
    (Unauthorized, "sync.error.unauthorized"),
    (NotASyncServer, "sync.error.not_a_relay"),
    (ServerError, "sync.error.server"),
    (NotJoined, "sync.error.not_joined"),
    (AlreadyJoined, "sync.error.already_joined"),
    (DeviceReused, "sync.error.device_reused"),
    (OwnHistoryCompacted, "sync.error.own_compacted"),
    (DeviceKeysMissing, "sync.error.keys_missing"),
    (ClientTooOld, "sync.error.too_old"),
    (TooManyAttempts, "sync.error.too_many_attempts"),
    (AuthorityMismatch, "sync.error.authority_mismatch"),
    (AuthorityMissing, "sync.error.authority_missing"),
    (InsecureServerUrl, "sync.error.insecure_url"),
    (HistoryCompacted, "sync.error.compacted"),
    (RequestRejected, "sync.error.rejected"),
    (SyncError, "sync.error.generic"),
)


def error_key(error: BaseException) -> str:
    """The translation key that explains ``error`` to the worker."""
    if isinstance(error, StoreError):
        return error.message_key
    for cls, key in _ERROR_KEYS:
        if isinstance(error, cls):
            return key
    return "sync.error.generic"


def explain_error(error: BaseException, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    if isinstance(error, StoreError):
        return i18n.tr(error.message_key, lang, **error.params)
    if isinstance(error, ClientTooOld):
        return i18n.tr(error_key(error), lang, version=error.oldest_version or "?")
    return i18n.tr(error_key(error), lang)


def state_text(state: SyncState, lang: str = i18n.DEFAULT_LANGUAGE, outbox: int = 0) -> str:
    """The state in words; a removed laptop's says how many changes stay unsent on it."""
    if state == SyncState.REVOKED and outbox == 0:
        return i18n.tr("sync.state.revoked_all_sent", lang)
    return i18n.tr(STATE_KEYS[state], lang, n=outbox)


def failure_lines(
    failure: RoundFailure | None, when: str, lang: str = i18n.DEFAULT_LANGUAGE
) -> list[str]:
    """Why the last round failed and when (``when`` formatted by the caller), until one succeeds."""
    if failure is None:
        return []
    return [i18n.tr("sync.status.last_failure", lang, when=when, reason=i18n.tr(failure.key, lang))]


def trust_lines(problems: tuple[str, ...], lang: str = i18n.DEFAULT_LANGUAGE) -> list[str]:
    """One sentence per problem a round found (``trust.PROBLEMS``)."""
    return [i18n.tr(f"sync.trust.{code}", lang) for code in problems]


def authority_lines(number: str, confirmed: bool, lang: str = i18n.DEFAULT_LANGUAGE) -> list[str]:
    """The pinned team safety number, and a request to compare it if nobody did at join."""
    if not number:
        return []
    lines = [i18n.tr("sync.status.authority", lang, number=number)]
    if not confirmed:
        lines.append(i18n.tr("sync.status.authority_unconfirmed", lang))
    return lines


def report_text(report: SyncReport, lang: str = i18n.DEFAULT_LANGUAGE) -> list[str]:
    """Lines that sum a round up: the state, then counts that are not zero."""
    lines = [state_text(report.state, lang, report.outbox)]
    if report.newest_version:
        lines.append(i18n.tr("sync.update_available", lang, version=report.newest_version))
    if report.state == SyncState.PENDING_APPROVAL:
        lines.append(i18n.tr("sync.fingerprint", lang, fingerprint=report.fingerprint))
        return lines
    if report.snapshot:
        lines.append(
            i18n.tr(
                "sync.report.snapshot",
                lang,
                clients=report.snapshot_clients,
                rows=report.snapshot_rows,
                seq=report.snapshot,
            )
        )
    lines.append(
        i18n.tr(
            "sync.report.counts",
            lang,
            pushed=report.pushed,
            pulled=report.pulled,
            applied=report.applied,
        )
    )
    if report.conflicts:
        lines.append(i18n.tr("sync.report.conflicts", lang, n=report.conflicts))
    if report.quarantined:
        lines.append(i18n.tr("sync.report.quarantined", lang, n=report.quarantined))
    if report.tampered:
        lines.append(i18n.tr("sync.report.tampered", lang, n=report.tampered))
    if report.refused:
        lines.append(i18n.tr("sync.report.refused", lang, n=report.refused))
    lines.extend(trust_lines(report.trust_problems, lang))
    if report.key_problems:
        lines.append(i18n.tr("sync.report.key_problems", lang, n=report.key_problems))
    if report.server_restored:
        lines.append(i18n.tr("sync.report.server_restored", lang))
    if report.own_recovered:
        lines.append(i18n.tr("sync.report.own_recovered", lang, n=report.own_recovered))
    if report.caught_up:
        lines.append(
            i18n.tr("sync.report.caught_up", lang, n=report.kept_unsent, seq=report.caught_up)
        )
    if report.created_epoch:
        lines.append(i18n.tr("sync.report.new_epoch", lang, epoch=report.created_epoch))
    return lines
