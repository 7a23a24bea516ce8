"""Client search: accents and case do not matter, and the database does the matching."""

from __future__ import annotations

import sqlalchemy as sa

from sosku_desktop.domain.models import Client
from sosku_desktop.store.database import Store
from sosku_desktop.store.schema import client_search
from sosku_desktop.store.search import EMPTY_KEY, fold, stored_sort_key
from sosku_desktop.store.writer import new_id


def _names(store: Store, text: str) -> list[str]:
    with store.read() as r:
        return [c.last_name for c in r.search_clients(text)]


def _add(store: Store, first: str, last: str, **more: str) -> Client:
    with store.write() as w:
        return w.add(Client(id=new_id(), first_name=first, last_name=last, **more))


def test_fold_drops_accents_and_case() -> None:
    assert fold("Järvinen") == "jarvinen"
    assert fold("MÄKELÄ") == "makela"
    assert fold("Åberg Öhman") == "aberg ohman"
    assert fold("") == ""


def test_search_ignores_accents_and_case(store: Store) -> None:
    _add(store, "Antti", "Järvinen", identity_code="240996-9494", phone="040 246 8101")
    _add(store, "Tiina", "Mäkelä")
    _add(store, "Pekka", "Makkonen")
    assert _names(store, "jarvinen") == ["Järvinen"]
    assert _names(store, "JÄRVINEN") == ["Järvinen"]
    assert _names(store, "makela") == ["Mäkelä"]
    assert _names(store, "mak") == ["Makkonen", "Mäkelä"]
    assert _names(store, "tiina MÄK") == ["Mäkelä"]
    # identity code and phone, with or without separators
    assert _names(store, "2409969494") == ["Järvinen"]
    assert _names(store, "0402468101") == ["Järvinen"]
    assert _names(store, "zzz") == []
    # LIKE's wildcards are plain characters here
    assert _names(store, "%") == []
    assert _names(store, "_") == []


def test_search_follows_edits_and_deletes(store: Store) -> None:
    client = _add(store, "Aino", "Korhonen")
    with store.write() as w:
        w.update(Client(**{**client.__dict__, "last_name": "Öhman"}))
    assert _names(store, "korhonen") == []
    assert _names(store, "ohman") == ["Öhman"]
    with store.write() as w:
        w.delete(Client, client.id)
    assert _names(store, "ohman") == []


def test_search_limit_and_order(store: Store) -> None:
    for last in ("Salo", "Aalto", "Niemi"):
        _add(store, "Sama", last)
    assert _names(store, "sama") == ["Aalto", "Niemi", "Salo"]
    with store.read() as r:
        assert [c.last_name for c in r.search_clients("sama", limit=2)] == ["Aalto", "Niemi"]
        rows = r.conn.execute(sa.select(sa.func.count()).select_from(client_search)).scalar()
    assert rows == 3


def _sort_keys(store: Store) -> dict[str, tuple[str, str]]:
    with store.read() as r:
        search = client_search.c
        query = sa.select(search.client_id, search.sort_last, search.sort_first)
        return {row[0]: (row[1], row[2]) for row in r.conn.execute(query)}


def test_the_names_sort_keys_are_stored_and_follow_edits(store: Store) -> None:
    """The Clients list sorts by these (``client_list``): names' Finnish keys, empty last."""
    aino = _add(store, "Aino", "Äijälä")
    nameless = _add(store, "", "Åberg")
    assert _sort_keys(store) == {
        aino.id: ("0" + "|ij|l|", "0aino"),
        nameless.id: ("0{berg", EMPTY_KEY),
    }
    with store.write() as w:
        w.update(Client(**{**aino.__dict__, "last_name": "", "first_name": "Élise"}))
    assert _sort_keys(store)[aino.id] == (EMPTY_KEY, "0elise")
    assert stored_sort_key("Élise") == "0elise" and stored_sort_key("") == EMPTY_KEY
    # every name sorts before every empty one, and names keep their Finnish order
    keys = [stored_sort_key(n) for n in ("aalto", "Zetterberg", "Åberg", "Öhman", "", None)]
    assert keys == sorted(keys)


def test_a_phone_number_is_found_in_national_and_international_form(store: Store) -> None:
    """A number copied from a phone's contacts ('+358 40 246 8101') found no one stored
    as '040 246 8101' (and the other way round)."""
    _add(store, "Antti", "Järvinen", phone="040 246 8101")
    _add(store, "Tiina", "Mäkelä", phone="+358 50 135 7911")
    assert _names(store, "+358 40 246 8101") == ["Järvinen"]
    assert _names(store, "+358402468101") == ["Järvinen"]
    assert _names(store, "050 135 7911") == ["Mäkelä"]
    assert _names(store, "0501357911") == ["Mäkelä"]
    assert _names(store, "+358 40 999") == []
