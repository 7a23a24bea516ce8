"""Fewer collections during a sync round (``sync/gc_pause.py``): raised, then put back.

Rounds of several laptops may run at once in one process: the thresholds
the process had come back only when the last of them ends, whatever order
they end in, and also when a round fails.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from sosku_desktop.sync.gc_pause import ROUND_THRESHOLDS, fewer_collections


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield gc.get_threshold()
    gc.set_threshold(*before)


def test_raised_inside_and_put_back_after(thresholds: tuple[int, int, int]) -> None:
    with fewer_collections():
        assert gc.get_threshold() == ROUND_THRESHOLDS
    assert gc.get_threshold() == thresholds


def test_put_back_after_an_error(thresholds: tuple[int, int, int]) -> None:
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("round failed")
    assert gc.get_threshold() == thresholds


def test_overlapping_rounds_restore_only_after_the_last(thresholds: tuple[int, int, int]) -> None:
    """Round 1 starts, round 2 starts, round 1 ends, round 2 ends (in another thread)."""
    second_in, first_out, second_done = threading.Event(), threading.Event(), threading.Event()
    seen: list[tuple[int, int, int]] = []

    def second() -> None:
        with fewer_collections():
            second_in.set()
            first_out.wait(10)
            seen.append(gc.get_threshold())
        second_done.set()

    with fewer_collections():
        thread = threading.Thread(target=second)
        thread.start()
        assert second_in.wait(10)
    first_out.set()
    thread.join(10)
    assert second_done.is_set()
    assert seen == [ROUND_THRESHOLDS]
    assert gc.get_threshold() == thresholds


def test_never_lowers_higher_thresholds_nor_turns_collection_back_on() -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(100_000, 5, 50)
        with fewer_collections():
            assert gc.get_threshold() == (100_000, max(5, ROUND_THRESHOLDS[1]), 50)
        assert gc.get_threshold() == (100_000, 5, 50)
        gc.set_threshold(0, 10, 10)
        with fewer_collections():
            assert gc.get_threshold() == (0, 10, 10)
    finally:
        gc.set_threshold(*before)
