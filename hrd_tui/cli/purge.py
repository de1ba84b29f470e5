"""``hrd-tui purge``: remove for good the history (earlier versions, deleted records)
older than a number of days. Asks on a terminal first; --yes for scripts.
"""

from __future__ import annotations

import argparse

from hrd_tui.cli.common import confirmed, err, open_vault, out
from hrd_tui.errors import UsageError


def cmd_purge(args: argparse.Namespace) -> int:
    from hrd_tui import vault
    from hrd_tui.services import attachments, history

    if args.older_than < 0:
        raise UsageError("--older-than takes a number of days, 0 or more.")
    question = (
        f"Remove for good every earlier version, deleted record and deleted attachment older than {args.older_than} days? "
        "This cannot be undone. [y/N] "
    )
    if not confirmed(args.yes, question, "Nothing was purged"):
        return 0
    with open_vault(args, readonly=False) as opened:
        with opened.store.session("purging the history") as session:
            report = history.purge(session, args.older_than)
            # After the history: each attachment removed leaves a tombstone (its record, with
            # the hash) that a later purge removes in its turn.
            files = attachments.purge(session, args.older_than)
        opened.store.checkpoint()  # no copy of the removed rows left in the write-ahead log
        backups = opened.dir / vault.BACKUPS_NAME
    out(f"Purged {report.versions} earlier version(s) and {report.tombstones} deleted record(s).")
    out(
        f"Removed {files} deleted attachment(s) for good: their bytes are gone; the record of each, "
        "with its SHA-256, stays in the history until a later purge."
    )
    if backups.exists() and any(backups.iterdir()):
        err(f"the encrypted backups in {backups} were taken before and still hold them.")
    return 0
