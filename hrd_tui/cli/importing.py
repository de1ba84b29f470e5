"""``hrd-tui import``: a checklist template, or contacts from CSV or vCard after a preview.
A file is checked before the passphrase is asked; nothing is written unless confirmed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from hrd_tui.cli.common import ask_choice, open_vault, out
from hrd_tui.errors import UsageError

if TYPE_CHECKING:
    from hrd_tui.services.contact_io import ImportPlan


def cmd_import(args: argparse.Namespace) -> int:
    if args.kind == "contacts":
        return _import_contacts(args)
    if args.format or args.on_duplicate or args.yes:
        raise UsageError("--format, --on-duplicate and --yes are for 'hrd-tui import contacts' only.")
    from hrd_tui.services import checklists, templates

    template = templates.parse(
        templates.read(Path(args.file)), args.file
    )  # a broken file is refused before the passphrase is asked
    with open_vault(args, readonly=False) as opened:
        with opened.store.session("importing the checklist template") as session:
            row = checklists.store_template(session, template)
            from hrd_tui.sanitize import for_display, plural

            print(
                for_display(
                    f"Imported checklist template '{row.id}' version {row.version}: {row.title} "
                    f"({plural(len(row.items), 'item')})."
                )
            )
    return 0


#: At most this many lines of each kind (errors, duplicates, remarks) in an import preview.
PREVIEW_LINES = 50


def _import_contacts(args: argparse.Namespace) -> int:
    """Check the file before the passphrase is asked, preview against the vault,
    then write only when confirmed (or --yes). Rows with errors are never written."""
    from hrd_tui.services import contact_io

    text = contact_io.read_file(args.file)
    fmt = args.format or contact_io.detect_format(args.file, text)
    try:
        plan = contact_io.parse(text, fmt)
    except contact_io.ContactFileError as exc:
        raise contact_io.ContactFileError(f"{args.file}: {exc.problem}") from None
    if not plan.rows:
        raise contact_io.ContactFileError(f"{args.file}: no contacts in the file; nothing was imported.")
    if not plan.valid:
        _print_plan(args.file, plan)
        raise contact_io.ContactFileError(f"{args.file}: every {plan.unit} has errors; nothing was imported.")
    with open_vault(args, readonly=False) as opened:
        with opened.store.session("importing contacts") as session:
            contact_io.match(session, plan)
            _print_plan(args.file, plan)
            on_duplicate = args.on_duplicate
            if not args.yes:
                if not sys.stdin.isatty():
                    raise UsageError(
                        "Nothing was imported: there is no terminal to confirm on. "
                        "Pass --yes to import (and --on-duplicate merge|skip)."
                    )
                if plan.duplicates and on_duplicate is None:
                    on_duplicate = ask_choice(
                        f"{len(plan.duplicates)} {plan.unit}(s) match existing contacts or earlier {plan.unit}s: "
                        "[m]erge their values into those contacts, or [s]kip them? [m/s] ",
                        {"m": "merge", "s": "skip"},
                    )
                on_duplicate = on_duplicate or "skip"
                what = f"{len(plan.new)} new contact(s)"
                if plan.duplicates:
                    what += (
                        f", {'merging' if on_duplicate == 'merge' else 'skipping'} {len(plan.duplicates)} duplicate(s)"
                    )
                if ask_choice(f"Import {what}? [y/N] ", {"y": "yes", "n": "no", "": "no"}) != "yes":
                    print("Nothing was imported.")
                    return 0
            result = contact_io.apply(session, plan, on_duplicate or "skip")
    print(f"Imported: {result}.")
    return 0


def _print_plan(filename: str, plan: ImportPlan) -> None:
    def capped(lines: list[str]) -> None:
        for line in lines[:PREVIEW_LINES]:
            out(line)
        if len(lines) > PREVIEW_LINES:
            out(f"... and {len(lines) - PREVIEW_LINES} more")

    out(f"{filename} ({'CSV' if plan.format == 'csv' else 'vCard'}): " + "; ".join(plan.summary_lines()))
    capped([str(issue) for issue in plan.issues])
    capped([f"{plan.unit} {row.row} {row.describe_duplicate(plan.unit)}" for row in plan.duplicates])
    capped([f"{plan.unit} {row.row}: {note}" for row in plan.valid for note in row.notes])
    if plan.invalid:
        out(f"{plan.unit.capitalize()}s with errors are never imported; the others are imported only once confirmed.")
