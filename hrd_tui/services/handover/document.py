"""The handover document: built from the vault (the whole of it or a selection) and
sealed into a bundle file, or read back from one and checked.

The document (version 1) has the per-table shape of ``services/export.py``: ``format``
(``"hrd-tui-handover"``), ``version`` (1), ``exported_at``, ``schema_revision``,
``vault_id`` (of the sending vault), ``selection`` (``null`` for the whole vault, else
``{"contacts": [ids], "cases": [ids], "trials": [ids]}``), then one list per table
under its ``EXPORT_TABLES`` key, each record with its fields by name.

Not carried: **drafts** are unsaved text typed in the sending vault, meaningful only
on the screen and to the officer that typed it (and possibly never meant to be kept);
**record_versions** are the sending vault's own history, numbered by that vault: they
would mix two histories and carry back text that its officer replaced or purged. The
receiving vault keeps its own history, including the version before each "theirs".

**Attachments** (issue 20) travel with their owner: every one of the whole vault, or
those of the records a selection carries (``selection``); their rows are in the
document, their bytes follow it in encrypted segments (format version 2, ``segments``),
written one at a time from the vault's chunks and checked when the bundle is read. A
deleted attachment is not handed over (neither its row nor its bytes): the officer who
deleted it meant it gone, and its tombstone with the hash stays in their vault.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from hrd_tui import migrations
from hrd_tui.errors import HrdError, from_os_error
from hrd_tui.keyslots import KdfParams
from hrd_tui.models import EXPORT_TABLES, Attachment, utcnow
from hrd_tui.paths import atomic_writer
from hrd_tui.services import attachments as files
from hrd_tui.services.handover import segments
from hrd_tui.services.handover.errors import BundleError, BundleTooNew
from hrd_tui.services.handover.sealing import new_bundle_passphrase, open_file, seal
from hrd_tui.services.handover.segments import Carried
from hrd_tui.services.handover.selection import Selection, select_rows
from hrd_tui.services.handover.tables import CARRIED, DERIVED
from hrd_tui.services.history import jsonable

DOCUMENT_FORMAT = "hrd-tui-handover"
DOCUMENT_VERSION = 1


@dataclass(frozen=True)
class Bundle:
    """A handover document, read and checked. ``tables`` is never shown in a repr."""

    exported_at: str
    schema_revision: str | None
    vault_id: str
    selection: dict[str, list[str]] | None
    tables: dict[str, list[dict[str, Any]]] = field(repr=False)
    name: str = ""  # the file it was read from, to say where a merged change came from
    #: The attachments whose bytes follow the document (format version 2), by id, and
    #: where to read them again at the import: the file, and the segments' key.
    files: dict[str, Carried] = field(default_factory=dict, repr=False)
    path: Path | None = field(default=None, repr=False)
    segment_key: bytes | None = field(default=None, repr=False, compare=False)

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items() if rows}

    @property
    def files_size(self) -> int:
        """The bytes of all the attachments the bundle carries."""
        return sum(c.size for c in self.files.values())

    def file_reader(self, carried: Carried, stream: Any) -> segments.SegmentReader:
        """A reader of one carried attachment's bytes from ``stream`` (this bundle's file, opened)."""
        if self.segment_key is None:  # pragma: no cover - only a bundle read from a file has files
            raise BundleError("This bundle carries no attachment's bytes.")
        return segments.SegmentReader(stream, self.segment_key, carried)

    @property
    def label(self) -> str:
        """How the history names this bundle: its file, and when it was exported."""
        exported = f"exported {self.exported_at[:10]}" if self.exported_at else "undated"
        return f"{self.name} ({exported})" if self.name else f"a bundle {exported}"

    def people(self) -> list[tuple[str, str]]:
        """(name, codename) of the bundle's contacts: discreet mode hides these names too."""
        return [
            (str(r["name"]), str(r["codename"]))
            for r in self.tables.get("contacts", [])
            if isinstance(r.get("name"), str) and isinstance(r.get("codename"), str) and r["name"] and r["codename"]
        ]


def _bundle_of(document: dict[str, Any], file_name: str = "", **files: Any) -> Bundle:
    bad = BundleError("The bundle is damaged: its content is not a handover document.")
    if document.get("format") != DOCUMENT_FORMAT:
        raise bad
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise bad
    if version > DOCUMENT_VERSION:
        raise BundleTooNew(
            f"This bundle's content uses version {version}, from a newer hrd-tui; upgrade hrd-tui to import it."
        )
    revision = document.get("schema_revision")
    if revision is not None and (not isinstance(revision, str) or revision not in migrations.all_revisions()):
        raise BundleTooNew(
            f"This bundle was written by a newer hrd-tui (schema {revision}); upgrade hrd-tui to import it."
        )
    meta = {"format", "version", "exported_at", "schema_revision", "vault_id", "selection"}
    unknown = sorted(set(document) - meta - set(CARRIED))
    if unknown:
        raise BundleError(f"The bundle holds records this hrd-tui does not know ({', '.join(unknown)[:200]}).")
    tables: dict[str, list[dict[str, Any]]] = {}
    for name in CARRIED:
        rows = document.get(name, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise bad
        tables[name] = rows
    selection = document.get("selection")
    return Bundle(
        exported_at=str(document.get("exported_at", "")),
        schema_revision=revision,
        vault_id=str(document.get("vault_id", "")),
        selection=selection if isinstance(selection, dict) else None,
        tables=tables,
        name=file_name,
        **files,
    )


def read_bundle(path: Path, passphrase: str) -> Bundle:
    """Open and check a bundle. Errors: BundleError (not a bundle, truncated, damaged,
    refused parameters), BundleTooNew (format or schema from a newer hrd-tui),
    BundleUnlockFailed (wrong passphrase or damaged ciphertext: one message).

    Only the header and the document are read whole (the document's length is checked
    against MAX_FILE_BYTES first); the attachments after it are checked one segment at
    a time (decrypted and hashed, then dropped): a damaged file is refused here, before
    the preview, and their bytes are read again, as they go into the vault, at the import."""
    path = Path(path)
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            opened = open_file(stream, size, passphrase)
            bundle = _bundle_of(opened.document, path.name)
            if opened.segment_key is None:
                return bundle
            carried = segments.layout(bundle.tables["attachments"], opened.end, size)
            for one in carried.values():
                segments.check(stream, opened.segment_key, one)
    except FileNotFoundError:
        raise HrdError(f"No file at {path}.") from None
    except IsADirectoryError:
        raise BundleError(f"{path} is a folder, not an hrd-tui bundle.") from None
    except OSError as exc:
        raise from_os_error(exc, f"reading {path.name}") from exc
    return _bundle_of(opened.document, path.name, files=carried, path=path, segment_key=opened.segment_key)


def bundle_document(session: Session, *, selection: Selection | None = None, vault_id: str = "") -> dict[str, Any]:
    """The handover document (plain: it never leaves memory unencrypted)."""
    doc: dict[str, Any] = {
        "format": DOCUMENT_FORMAT,
        "version": DOCUMENT_VERSION,
        "exported_at": utcnow().isoformat(),
        "schema_revision": migrations.current_revision(session.connection()),
        "vault_id": vault_id,
        "selection": None if selection is None else selection.as_dict(),
    }
    if selection is None:
        chosen: dict[str, list[Any]] = {name: list(session.exec(select(EXPORT_TABLES[name]))) for name in CARRIED}
        chosen["attachments"] = list(session.exec(select(Attachment).where(col(Attachment.deleted_at).is_(None))))
    else:
        chosen = select_rows(session, selection)
    for name in CARRIED:
        doc[name] = [jsonable(row.model_dump(exclude=set(DERIVED))) for row in chosen[name]]
    return doc


def export_bundle(
    session: Session,
    path: Path,
    *,
    selection: Selection | None = None,
    vault_id: str = "",
    params: KdfParams | None = None,
) -> str:
    """Write an encrypted bundle of the vault (or of ``selection``) to ``path``.

    Returns the bundle's passphrase, made for it alone: show it once, and send it
    by another channel than the file. Never overwrites a file. ``params`` defaults
    to the policy floor (or the test parameters under HRD_TUI_TEST_KDF=1).

    The attachments' bytes are written after the document one segment at a time,
    straight from the vault's chunks (memory stays flat whatever their size); a stored
    file that no longer matches its hash stops the export, and no bundle is left.
    """
    path = Path(path)
    if path.exists() or path.is_symlink():
        raise HrdError(f"{path} already exists; a bundle never overwrites a file. Choose another name.")
    if not path.parent.is_dir():
        raise HrdError(f"The folder {path.parent} does not exist.")
    document = bundle_document(session, selection=selection, vault_id=vault_id)
    passphrase = new_bundle_passphrase()
    sealed = seal(document, passphrase, params)
    with atomic_writer(path) as write:
        write(sealed.data)
        if sealed.segment_key is not None:
            rows = document["attachments"]
            # The same layout (and limits) a reader works out; the offsets are not needed to write.
            carried = segments.layout(rows, 0, sum(segments.sealed_size(r["size"]) for r in rows))
            for one in carried.values():
                segments.write_attachment(write, sealed.segment_key, one, files.chunks(session, one.id))
    return passphrase
