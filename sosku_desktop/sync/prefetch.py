"""Fetch pulled pages ahead in a thread of their own, and hand them over in order.

A page's request needs only the previous page's end (the relay's ``next``),
not its content; so the next request goes out as soon as a page arrives
and the relay serves it while the laptop opens and applies the earlier
ones. At most ``PREFETCH`` pages wait (memory stays bounded: a page is at
most 1 MiB of ciphertext). Failures (offline, a relay error) are handed
over in order too, after the pages fetched before them, so a round applies
everything it got before it reports the error.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from types import TracebackType
from typing import Any

#: Pages fetched but not yet taken.
PREFETCH = 2

_Page = tuple[dict[str, Any], list[Any]]
_Opened = tuple[dict[str, Any], list[Any], "Future[Any]"]


class Prefetch:
    """``next()`` gives (page, its bundles, a future of the opened bundles), in page order.

    ``fetch(cursor, ack)`` gets one page; ``start_open(bundles)`` starts
    turning its bundles into whatever the caller needs, in the caller's
    threads, and gives the future of that (so opening page n+1 overlaps
    applying page n). Only the first request carries ``ack`` (the caller's
    cursor is committed; a page fetched ahead may never be applied).
    ``page_end(page, bundles, cursor)`` is where the next page starts; the
    fetching stops after a page that says no ``more`` or does not move on.
    """

    def __init__(
        self,
        fetch: Callable[[int, bool], _Page],
        start_open: Callable[[list[Any]], Future[Any]],
        cursor: int,
        page_end: Callable[[dict[str, Any], list[Any], int], int],
    ) -> None:
        self._fetch = fetch
        self._page_end = page_end
        self._start_open = start_open
        self._ready: queue.Queue[_Opened | BaseException | None] = queue.Queue(PREFETCH)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(cursor,), name="sosku-pull-fetch", daemon=True
        )

    def __enter__(self) -> Prefetch:
        self._thread.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        while self._thread.is_alive():
            with contextlib.suppress(queue.Empty):  # a fetch blocked on a full queue
                self._ready.get(timeout=0.05)
        self._thread.join()

    def next(self) -> _Opened:
        """The next page; raises what its fetch raised."""
        item = self._ready.get()
        if item is None:
            raise RuntimeError("no page after the last one")
        if isinstance(item, BaseException):
            raise item
        return item

    def _run(self, cursor: int) -> None:
        ack = True
        try:
            while not self._stop.is_set():
                page, served = self._fetch(cursor, ack)
                ack = False
                if not self._put((page, served, self._start_open(served))):
                    return
                following = self._page_end(page, served, cursor)
                if not page.get("more") or following <= cursor:
                    self._put(None)
                    return
                cursor = following
        except BaseException as exc:  # handed to the round's thread, in order
            self._put(exc)

    def _put(self, item: _Opened | BaseException | None) -> bool:
        while not self._stop.is_set():
            try:
                self._ready.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False
