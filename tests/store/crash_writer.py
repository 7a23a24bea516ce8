"""Helper process for the crash test: writes forever, printing each acknowledged id."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

from sosku_desktop.domain.models import Client, Meeting, Period
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id


def main() -> None:
    store = Store.open(Path(sys.argv[1]), sys.argv[2], take_backup=False)
    while True:
        with store.write() as w:
            client = w.add(Client(id=new_id(), first_name="Kaatuva", last_name="Testi"))
            period = w.add(
                Period(
                    id=new_id(),
                    client_id=client.id,
                    worker_id=None,
                    start=date(2024, 1, 4),
                    planned_end=date(2025, 1, 3),
                )
            )
            for hour in range(8, 16):
                w.add(
                    Meeting(id=new_id(), period_id=period.id, starts_at=datetime(2024, 1, 4, hour))
                )
        print(client.id, flush=True)


if __name__ == "__main__":
    main()
