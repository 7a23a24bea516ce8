"""The hybrid logical clock: monotonic, ordered by string, cautious with the future."""

from __future__ import annotations

import pytest

from sosku_desktop.store.hlc import (
    MAX_DRIFT_MS,
    ClockDriftError,
    HybridLogicalClock,
    Timestamp,
)


class FakeWall:
    """A settable wall clock (the clock under test is real; only time is chosen)."""

    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_ticks_increase_even_when_the_wall_clock_goes_back() -> None:
    wall = FakeWall(1_000_000)
    clock = HybridLogicalClock("dev-a", now=wall)
    first = clock.tick()
    wall.ms -= 60_000
    second = clock.tick()
    third = clock.tick()
    assert first < second < third
    assert first.encode() < second.encode() < third.encode()
    assert second.ms == first.ms and second.counter == 1


def test_receive_moves_forward_within_drift_and_refuses_the_far_future() -> None:
    wall = FakeWall(1_000_000)
    clock = HybridLogicalClock("dev-a", now=wall)
    remote = Timestamp(1_000_000 + 60_000, 7, "dev-b")
    merged = clock.receive(remote)
    assert merged > remote and merged.device == "dev-a"
    before = clock.last
    with pytest.raises(ClockDriftError):
        clock.receive(Timestamp(wall.ms + MAX_DRIFT_MS + 1, 0, "dev-c"))
    assert clock.last == before


def test_encoding_round_trips_and_orders_like_the_tuple() -> None:
    stamps = [
        Timestamp(5, 2, "b"),
        Timestamp(5, 2, "a"),
        Timestamp(5, 10, "a"),
        Timestamp(40, 0, "a"),
    ]
    assert sorted(stamps) == sorted(stamps, key=lambda t: t.encode())
    for stamp in stamps:
        assert Timestamp.decode(stamp.encode()) == stamp
    with pytest.raises(ValueError):
        Timestamp.decode("12-3-x")


def test_device_id_breaks_ties() -> None:
    assert Timestamp(1, 0, "a").encode() < Timestamp(1, 0, "b").encode()
