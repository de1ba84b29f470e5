"""``hrd-tui handover``: move records between officers' vaults in an encrypted bundle
(hrd_tui.services.handover). Export prints the bundle's passphrase once; import
previews, then asks for each conflict (or takes --prefer with --yes).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hrd_tui.cli.common import ask_choice, err, open_vault, out, secret_from
from hrd_tui.errors import UsageError
from hrd_tui.sanitize import for_display

if TYPE_CHECKING:
    from hrd_tui.services.handover.planning import Conflict


def _split(values: list[str] | None) -> list[str]:
    """--contacts A,B --contacts C -> [A, B, C]."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def cmd_handover(args: argparse.Namespace) -> int:
    if args.action == "export":
        return _handover_export(args)
    if args.contacts or args.cases or args.trials:
        raise UsageError("--contacts, --cases and --trials choose what 'handover export' writes.")
    return _handover_import(args)


def _handover_export(args: argparse.Namespace) -> int:
    from hrd_tui.services import contacts, handover

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
    err(
        "BUNDLE PASSPHRASE: shown this once only. Give it to the receiving officer by another channel than "
        "the file (read it aloud, or in person); anyone with both can read the bundle."
    )
    print(passphrase, flush=True)
    return 0


_MINE_THEIRS = {"m": "mine", "t": "theirs"}


def _ask_conflict(conflict: Conflict) -> str | dict[str, str]:
    """Mine or theirs for the whole record, or (with more than one field) field by field."""
    label = for_display(conflict.label, single_line=True)
    if len(conflict.diffs) == 1:
        return ask_choice(f"{label}: keep [m]ine or take [t]heirs? [m/t] ", _MINE_THEIRS)
    side = ask_choice(
        f"{label}: keep [m]ine, take [t]heirs, or [f]ield by field? [m/t/f] ", {**_MINE_THEIRS, "f": "fields"}
    )
    if side != "fields":
        return side
    return {
        d.field: ask_choice(
            f"  {for_display(d.label, single_line=True)}: keep [m]ine or take [t]heirs? [m/t] ", _MINE_THEIRS
        )
        for d in conflict.diffs
    }


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
                raise UsageError(
                    f"{len(plan.conflicts)} conflict(s): with --yes, say which side wins with "
                    "--prefer mine|theirs. Nothing was imported."
                )
        else:
            if not sys.stdin.isatty():
                raise UsageError(
                    "Nothing was imported: there is no terminal to confirm on. "
                    "Pass --yes (and --prefer mine|theirs when there are conflicts)."
                )
            if not args.prefer:
                for conflict in plan.conflicts:
                    choices[conflict.key] = _ask_conflict(conflict)
            if ask_choice("Import? [y/N] ", {"y": "yes", "n": "no", "": "no"}) != "yes":
                out("Nothing was imported.")
                return 0
        result = handover.apply_import(session, plan, choices, default=args.prefer)
    mixed = f", {len(result.mixed)} took some fields of each" if result.mixed else ""
    out(
        f"Imported {result.total_inserted} record(s); {len(result.took_theirs)} conflict(s) took the bundle's "
        f"version (yours is kept in the history), {len(result.kept_mine)} kept yours{mixed}."
    )
    files = result.inserted.get("attachments", 0)
    if files:
        out(f"{files} attachment(s) added, each checked against its SHA-256 as it was written.")
    for note in result.notes:
        out(note)
    return 0
