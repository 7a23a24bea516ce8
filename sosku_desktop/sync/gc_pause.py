"""Fewer garbage collections while a sync round runs.

A pulled page allocates some 100,000 small containers (the ops' maps from
msgpack, converted ops, rows, parameter tuples) that all live until the
page is written. With CPython's default thresholds that starts a young
collection every 700 allocations and, every hundred of those, a full one
over the whole heap: pulling 100,000 changes ran some 550 collections,
about a quarter of the pull's CPU, and nothing they looked at was garbage
yet. During a round the first threshold is raised (``ROUND_THRESHOLDS``),
so collections still run, a few times per 100,000 changes instead of
hundreds; the thresholds the process had are put back when the last
round running in the process ends (the app, tests and benchmarks may run
rounds of several laptops at once, in threads).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Thresholds while a round runs: a young collection every 50,000 allocations.
ROUND_THRESHOLDS = (50_000, 20, 20)


class _Rounds:
    """How many rounds run now, and the thresholds to restore after the last."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.saved: tuple[int, int, int] = gc.get_threshold()


_ROUNDS = _Rounds()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collection thresholds for the ``with`` block (never lowers them)."""
    with _ROUNDS.lock:
        if _ROUNDS.running == 0:
            _ROUNDS.saved = gc.get_threshold()
            if _ROUNDS.saved[0]:  # 0: the process turned collections off; leave it so
                raised = zip(ROUND_THRESHOLDS, _ROUNDS.saved, strict=True)
                gc.set_threshold(*(max(mine, kept) for mine, kept in raised))
        _ROUNDS.running += 1
    try:
        yield
    finally:
        with _ROUNDS.lock:
            _ROUNDS.running -= 1
            if _ROUNDS.running == 0:
                gc.set_threshold(*_ROUNDS.saved)
