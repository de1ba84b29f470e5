"""Alembic environment: always run on the connection hrd-tui hands over.

There is no URL and no alembic.ini: a vault can only be opened with its key,
so migrations run inside the app (hrd_tui.migrations.upgrade) on the already
unlocked, hardened connection.
"""

from alembic import context

from hrd_tui.migrations import include_object
from hrd_tui.models import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
