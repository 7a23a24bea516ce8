"""Which thread touches the store: the guard that keeps page loading off the UI thread.

A page that reads the store on the UI thread freezes the window for as long
as the read takes, and with ten years of a team's caseload that is seconds.
Pages therefore load through the background-task helper (``ui/shell/tasks.py``),
which marks its work with ``background()``. ``Store.read`` and
``Store.write`` call ``check()``; when a ``watcher`` is installed (the
UI-thread guard test does) it is told of every store access made on the
main thread outside such work. Without a watcher ``check`` costs one
attribute look-up. Qt-free on purpose: the store must not import Qt.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_local = threading.local()

#: Called with "read" or "write" for a store access on the main thread outside
#: background work; ``None`` (the default) watches nothing.
watcher: Callable[[str], None] | None = None


@contextmanager
def background() -> Iterator[None]:
    """Mark the current thread as doing background work (tasks in synchronous mode)."""
    _local.depth = getattr(_local, "depth", 0) + 1
    try:
        yield
    finally:
        _local.depth -= 1


def check(kind: str) -> None:
    """Report ``kind`` to the watcher if the store is touched from the UI thread."""
    watch = watcher
    depth: int = getattr(_local, "depth", 0)
    if watch is None or depth:
        return
    if threading.current_thread() is threading.main_thread():
        watch(kind)
