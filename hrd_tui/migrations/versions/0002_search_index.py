"""Full-text search index (FTS5, trigram) inside the encrypted database.

One contentless FTS5 table per kind of record (``search_contact``,
``search_case`` ...), so filtering one list never scans the others, and a map
``search_map`` giving each indexed record its rowid and a short *key* (names,
codenames, organisations, titles) that one- and two-character terms are
matched against, since trigrams need three. The text is normalised by
hrd_tui.services.search (case-folded, accents stripped), so ``jose`` finds
``José``; trigrams match inside words, which CJK text needs. Maintained by the
session hook, rebuilt after every migration.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 14:00:00
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

KINDS = ("contact", "case", "interaction", "trial", "trial_note", "observation")


def upgrade() -> None:
    op.execute(
        "CREATE TABLE search_map (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT NOT NULL, "
        "key TEXT NOT NULL DEFAULT '', CONSTRAINT uq_search_map_kind_ref UNIQUE (kind, ref))"
    )
    for kind in KINDS:
        op.execute(
            f"CREATE VIRTUAL TABLE search_{kind} USING fts5("
            "text, tokenize = 'trigram', content = '', contentless_delete = 1)"
        )


def downgrade() -> None:
    for kind in KINDS:
        op.execute(f"DROP TABLE search_{kind}")
    op.execute("DROP TABLE search_map")
