"""The emergency wipe (``hrd-tui wipe``) and the wipe after failed unlocks (``wipe-after``).

The wipe asks on a terminal first (type WIPE) and takes ``--yes`` for a panic
script; without a terminal and without ``--yes`` nothing happens.
"""

from __future__ import annotations

import argparse
import sys

from hrd_tui import paths
from hrd_tui.cli.common import err, open_vault, out
from hrd_tui.errors import UsageError, ValidationError

WIPE_WORD = "WIPE"


def cmd_wipe(args: argparse.Namespace) -> int:
    """Destroy the vault: key slots first (unreadable from that instant), then the
    keyring secret, then the files. No passphrase: in an emergency there is no time."""
    from hrd_tui import wipe

    vault_dir = paths.resolve_vault_dir(args.vault)
    wipe.ensure_vault(vault_dir)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError("Nothing was wiped: there is no terminal to confirm on. Pass --yes.")
        err(f"This destroys the vault in {vault_dir} for good: no passphrase or recovery code will open it again.")
        print(f"Type {WIPE_WORD} to wipe it: ", end="", file=sys.stderr, flush=True)
        if sys.stdin.readline().strip() != WIPE_WORD:
            out("Nothing was wiped.")
            return 0
    report = wipe.wipe(vault_dir, exports_dir=paths.export_root())  # only this vault's folder in it is removed
    for line in report.lines():
        err(line)
    return 0 if report.complete else 1


def cmd_wipe_after(args: argparse.Namespace) -> int:
    from hrd_tui import wipe

    value = args.limit.strip().lower()
    if value == "off":
        limit = None
    elif value.isdigit():
        limit = int(value)
    else:
        raise UsageError("wipe-after takes a number of failed unlocks (3 to 20) or 'off'.")
    if limit is not None and not wipe.WIPE_AFTER_MIN <= limit <= wipe.WIPE_AFTER_MAX:
        # Refused before the passphrase is asked for: typing it would be for nothing.
        raise ValidationError(
            {
                "wipe_after": f"a whole number from {wipe.WIPE_AFTER_MIN} to {wipe.WIPE_AFTER_MAX}, "
                f"or off ({limit} is not)"
            }
        )
    with open_vault(args, readonly=False) as opened:
        out(opened.set_wipe_after(limit))
    return 0
