"""The pull's page pipeline (``sync/prefetch.py``): order, errors in order, early stop.

Pages come from a plain function here (the relay itself is exercised by
tests/sync/client); what is under test is the hand-over between threads.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import pytest

from sosku_desktop.sync.prefetch import PREFETCH, Prefetch


def _end(page: dict[str, Any], served: list[Any], cursor: int) -> int:
    return int(page["next"])


def _pages(last: int, fail_at: int | None = None) -> tuple[list[tuple[int, bool]], Any]:
    """A relay of pages of 10 from 0 to ``last``; records (cursor, ack) of every request."""
    asked: list[tuple[int, bool]] = []

    def fetch(cursor: int, ack: bool) -> tuple[dict[str, Any], list[Any]]:
        asked.append((cursor, ack))
        if fail_at is not None and cursor >= fail_at:
            raise ConnectionError("offline")
        upto = min(cursor + 10, last)
        served = [{"server_seq": s} for s in range(cursor + 1, upto + 1)]
        return {"next": upto, "more": upto < last}, served

    return asked, fetch


def _opened(served: list[Any]) -> list[int]:
    return [w["server_seq"] for w in served]


def test_pages_arrive_in_order_opened_and_only_the_first_request_acks() -> None:
    asked, fetch = _pages(45)
    with (
        ThreadPoolExecutor(1) as opener,
        Prefetch(fetch, partial(opener.submit, _opened), 0, _end) as pages,
    ):
        seen = []
        while True:
            page, _served, opened = pages.next()
            seen.extend(opened.result())
            if not page["more"]:
                break
    assert seen == list(range(1, 46))
    assert asked == [(0, True), (10, False), (20, False), (30, False), (40, False)]


def test_a_failed_fetch_comes_after_the_pages_before_it() -> None:
    _, fetch = _pages(100, fail_at=20)
    with (
        ThreadPoolExecutor(1) as opener,
        Prefetch(fetch, partial(opener.submit, _opened), 0, _end) as pages,
    ):
        assert pages.next()[0]["next"] == 10
        assert pages.next()[0]["next"] == 20
        with pytest.raises(ConnectionError):
            pages.next()


def test_leaving_early_stops_the_fetching_without_waiting_for_the_rest() -> None:
    asked, fetch = _pages(10_000)
    with (
        ThreadPoolExecutor(1) as opener,
        Prefetch(fetch, partial(opener.submit, _opened), 0, _end) as pages,
    ):
        pages.next()
        # The fetch thread fills the queue and waits; it never runs to the end.
        while len(asked) < PREFETCH + 1:
            threading.Event().wait(0.01)
    assert len(asked) <= PREFETCH + 2
    assert not [t for t in threading.enumerate() if t.name == "sosku-pull-fetch"]
