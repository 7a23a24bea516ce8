"""Schema migrations with Alembic, on the live encrypted connection.

Every release must open a database made by every earlier release: the
ladder is in ``migrations/versions`` and tests keep a sample database per
schema version. A database whose revision we do not know was made by a
newer release and is refused with a clear message instead of touched.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from sosku_desktop.store.errors import NewerSchemaError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(_config())
    return {rev.revision for rev in script.walk_revisions()}


def needs_upgrade(connection: Connection) -> bool:
    """True when migrations must run; raises for a database from a newer release."""
    current = current_revision(connection)
    if current is not None and current not in known_revisions():
        raise NewerSchemaError("database made by a newer version", revision=current)
    return current != head_revision()


def upgrade(connection: Connection) -> None:
    """Bring the schema to head inside the caller's transaction."""
    command.upgrade(_config(connection), "head")
