"""``hrd-tui report``: a report draft for a period, as Markdown (names only with consent
unless --real-names). The period is checked before the passphrase is asked.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING

from hrd_tui.cli.common import day_option, err, open_vault, require_current_schema, write_output
from hrd_tui.cli.table import REPORT_TYPES
from hrd_tui.errors import UsageError

if TYPE_CHECKING:  # imported where used: --help stays light
    from datetime import date

    from hrd_tui.vocab import ReportType


def _report_args(args: argparse.Namespace) -> tuple[ReportType, date, date]:
    """Checked before the passphrase is asked: a mistake costs nothing."""
    from hrd_tui.errors import ValidationError
    from hrd_tui.services import reports
    from hrd_tui.vocab import ReportType

    if args.type not in REPORT_TYPES:
        raise UsageError(f"--type is one of {', '.join(REPORT_TYPES)}.")
    if getattr(args, "layout", None) and args.type == "regular":
        raise UsageError("--layout is for the crhrp, tip and irf reports (the regular report has no layout).")
    start, end = day_option(args.start, "--from"), day_option(args.end, "--to")
    try:
        reports.check_period(start, end)
    except ValidationError as exc:
        problems = "; ".join(
            f"--{name} " + re.sub(r"\bfrom\b", "--from", message) for name, message in exc.errors.items()
        )
        raise UsageError(f"Bad period (--from {start}, --to {end}): {problems}.") from None
    return ReportType(args.type), start, end


def cmd_report(args: argparse.Namespace) -> int:
    report_type, start, end = _report_args(args)
    with open_vault(args, readonly=True) as opened:
        require_current_schema(opened, "report")
        with opened.store.session("assembling the report") as session:
            from hrd_tui.services import reports

            data = reports.render_report(
                session, report_type, start, end, real_names=args.real_names, layout=args.layout
            ).encode("utf-8")
    err("WARNING: this report is PLAIN TEXT. Keep it encrypted, never e-mail it, and delete it when done.")
    if args.real_names:
        err(
            "WARNING: --real-names: this report names every person as stored, whatever their naming consent; "
            "in the wrong hands it can endanger them."
        )
    else:
        err(
            "people are named only with their naming consent, in the text too; the others are described "
            "('a defender'); sensitive locations are left out (--real-names names everyone)."
        )
    if (not args.output or args.output == "-") and sys.stdout.isatty():
        # Vault text must not drive the terminal (ESC]52 writes the clipboard).
        from hrd_tui.sanitize import for_display

        data = for_display(data.decode("utf-8")).encode("utf-8")
    write_output(data, args.output)
    return 0
