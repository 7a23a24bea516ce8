"""server_seq stays gap-free and ordered under concurrent pushes, across instances."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sosku_desktop.sync.transport import SyncTransport
from tests.sync.server.helpers import Device, ServerProcess, Team

DEVICES = 4
BATCHES = 12
PER_BATCH = 3


@pytest.fixture
def second_instance(server: ServerProcess, tmp_path: Path) -> Iterator[ServerProcess]:
    """Another server process on the same database, as behind a load balancer."""
    other = ServerProcess(server.db_url, tmp_path / "second.log").start()
    try:
        yield other
    finally:
        other.stop()


def test_concurrent_pushes_get_gap_free_server_seqs(
    team: Team, second_instance: ServerProcess
) -> None:
    devices = [team.enrol(f"laptop {i}") for i in range(DEVICES)]
    team.new_epoch(by=devices[0])
    for device in devices[1:]:
        team.share_keys(by=devices[0], to=device)
        device.refresh_keys(team.sign_keys())
    # Half of the devices talk to the second instance.
    for device in devices[1::2]:
        device.transport.close()
        device.transport = SyncTransport(
            second_instance.url, team.team_id, device.device_id, device.keys, timeout=60
        )
    acks: dict[str, list[int]] = {d.device_id: [] for d in devices}
    errors: list[BaseException] = []
    start = threading.Barrier(DEVICES + 1)
    stop_reading = threading.Event()
    observed: list[list[int]] = []

    def writer(device: Device) -> None:
        try:
            start.wait()
            for _ in range(BATCHES):
                batch = [device.bundle() for _ in range(PER_BATCH)]
                result = device.transport.push(batch)
                acks[device.device_id].extend(r["server_seq"] for r in result["results"])
        except BaseException as exc:
            errors.append(exc)

    def reader() -> None:
        with team.transport(devices[0].device_id, devices[0].keys) as transport:
            start.wait()
            while not stop_reading.is_set():
                observed.append([b["server_seq"] for b in transport.pull(limit=1000)["bundles"]])

    threads = [threading.Thread(target=writer, args=(d,)) for d in devices]
    reading = threading.Thread(target=reader)
    for thread in [*threads, reading]:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    stop_reading.set()
    reading.join(timeout=60)
    assert not errors, errors

    total = DEVICES * BATCHES * PER_BATCH
    every = sorted(seq for seqs in acks.values() for seq in seqs)
    assert every == list(range(1, total + 1))
    for seqs in acks.values():
        assert seqs == sorted(seqs)  # a device's later pushes get later seqs
    # A reader never saw a gap, even while writers were committing.
    for snapshot in observed:
        assert snapshot == list(range(1, len(snapshot) + 1))
    pulled = devices[1].transport.pull(limit=1000)["bundles"]
    assert [b["server_seq"] for b in pulled] == list(range(1, total + 1))
    for device in devices:
        mine = [b["device_seq"] for b in pulled if b["device_id"] == device.device_id]
        assert mine == list(range(1, BATCHES * PER_BATCH + 1))


def test_concurrent_resends_of_one_batch_store_it_once(
    team: Team, second_instance: ServerProcess
) -> None:
    device = team.enrol()
    team.new_epoch(by=device)
    batch = [device.bundle() for _ in range(5)]
    results: list[list[int]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def resend(url: str) -> None:
        try:
            with SyncTransport(url, team.team_id, device.device_id, device.keys) as transport:
                start.wait()
                results.append([r["server_seq"] for r in transport.push(batch)["results"]])
        except BaseException as exc:
            errors.append(exc)

    urls = [team.server.url, second_instance.url] * 3
    threads = [threading.Thread(target=resend, args=(url,)) for url in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert results == [[1, 2, 3, 4, 5]] * 6
    assert device.transport.status()["head_seq"] == 5
