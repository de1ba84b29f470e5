"""Evidence files (issue 20): what was taken in, and its bytes in encrypted chunks.

An attachment's contents live inside the SQLCipher database, in ``attachment_chunk``
rows of at most ``CHUNK_SIZE`` bytes: under the vault's key and page HMACs like every
other record, so backups, rekeys, the integrity check and the emergency wipe cover them
with no code of their own, and a half-added file is rolled back with its transaction.

The chunk table is a plain Table, not a mapped model, on purpose: the service that
deletes a record through the session (services.base.delete) walks mapped foreign keys
and would load every chunk, and the history hooks would copy each one into a
tombstone. The database's own ON DELETE CASCADE removes them instead, and with
secure_delete their pages are overwritten.

The chain-of-custody columns (name, size, type, SHA-256, when, note, metadata found)
are set once at intake and never changed: a replacement is a new attachment. A deleted
one keeps its row (``deleted_at``, with the hash) until a purge removes it for good.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DDL, JSON, CheckConstraint, Column, ForeignKey, Index, Integer, LargeBinary, String, Table, event
from sqlalchemy.sql.elements import conv
from sqlmodel import Field, SQLModel

from hrd_tui.models.common import Record, fk, table_of

#: Bytes per chunk row: large enough that 200 MiB is 200 inserts, small enough to
#: stream with a flat memory profile.
CHUNK_SIZE = 1 << 20

#: What an attachment can belong to, by the word the command line takes, and the column.
OWNER_COLUMNS: dict[str, str] = {
    "contact": "contact_id",
    "case": "case_id",
    "trial": "trial_id",
    "hearing": "hearing_id",
    "observation": "observation_id",
}


class Attachment(Record, table=True):
    __tablename__ = "attachment"
    __table_args__ = (
        CheckConstraint(
            "(contact_id IS NOT NULL) + (case_id IS NOT NULL) + (trial_id IS NOT NULL)"
            " + (hearing_id IS NOT NULL) + (observation_id IS NOT NULL) = 1",
            name=conv("ck_attachment_one_owner"),
        ),
        CheckConstraint("size >= 0", name=conv("ck_attachment_size")),
        CheckConstraint("length(sha256) = 64", name=conv("ck_attachment_sha256")),
    )
    contact_id: str | None = fk("contact.id", nullable=True)
    case_id: str | None = fk("threat_case.id", nullable=True)
    trial_id: str | None = fk("trial.id", nullable=True)
    hearing_id: str | None = fk("hearing.id", nullable=True)
    observation_id: str | None = fk("civic_observation.id", nullable=True)
    name: str = Field(min_length=1, max_length=255)  # the original file name, as given
    media_type: str = Field(max_length=100)  # detected from the content, never the extension
    size: int
    sha256: str = Field(max_length=64)  # hex of the original bytes
    note: str = Field(default="", max_length=10_000)
    #: Identifying metadata found at intake (EXIF GPS, device, owner, time; PDF author...):
    #: field name -> value as text.
    found_metadata: dict[str, Any] = Field(default_factory=dict, sa_type=JSON, nullable=False)
    deleted_at: datetime | None = Field(default=None, index=True)


#: The chain of custody, enforced by the database as well as by the services: what was
#: taken in, and to what, cannot be changed (a replacement is a new attachment); only
#: the deletion mark (and updated_at with it) can. The same SQL is in migration 0016.
CUSTODY_TRIGGER_SQL = (
    "CREATE TRIGGER attachment_custody_fixed BEFORE UPDATE OF "
    "name, media_type, size, sha256, note, found_metadata, created_at, "
    "contact_id, case_id, trial_id, hearing_id, observation_id ON attachment "
    "BEGIN SELECT RAISE(ABORT, 'an attachment is never changed after intake'); END"
)
event.listen(table_of(Attachment), "after_create", DDL(CUSTODY_TRIGGER_SQL))  # type: ignore[no-untyped-call]


#: The contents. DEFERRABLE: the chunks are written first, streaming, and the
#: attachment row last, once its size and hash are known (all in one transaction).
attachment_chunk = Table(
    "attachment_chunk",
    SQLModel.metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "attachment_id",
        String(32),
        ForeignKey("attachment.id", ondelete="CASCADE", deferrable=True, initially="DEFERRED"),
        nullable=False,
    ),
    Column("seq", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Index("ux_attachment_chunk_seq", "attachment_id", "seq", unique=True),
)
