"""``hrd-tui attach``, ``hrd-tui attachments`` and ``hrd-tui export attachment`` (issue 20).

``attach FILE --to KIND:ID`` takes an evidence file in (streamed into the encrypted
database: services.attachments) and prints its id, its SHA-256 and the identifying
metadata found in it, so the officer sees at once what the file gives away. FILE ``-``
reads it from a pipe, with ``--name``: a file decrypted on the fly never touches the disk.
``attachments`` lists them (``--to`` one record's, ``--deleted`` the deleted ones too);
``attachments delete ID`` marks one deleted (asked, or ``--yes``): its record with the
hash stays, and ``purge`` removes it for good. ``export attachment ID -o FILE`` writes
one out, exact (same SHA-256) or ``--strip-metadata``.

Mistakes in the command line, and a file that cannot be taken (missing, a directory, a
FIFO, a device, empty, over the size limit), are one line before the passphrase is
asked. The size limit is the officer's setting (attachment_max_mib in the settings file).
Records are named as kind:short id, never by a person's name; in the list, a file name
that names a contact is hidden as discreet mode hides it, unless ``--real-names``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from hrd_tui.cli.common import confirmed, err, open_vault, out, require_current_schema, texts_from_stdin
from hrd_tui.errors import UsageError

if TYPE_CHECKING:
    from hrd_tui.services.attachments import AttachmentView
    from hrd_tui.transactions import Transactions

#: The width of the name column of 'hrd-tui attachments' (a longer name is cut, with "...").
_NAME_WIDTH = 28


def _max_bytes() -> int:
    """The officer's size limit per file (the settings file; its default when there is none)."""
    from hrd_tui.settings import Settings

    return Settings.load(Settings.default_path()).attachment_max_bytes


# -- attach ---------------------------------------------------------------------------------


def _check_stdin(args: argparse.Namespace) -> None:
    """FILE '-': the bytes come from a pipe (``gpg -d f.gpg | hrd-tui attach - --name f.pdf``,
    so no decrypted copy ever lands on disk). The name is then given, the passphrase
    comes from a file, and nothing else is read from standard input."""
    if args.file != "-":
        if args.name is not None:
            raise UsageError("--name is for a file read from standard input ('hrd-tui attach - --name NAME').")
        return
    if not args.name:
        raise UsageError("a file read from standard input needs its name: 'hrd-tui attach - --name NAME --to KIND:ID'.")
    if args.note == "-":
        raise UsageError("the file comes from standard input: give the note as --note TEXT.")
    if not args.passphrase_file or args.passphrase_file == "-":
        raise UsageError(
            "the file comes from standard input: give the passphrase with --passphrase-file FILE (not '-')."
        )
    if sys.stdin.isatty():
        raise UsageError("standard input is the terminal: pipe the file in ('... | hrd-tui attach - --name NAME').")


def cmd_attach(args: argparse.Namespace) -> int:
    from hrd_tui.services import attachments

    _check_stdin(args)
    attachments.parse_owner(args.to)  # KIND checked before the passphrase is asked
    note: dict[str, object] = {"note": args.note}
    texts_from_stdin(args, note, ("note",))
    max_bytes = _max_bytes()
    path = Path(args.file)
    if args.file != "-":
        attachments.open_source(path, max_bytes).close()  # missing, special, empty or too large: said now
    with open_vault(args, readonly=False) as opened:
        with opened.store.session("finding the record") as session:
            owner = attachments.resolve_owner(session, args.to)
        text = str(note["note"] or "")
        if args.file == "-":
            added = attachments.attach_stream(
                opened.store, sys.stdin.buffer, args.name, owner, note=text, max_bytes=max_bytes
            )
        else:
            added = attachments.attach(opened.store, path, owner, note=text, max_bytes=max_bytes)
        same = attachments.same_file(opened.store, added)
    out(f"Attached {added.name} to {added.owner}: {added.media_type}, {added.size_text}.")
    out(f"Id: {added.id}")
    out(f"SHA-256: {added.sha256}")
    if same:
        out(f"The same file (same SHA-256) is already kept: {', '.join(same)}.")
    if added.found_metadata:
        out("Identifying metadata found in the file (kept as it is; 'export attachment --strip-metadata' removes it):")
        for label, value in added.found_metadata.items():
            out(f"  {label}: {value}")
    else:
        out("No identifying metadata found in the file.")
    return 0


# -- attachments (list, delete) ------------------------------------------------------------------


def _check_list_args(args: argparse.Namespace) -> None:
    if args.action == "delete":
        if not args.id:
            raise UsageError("'attachments delete' needs the attachment's ID (as 'hrd-tui attachments' lists it).")
        if args.to or args.deleted or args.real_names:
            raise UsageError("'attachments delete ID' takes no --to, --deleted or --real-names.")
        return
    if args.id:
        raise UsageError("'attachments' lists and takes no ID ('attachments delete ID' deletes one).")
    if args.yes:
        raise UsageError("--yes is for 'attachments delete'.")
    if args.to:
        from hrd_tui.services import attachments

        attachments.parse_owner(args.to)


def _cell(text: str, width: int) -> str:
    """Untrusted text (a file's name) as one table cell: no control character, cut to ``width``."""
    from hrd_tui.sanitize import for_display

    shown = for_display(text, single_line=True)
    if len(shown) > width:
        shown = shown[: width - 3] + "..."
    return shown.ljust(width)


def _row(a: AttachmentView, name: str) -> str:
    added = a.added_at.astimezone().strftime("%Y-%m-%d %H:%M")
    row = (
        f"{a.short_id}  {_cell(name, _NAME_WIDTH)}  {_cell(a.media_type, 16)}  {a.size_text:>10}  "
        f"{a.sha256[:16]}  {added}  {a.owner}"
    )
    if a.deleted_at is not None:
        row += f"  DELETED {a.deleted_at.astimezone():%Y-%m-%d}"
    return row


def _header() -> str:
    return f"{'ID':<8}  {'NAME':<{_NAME_WIDTH}}  {'TYPE':<16}  {'SIZE':>10}  {'SHA-256 (start)':<16}  {'ADDED':<16}  TO"


def cmd_attachments(args: argparse.Namespace) -> int:
    _check_list_args(args)
    from hrd_tui.services import attachments

    with open_vault(args, readonly=args.action != "delete") as opened:
        require_current_schema(opened, "list its attachments")
        if args.action == "delete":
            return _delete(opened.store, args)
        owner = None
        if args.to:
            with opened.store.session("finding the record") as session:
                owner = attachments.resolve_owner(session, args.to)
        found = attachments.views(opened.store, owner, deleted=args.deleted)
        # As discreet mode shows them: a file name that names a contact is hidden.
        shown = (lambda name: name) if args.real_names else attachments.name_hider(opened.store)
    where = f" of {owner}" if owner else ""
    if not found:
        out(f"No attachment{where}{' (deleted ones included)' if args.deleted else ''}.")
        return 0
    out(_header())
    for a in found:
        out(_row(a, shown(a.name)))
    word = "attachment" if len(found) == 1 else "attachments"
    out(f"{len(found)} {word}{where}{' (deleted ones included)' if args.deleted else ''}.")
    if any(shown(a.name) != a.name for a in found):
        out(f"Names that name a contact are shown as {attachments.HIDDEN_NAME}: --real-names shows them.")
    return 0


def _delete(tx: Transactions, args: argparse.Namespace) -> int:
    from hrd_tui.sanitize import for_display
    from hrd_tui.services import attachments

    shown = attachments.find(tx, args.id)
    what = for_display(
        f"attachment {shown.short_id} ({shown.name}, {shown.size_text}) of {shown.owner}", single_line=True
    )
    question = f"Delete {what}? Its record and SHA-256 are kept until a purge. [y/N] "
    if not confirmed(args.yes, question, "Nothing was deleted"):
        return 0
    gone = attachments.remove(tx, shown.id)
    out(f"Deleted {what}.")
    out(
        f"Its record, with its SHA-256 {gone.sha256}, is kept (listed by 'hrd-tui attachments --deleted'); "
        "'hrd-tui purge --older-than DAYS' removes it and its bytes for good."
    )
    return 0


# -- export attachment -------------------------------------------------------------------------------


def check_export_args(args: argparse.Namespace) -> None:
    """'export attachment ID -o FILE [--strip-metadata]', checked before the passphrase."""
    if not args.ref:
        raise UsageError("Export an attachment: hrd-tui export attachment ID -o FILE [--strip-metadata].")
    if args.format is not None or args.real_names:
        raise UsageError("'export attachment' takes no --format or --real-names: the file is written as it was kept.")
    if not args.output or args.output == "-":
        raise UsageError(
            "'export attachment' writes to a new file: give -o FILE (a file's bytes never go to the terminal)."
        )


def export_attachment(args: argparse.Namespace) -> int:
    """Write one attachment to -o FILE (0600, never over a file), exact or without its metadata."""
    from hrd_tui.errors import ValidationError
    from hrd_tui.services import attachments, file_metadata

    dest = Path(args.output)
    if dest.exists() or dest.is_symlink():
        raise ValidationError({"output": f"{dest} already exists: an export never overwrites a file"})
    with open_vault(args, readonly=True) as opened:
        require_current_schema(opened, "export")
        shown = attachments.find(opened.store, args.ref)
        if args.strip_metadata and not file_metadata.can_strip(shown.media_type):
            raise ValidationError(
                {
                    "strip_metadata": f"the app cannot remove metadata from a {shown.media_type} file; "
                    "nothing was written (export it without --strip-metadata to get it as it is)"
                }
            )
        done = attachments.export_to(opened.store, shown.id, dest, strip=args.strip_metadata)
    from hrd_tui.cli.export import KEEP_IT_SAFE

    err(f"WARNING: the exported file is NOT ENCRYPTED. {KEEP_IT_SAFE}")
    out(
        f"Exported attachment {shown.short_id} ({shown.name}) to {done.path} (mode 0600, {attachments.size_text(done.size)})."
    )
    out(f"SHA-256: {done.sha256}")
    if not args.strip_metadata:
        # export_to checked the bytes against the record as it wrote them (or wrote nothing)
        out("It equals the SHA-256 recorded when the file was taken in: an exact copy.")
    elif done.removed:
        out(f"Removed: {', '.join(done.removed)}.")
        out(f"The file changed: {done.note}.")
    else:
        out(f"No identifying metadata was found to remove; still, {done.note}.")
    return 0
