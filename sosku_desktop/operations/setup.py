"""First run: a new encrypted data directory with its first worker signed in; a new passphrase.

Shared by the first-run dialog, ``sosku init`` and the smoke test, so a data
directory made by any of them is the same: the store, one worker, and that
worker set as this device's user (who stamps the audit rows). Settings ›
Passphrase and ``sosku passphrase`` change the passphrase the same way.
"""

from __future__ import annotations

from pathlib import Path

from sosku_desktop.domain import models
from sosku_desktop.domain.errors import Problem
from sosku_desktop.domain.passphrase import passphrase_problem
from sosku_desktop.domain.validation import worker_problems
from sosku_desktop.operations import raise_problems
from sosku_desktop.store import keys
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


#: Why a passphrase change was refused (fields ``current``, ``new``, ``repeat``).
WRONG_CURRENT = "passphrase.wrong_current"
REPEAT_DIFFERS = "passphrase.repeat_differs"
SAME_AS_CURRENT = "passphrase.same_as_current"


def change_passphrase(data_dir: Path, current: str, new: str, repeat: str) -> None:
    """Wrap this folder's database key under ``new``; raises ``ValidationError``.

    Only ``key.json`` changes: the database key stays, so the keyring entry,
    the backups and the team's sync keep working. The new passphrase is held
    to the first run's rule; the current one must unwrap the key.
    """
    problems: list[Problem] = []
    if not keys.check_passphrase(data_dir, current):
        problems.append(Problem("current", WRONG_CURRENT))
    weak = passphrase_problem(new)
    if weak is not None:
        problems.append(Problem("new", weak))
    elif new == current:
        problems.append(Problem("new", SAME_AS_CURRENT))
    elif repeat != new:
        problems.append(Problem("repeat", REPEAT_DIFFERS))
    raise_problems(problems)
    keys.change_passphrase(data_dir, current, new)
