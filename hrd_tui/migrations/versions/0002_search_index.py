"""Full-text search index (FTS5, trigram) inside the encrypted database.

The index holds text normalised by hrd_tui.services.search (case-folded,
accents stripped), so ``jose`` finds ``José``; the trigram tokenizer matches
inside words, which is what CJK text (no spaces between words) needs. The
index is maintained by the session hook, and rebuilt after every migration.
``search_map`` gives each indexed record a rowid, so an edit or a delete
touches one index row by rowid instead of scanning the FTS table.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 14:00:00
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE TABLE search_map (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT NOT NULL, "
        "CONSTRAINT uq_search_map_kind_ref UNIQUE (kind, ref))"
    )
    op.execute("CREATE VIRTUAL TABLE search_index USING fts5(text, tokenize = 'trigram')")


def downgrade() -> None:
    op.execute("DROP TABLE search_index")
    op.execute("DROP TABLE search_map")
