"""The start-up backups' rotation: bounded bytes, spread over days and weeks.

QA: every start after a change copied the whole database (527 MB at 12,000
clients) and seven were kept (≈ 3.7 GB), all of them possibly from one
day. The rotation keeps the newest two, the newest of each of the three
previous days, then one a week, within seven copies and three times the
database's size (or 256 MB, for a small database). Checked on the rule
and on real files in a data folder.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sosku_desktop.store import backup
from sosku_desktop.store.engine import DB_FILE

MONDAY = datetime(2026, 11, 30, 17, 0)  # ISO week 49


def starts(days: int, per_day: int) -> list[datetime]:
    """Copies of ``per_day`` starts on each of ``days`` days, newest first."""
    return [MONDAY - timedelta(days=d, hours=h) for d in range(days) for h in range(per_day)]


def kept_times(times: list[datetime], size: int, live: int) -> list[datetime]:
    stays = backup.rotation([(t, size) for t in times], live)
    return [t for t, keep in zip(times, stays, strict=True) if keep]


def test_many_starts_a_day_still_leave_copies_of_earlier_days_and_weeks() -> None:
    kept = kept_times(starts(10, 5), size=10, live=100)
    assert [(t.day, t.hour) for t in kept] == [
        (30, 17), (30, 16),  # the newest two
        (29, 17), (28, 17), (27, 17),  # the newest of each of three earlier days
        (22, 17),  # then the newest of an earlier week (Nov 23-26 are week 48, kept already)
    ]  # fmt: skip


def test_a_large_database_keeps_fewer_copies_within_three_times_its_size() -> None:
    size = 527_000_000  # 12,000 clients
    kept = kept_times(starts(10, 1), size=size, live=size)
    assert len(kept) == 3 and len(kept) * size <= backup.BUDGET_FACTOR * size
    middle = kept_times(starts(60, 1), size=120_000_000, live=120_000_000)
    assert len(middle) == 3  # 360 MB: three times the size caps it
    small = kept_times(starts(60, 1), size=20_000_000, live=20_000_000)
    assert len(small) == backup.KEEP  # 140 MB: under the floor, the count caps it
    assert (small[0] - small[-1]).days > 14  # and the copies reach weeks back


def test_the_newest_two_stay_even_beyond_the_budget() -> None:
    kept = kept_times(starts(5, 1), size=300_000_000, live=1_000)  # the database shrank
    assert len(kept) == backup.MIN_KEEP


def test_pruning_a_real_backup_folder(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    folder = backup.backup_folder(data_dir)
    folder.mkdir(parents=True)
    (data_dir / DB_FILE).write_bytes(b"d" * 1_000)
    times = starts(10, 3)
    for when in times:
        (folder / f"sosku-{when.strftime('%Y%m%d-%H%M%S-%f')}.db").write_bytes(b"c" * 300)
    (folder / "notes.txt").write_text("not a backup")
    backup._prune(data_dir, backup.KEEP)
    left = backup.list_backups(data_dir)
    assert [backup.taken_at(p) for p in left] == kept_times(times, size=300, live=1_000)
    assert 2 <= len(left) <= backup.KEEP
    assert sum(p.stat().st_size for p in left) <= backup.BUDGET_FACTOR * 1_000
    assert (folder / "notes.txt").exists()
