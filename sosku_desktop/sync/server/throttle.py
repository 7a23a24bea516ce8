"""Throttling of wrong join codes, per client address and per team.

A join code is short enough to type, so it must not be guessable by
trying: after ``limit`` wrong codes within ``window_s`` seconds, further
join attempts from that address (or for that team, from anywhere) get
``429`` until the oldest failure leaves the window. Only failures count,
so a whole team enrolling from one office network at a training session
is not slowed down.

The counts live in the relay process; with several relay processes each
keeps its own, which multiplies the allowance by their number but keeps
it bounded.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

#: Most keys remembered per throttle; the stalest are forgotten beyond it.
MAX_KEYS = 50_000


class Throttle:
    """Failures per key in a sliding window."""

    def __init__(
        self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float] | None:
        times = self._failures.get(key)
        if times is None:
            return None
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if not times:
            del self._failures[key]
            return None
        return times

    def retry_after(self, key: str) -> int:
        """Seconds until ``key`` may try again; 0 when it may now."""
        now = self.clock()
        times = self._recent(key, now)
        if self.limit <= 0 or times is None or len(times) < self.limit:
            return 0
        return max(1, int(times[0] + self.window_s - now + 0.999))

    def failed(self, key: str) -> None:
        now = self.clock()
        times = self._recent(key, now)
        if times is None:
            if len(self._failures) >= MAX_KEYS:
                del self._failures[next(iter(self._failures))]
            times = self._failures[key] = deque(maxlen=max(self.limit, 1))
        times.append(now)


@dataclass
class JoinThrottle:
    """The two throttles a join attempt passes: its client address and its team."""

    per_address: Throttle
    per_team: Throttle

    @classmethod
    def create(cls, per_address: int, per_team: int, window_s: float) -> JoinThrottle:
        return cls(Throttle(per_address, window_s), Throttle(per_team, window_s))

    def retry_after(self, address: str, team: str | None) -> int:
        wait = self.per_address.retry_after(address)
        if team:
            wait = max(wait, self.per_team.retry_after(team))
        return wait

    def failed(self, address: str, team: str | None) -> None:
        self.per_address.failed(address)
        if team:
            self.per_team.failed(team)
