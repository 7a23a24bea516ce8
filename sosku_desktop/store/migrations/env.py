"""Alembic environment: always runs on the live encrypted connection.

The key never appears in alembic.ini; ``store.migrate`` passes an open,
keyed connection through ``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context

from sosku_desktop.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run only through sosku_desktop.store.migrate")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    compare_type=True,
)
context.run_migrations()
