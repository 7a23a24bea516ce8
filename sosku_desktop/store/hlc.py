"""A persisted hybrid logical clock (HLC).

A timestamp is wall-clock milliseconds (48 bits), a counter and the device
id as tie-break, encoded as a fixed-width string so that plain string
comparison orders timestamps: ``"0001704362400000-00000-<device>"``. The
clock never goes backwards even when the wall clock does, and remote
timestamps move it forward only when they are within the allowed drift;
a bundle from too far in the future is quarantined by the caller instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

MS_WIDTH = 16
COUNTER_WIDTH = 5
MAX_COUNTER = 10**COUNTER_WIDTH - 1
#: Remote clocks further ahead of our wall clock than this are not trusted (≈ 5 min).
MAX_DRIFT_MS = 5 * 60 * 1000


@dataclass(frozen=True, order=True)
class Timestamp:
    """One HLC reading; orders by (ms, counter, device)."""

    ms: int
    counter: int
    device: str

    def encode(self) -> str:
        return f"{self.ms:0{MS_WIDTH}d}-{self.counter:0{COUNTER_WIDTH}d}-{self.device}"

    @classmethod
    def decode(cls, text: str) -> Timestamp:
        ms, counter, device = text.split("-", 2)
        if len(ms) != MS_WIDTH or len(counter) != COUNTER_WIDTH or not device:
            raise ValueError("malformed HLC timestamp")
        return cls(int(ms), int(counter), device)


class ClockDriftError(ValueError):
    """A remote timestamp is further in the future than ``MAX_DRIFT_MS``."""


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


class HybridLogicalClock:
    """The clock of one device; ``state`` is what must be persisted."""

    def __init__(
        self, device: str, last: Timestamp | None = None, now: Callable[[], int] = wall_ms
    ) -> None:
        self.device = device
        self.now = now
        self.last = last or Timestamp(0, 0, device)

    def tick(self) -> Timestamp:
        """Timestamp for a local event."""
        wall = self.now()
        if wall > self.last.ms:
            self.last = Timestamp(wall, 0, self.device)
        else:
            self._bump(self.last.ms)
        return self.last

    def receive(self, remote: Timestamp) -> Timestamp:
        """Merge a remote timestamp (only forward, and only within the drift limit)."""
        wall = self.now()
        if remote.ms - wall > MAX_DRIFT_MS:
            raise ClockDriftError("remote clock too far ahead")
        top = max(wall, self.last.ms, remote.ms)
        if top == self.last.ms == remote.ms:
            self._bump(top, max(self.last.counter, remote.counter))
        elif top == self.last.ms:
            self._bump(top)
        elif top == remote.ms:
            self._bump(top, remote.counter)
        else:
            self.last = Timestamp(top, 0, self.device)
        return self.last

    def _bump(self, ms: int, counter: int | None = None) -> None:
        base = self.last.counter if counter is None else counter
        if base >= MAX_COUNTER:
            self.last = Timestamp(ms + 1, 0, self.device)
        else:
            self.last = Timestamp(ms, base + 1, self.device)
