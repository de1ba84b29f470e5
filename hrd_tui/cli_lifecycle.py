"""The data-lifecycle commands: handover bundles between officers, purging old
history, the emergency wipe. Registered by hrd_tui.cli.build_parser; kept apart so
the main command module stays readable. Shared helpers are in cli_common; the vault
is imported inside the commands, never when the parser is built.

Every command that destroys or merges asks on a terminal first and takes
``--yes`` for scripts; without a terminal and without ``--yes`` nothing happens.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hrd_tui import paths
from hrd_tui.cli_common import ask_choice, err, open_vault, out, secret_from, unlock_secret
from hrd_tui.errors import UsageError, ValidationError
from hrd_tui.sanitize import for_display

if TYPE_CHECKING:
    from hrd_tui.services.handover.planning import Conflict


def _split(values: list[str] | None) -> list[str]:
    """--contacts A,B --contacts C -> [A, B, C]."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


# -- handover ------------------------------------------------------------------------------
def cmd_handover(args: argparse.Namespace) -> int:
    if args.action == "export":
        return _handover_export(args)
    if args.contacts or args.cases or args.trials:
        raise UsageError("--contacts, --cases and --trials choose what 'handover export' writes.")
    return _handover_import(args)


def _handover_export(args: argparse.Namespace) -> int:
    from hrd_tui.services import handover
    from hrd_tui.services import contacts

    if args.yes or args.prefer or args.bundle_passphrase_file:
        raise UsageError("--yes, --prefer and --bundle-passphrase-file are for 'handover import'.")
    target = Path(args.file)
    if target.exists():
        raise UsageError(f"{target} exists: a bundle is never written over a file.")
    with open_vault(args, readonly=True) as opened, opened.store.session("writing the handover bundle") as session:
        from hrd_tui.models import ThreatCase, Trial
        from hrd_tui.services.base import resolve_id

        people = [c.id for c in contacts.by_codenames(session, _split(args.contacts), "contacts")]
        cases = [resolve_id(session, ThreatCase, i, "cases") for i in _split(args.cases)]  # a prefix will do
        trials = [resolve_id(session, Trial, i, "trials") for i in _split(args.trials)]
        selection = handover.Selection(contacts=people, cases=cases, trials=trials)
        chosen = selection if (people or selection.cases or selection.trials) else None
        passphrase = handover.export_bundle(session, target, selection=chosen, vault_id=opened.header.vault_id)
    err(f"bundle written to {target} (mode 0600, encrypted).")
    err("BUNDLE PASSPHRASE: shown this once only. Give it to the receiving officer by another channel than "
        "the file (read it aloud, or in person); anyone with both can read the bundle.")
    print(passphrase, flush=True)
    return 0


_MINE_THEIRS = {"m": "mine", "t": "theirs"}


def _ask_conflict(conflict: Conflict) -> str | dict[str, str]:
    """Mine or theirs for the whole record, or (with more than one field) field by field."""
    label = for_display(conflict.label, single_line=True)
    if len(conflict.diffs) == 1:
        return ask_choice(f"{label}: keep [m]ine or take [t]heirs? [m/t] ", _MINE_THEIRS)
    side = ask_choice(f"{label}: keep [m]ine, take [t]heirs, or [f]ield by field? [m/t/f] ",
                      {**_MINE_THEIRS, "f": "fields"})
    if side != "fields":
        return side
    return {d.field: ask_choice(f"  {for_display(d.label, single_line=True)}: keep [m]ine or take [t]heirs? [m/t] ",
                                _MINE_THEIRS) for d in conflict.diffs}


def _handover_import(args: argparse.Namespace) -> int:
    from hrd_tui.services import handover

    if args.passphrase_file == "-" and args.bundle_passphrase_file == "-":
        raise UsageError("Standard input can give one passphrase only: put the other in a file.")
    secret = secret_from(args.bundle_passphrase_file, "Bundle passphrase: ")
    bundle = handover.read_bundle(Path(args.file), secret)  # a wrong passphrase fails before the vault opens
    with open_vault(args, readonly=False) as opened, opened.store.session("importing the handover bundle") as session:
        plan = handover.plan_import(session, bundle)
        for line in plan.summary():
            out(line)
        if plan.is_empty:
            out("Nothing to import: every record of the bundle is already here.")
            return 0
        for conflict in plan.conflicts:
            for line in conflict.lines():
                out(line)
        choices: dict[str, Any] = {}
        if args.yes:
            if plan.conflicts and not args.prefer:
                raise UsageError(f"{len(plan.conflicts)} conflict(s): with --yes, say which side wins with "
                                 "--prefer mine|theirs. Nothing was imported.")
        else:
            if not sys.stdin.isatty():
                raise UsageError("Nothing was imported: there is no terminal to confirm on. "
                                 "Pass --yes (and --prefer mine|theirs when there are conflicts).")
            if not args.prefer:
                for conflict in plan.conflicts:
                    choices[conflict.key] = _ask_conflict(conflict)
            if ask_choice("Import? [y/N] ", {"y": "yes", "n": "no", "": "no"}) != "yes":
                out("Nothing was imported.")
                return 0
        result = handover.apply_import(session, plan, choices, default=args.prefer)
    mixed = f", {len(result.mixed)} took some fields of each" if result.mixed else ""
    out(f"Imported {result.total_inserted} record(s); {len(result.took_theirs)} conflict(s) took the bundle's "
        f"version (yours is kept in the history), {len(result.kept_mine)} kept yours{mixed}.")
    for note in result.notes:
        out(note)
    return 0


# -- purge -----------------------------------------------------------------------------------
def cmd_purge(args: argparse.Namespace) -> int:
    from hrd_tui import vault
    from hrd_tui.services import history

    if args.older_than < 0:
        raise UsageError("--older-than takes a number of days, 0 or more.")
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError("Nothing was purged: there is no terminal to confirm on. Pass --yes.")
        question = (f"Remove for good every earlier version and deleted record older than {args.older_than} days? "
                    "This cannot be undone. [y/N] ")
        if ask_choice(question, {"y": "yes", "n": "no", "": "no"}) != "yes":
            out("Nothing was purged.")
            return 0
    with open_vault(args, readonly=False) as opened:
        with opened.store.session("purging the history") as session:
            report = history.purge(session, args.older_than)
        opened.store.checkpoint()  # no copy of the removed rows left in the write-ahead log
        backups = opened.dir / vault.BACKUPS_NAME
    out(f"Purged {report.versions} earlier version(s) and {report.tombstones} deleted record(s).")
    if backups.exists() and any(backups.iterdir()):
        err(f"the encrypted backups in {backups} were taken before and still hold them.")
    return 0


# -- the emergency wipe and the keys ---------------------------------------------------------
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
        raise ValidationError({"wipe_after": f"a whole number from {wipe.WIPE_AFTER_MIN} to {wipe.WIPE_AFTER_MAX}, "
                                             f"or off ({limit} is not)"})
    with open_vault(args, readonly=False) as opened:
        out(opened.set_wipe_after(limit))
    return 0


def cmd_bind_workstation(args: argparse.Namespace) -> int:
    secret = unlock_secret(args)
    if secret.kind != "passphrase":
        raise UsageError("Binding changes the passphrase slot: unlock with the passphrase.")
    with open_vault(args, readonly=False, secret=secret) as opened:
        out(opened.set_workstation_binding(args.state == "on", secret.value))
    return 0


def register(add: object) -> None:
    """Add the lifecycle commands to the parser (``add`` is build_parser's helper)."""
    handover = add("handover", cmd_handover,  # type: ignore[operator]
                   "move records between officers' vaults in an encrypted bundle: 'handover export FILE' writes the "
                   "whole vault (or --contacts/--cases/--trials) and prints the bundle's passphrase once; "
                   "'handover import FILE' merges one in, conflicts chosen one by one")
    handover.add_argument("action", choices=["export", "import"])
    handover.add_argument("file", metavar="FILE")
    handover.add_argument("--contacts", action="append", metavar="CODENAMES", help="export: these contacts (comma-separated)")
    handover.add_argument("--cases", action="append", metavar="IDS", help="export: these threat cases, with what they need")
    handover.add_argument("--trials", action="append", metavar="IDS", help="export: these trials, with their hearings")
    handover.add_argument("--bundle-passphrase-file", metavar="FILE",
                          help="import: read the bundle's passphrase from FILE ('-' for stdin) instead of asking")
    handover.add_argument("--prefer", choices=["mine", "theirs"], help="import: which side wins every conflict")
    handover.add_argument("--yes", action="store_true", help="import without asking (needed without a terminal)")
    purge = add("purge", cmd_purge,  # type: ignore[operator]
                "remove for good the earlier versions and deleted records older than DAYS (the history rule "
                "keeps them until then)")
    purge.add_argument("--older-than", type=int, required=True, metavar="DAYS")
    purge.add_argument("--yes", action="store_true", help="purge without asking (needed without a terminal)")
    wipe = add("wipe", cmd_wipe,  # type: ignore[operator]
               "EMERGENCY: destroy the vault for good (key slots first, then the keyring secret, then the files); "
               "no passphrase needed; asks to type WIPE unless --yes")
    wipe.add_argument("--yes", action="store_true", help="wipe without asking (for a panic script)")
    after = add("wipe-after", cmd_wipe_after,  # type: ignore[operator]
                "wipe the vault after N failed unlocks in a row (3 to 20), or 'off' (the default)")
    after.add_argument("limit", metavar="N|off")
    bind = add("bind-workstation", cmd_bind_workstation,  # type: ignore[operator]
               "on: the passphrase opens this vault only together with a secret in this workstation's keyring "
               "(the recovery code still opens it anywhere); off: the passphrase alone again")
    bind.add_argument("state", choices=["on", "off"])
