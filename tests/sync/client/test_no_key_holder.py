"""A lost team's last laptop: the new one is not told to wait for a colleague who does not exist.

QA (IT, a lost laptop): a one-worker team's laptop is lost and revoked as the
guide says; the worker's new laptop joins and is approved. Its sync said
"waiting for another team device to share the encryption key – that happens
when another device syncs" on every round, for ever: no active device holds
the earlier keys. The state now says so, and that the administrator must be
asked. Real relay process, real encrypted stores.
"""

from __future__ import annotations

import json
from pathlib import Path

from sosku_desktop import i18n
from sosku_desktop.domain.models import Client
from sosku_desktop.store.writer import new_id
from sosku_desktop.sync.client import SyncState
from sosku_desktop.sync.messages import report_text
from tests.sync.client.helpers import TeamRelay, admin


def test_the_new_laptop_of_a_team_whose_key_holders_are_gone_is_told_so(
    team: TeamRelay, tmp_path: Path
) -> None:
    lost = team.laptop(tmp_path, "kadonnut")
    with lost.store.write() as w:
        w.add(Client(id=new_id(), first_name="Vanha", last_name="Kirjaus"))
    lost.sync()
    team.revoke(lost.store.device_id)

    new = team.laptop(tmp_path, "uusi")
    report = new.sync()
    assert report.state == SyncState.NO_KEY_HOLDER
    for lang in ("fi", "sv", "en"):
        assert report_text(report, lang)[0] == i18n.tr("sync.state.no_key_holder", lang)
        assert "sync.state" not in report_text(report, lang)[0]


def test_a_colleague_who_still_holds_the_key_is_worth_waiting_for(
    team: TeamRelay, tmp_path: Path
) -> None:
    first = team.laptop(tmp_path, "eka")
    with first.store.write() as w:
        w.add(Client(id=new_id(), first_name="Jaettu", last_name="Kirjaus"))
    first.sync()
    second = team.laptop(tmp_path, "toka")
    assert second.sync().state == SyncState.WAITING_FOR_KEYS
    first.sync()  # shares the key
    assert second.sync().state in (SyncState.UP_TO_DATE, SyncState.CHANGES_WAITING)


def test_the_relays_status_tells_it_which_stored_bundles_no_laptop_can_read(
    team: TeamRelay, tmp_path: Path
) -> None:
    """IT's view of the same: `sosku-server status` named no reason the data was lost."""
    lost = team.laptop(tmp_path, "kadonnut")
    with lost.store.write() as w:
        w.add(Client(id=new_id(), first_name="Vanha", last_name="Kirjaus"))
    lost.sync()
    assert json.loads(admin_status(team))["unreadable"] == {}
    team.revoke(lost.store.device_id)
    new = team.laptop(tmp_path, "uusi")
    new.sync()
    state = json.loads(admin_status(team))
    assert state["unreadable"] and sum(state["unreadable"].values()) >= 1
    text = admin(team.server.db_url, "status", "--team", team.team_id)
    assert "No active laptop holds key epoch" in text


def admin_status(team: TeamRelay) -> str:
    return admin(team.server.db_url, "--json", "status", "--team", team.team_id)
