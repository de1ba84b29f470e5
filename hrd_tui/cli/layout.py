"""``hrd-tui layout``: the report layouts (services/report_layouts.py). ``list`` them,
``show`` one's TOML (a post starts its own from a shipped one), ``import`` the post's
own for a new edition (checked before the passphrase is asked; ``--replace`` corrects
one already imported), ``retire`` or ``reinstate`` one of the post's own.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from hrd_tui.cli.common import open_vault, out, require_current_schema
from hrd_tui.errors import UsageError

if TYPE_CHECKING:  # imported where used: --help stays light
    from sqlmodel import Session


def cmd_layout(args: argparse.Namespace) -> int:
    from hrd_tui.services import report_layouts, reports

    if args.action != "list" and not args.item:
        what = "FILE" if args.action == "import" else "KEY"
        raise UsageError(f"'hrd-tui layout {args.action}' needs {what}.")
    if args.replace and args.action != "import":
        raise UsageError("--replace is for 'hrd-tui layout import' only.")
    if args.on and args.action != "retire":
        raise UsageError("--on is for 'hrd-tui layout retire' only.")
    retired_on = _day(args.on) if args.on else None
    if args.action == "import":
        text = report_layouts.read_file(Path(args.item))
        layout = report_layouts.parse(text, args.item, reports.CONTENT_KEYS)  # before the passphrase
        with open_vault(args, readonly=False) as opened:
            with opened.store.session("importing the report layout") as session:
                report_layouts.store(session, layout, text, replace=args.replace)
        done = "Corrected" if args.replace else "Imported"
        out(f"{done} report layout '{layout.key}': {layout.title} ({len(layout.sections)} sections).")
        return 0
    if args.action in ("retire", "reinstate"):
        from hrd_tui import wallclock

        with open_vault(args, readonly=False) as opened:
            with opened.store.session("retiring the report layout") as session:
                on = (retired_on or wallclock.today()) if args.action == "retire" else None
                row = report_layouts.retire(session, args.item, on)
        out(f"Report layout '{row.key}' " + (f"retired on {on}." if on else "reinstated."))
        return 0
    with open_vault(args, readonly=True) as opened:
        require_current_schema(opened, "list its layouts")
        with opened.store.session("reading the report layouts") as session:
            if args.action == "show":
                text = report_layouts.text_of(session, args.item)
                from hrd_tui.sanitize import for_display

                sys.stdout.write(for_display(text).rstrip("\n") + "\n")
                return 0
            for line in list_lines(session):
                out(line)
    return 0


def list_lines(session: Session) -> list[str]:
    """One line per layout, by report type, newest edition first: the default marked."""
    from hrd_tui.services import report_layouts, reports

    lines: list[str] = []
    seen: set[str] = set()
    for layout in report_layouts.all_layouts(session, reports.CONTENT_KEYS, retired=True):
        default = layout.retired_on is None and layout.report.value not in seen
        if default:
            seen.add(layout.report.value)
        state = f"retired {layout.retired_on}" if layout.retired_on else ("default" if default else "")
        own = sum(1 for s in layout.sections if s.own)
        lines.append(
            f"{layout.key}  {layout.report.value}  edition {layout.edition}  {layout.origin}"
            + (f"  [{state}]" if state else "")
            + f"  {layout.title}: {len(layout.sections)} sections, {own} hrd-tui's own, "
            f"{layout.unchecked_headings} not checked"
        )
    return lines


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--on takes a date as YYYY-MM-DD, not {value!r}.") from None
