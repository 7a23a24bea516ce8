"""First run: a new encrypted data directory with its first worker signed in.

Shared by the first-run dialog, ``sosku init`` and the smoke test, so a data
directory made by any of them is the same: the store, one worker, and that
worker set as this device's user (who stamps the audit rows).
"""

from __future__ import annotations

from pathlib import Path

from sosku_desktop.domain import models
from sosku_desktop.domain.validation import worker_problems
from sosku_desktop.operations import raise_problems
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id


def create_data_directory(data_dir: Path, passphrase: str, name: str, role: str) -> Store:
    """Create the store in ``data_dir`` with ``name`` as its worker; raises ``ValidationError``."""
    worker = models.Worker(id=new_id(), name=name.strip(), role=role)
    raise_problems(worker_problems(worker))
    store = Store.create(data_dir, passphrase)
    try:
        with store.write() as w:
            w.add(worker)
        store.set_current_worker(worker.id)
    except BaseException:
        store.close()
        raise
    return store
