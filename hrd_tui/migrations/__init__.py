"""Schema migrations (Alembic), run on the unlocked connection when a vault opens.

``hrd_tui.vault`` calls :func:`upgrade` after taking an encrypted backup; a
vault from a *newer* hrd-tui is refused rather than guessed at. A new vault is
made at head in one pass (:func:`create_head`) instead: walking the whole chain
rebuilt tables that were still empty, at ~50 ms for each ALTER TABLE ... RENAME,
and a new vault took twice as long with every revision that rebuilt one.
"""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

#: The search index (0002): the one part of the schema the models do not describe,
#: written as the head revision leaves it. tests/unit/test_migrations.py compares a
#: new vault's whole schema with a migrated one's, so a revision that changes the
#: index changes this too or fails there.
SEARCH_KINDS = ("contact", "case", "interaction", "trial", "trial_note", "observation")
SEARCH_DDL = (
    "CREATE TABLE search_map (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT NOT NULL, "
    "key TEXT NOT NULL DEFAULT '', CONSTRAINT uq_search_map_kind_ref UNIQUE (kind, ref))",
    *(
        f"CREATE VIRTUAL TABLE search_{kind} USING fts5(text, tokenize = 'trigram', content = '', contentless_delete = 1)"
        for kind in SEARCH_KINDS
    ),
)


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Leave the search index (FTS5 tables, their shadow tables, the rowid map) out of model comparisons."""
    return not (type_ == "table" and name is not None and name.startswith("search_"))


def _config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("hrd_tui.migrations")))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def all_revisions() -> list[str]:
    """Oldest first."""
    script = ScriptDirectory.from_config(_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, target: str = "head") -> None:
    command.upgrade(_config(connection), target)


def create_head(connection: Connection) -> None:
    """Make an empty database's schema at head in one pass: the models' tables, the
    search index, and the revision stamped, as the whole chain would leave them."""
    from hrd_tui.models import metadata  # the models load with the first vault, not with the CLI's parser

    if current_revision(connection) is not None:
        raise ValueError("create_head is for an empty database; a vault with a revision is upgraded")
    metadata.create_all(connection)
    for ddl in SEARCH_DDL:
        connection.exec_driver_sql(ddl)
    command.stamp(_config(connection), "head")
