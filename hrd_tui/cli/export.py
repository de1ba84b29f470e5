"""``hrd-tui export``: the whole vault as JSON, one record as Markdown, the contacts
as CSV or vCard. Plain text, an explicit act: every export says so on stderr.
"""

from __future__ import annotations

import argparse
import json
import re
import sys

from hrd_tui.cli.common import err, open_vault, require_current_schema, write_output
from hrd_tui.errors import UsageError

#: What every plain (unencrypted) export is told to the officer, after what it is.
KEEP_IT_SAFE = "Keep it encrypted, never e-mail it, and delete it when done."


def cmd_export(args: argparse.Namespace) -> int:
    if args.kind == "attachment":  # a file's bytes, not a document: its own command (cli.attachments)
        from hrd_tui.cli import attachments

        attachments.check_export_args(args)
        return attachments.export_attachment(args)
    _check_export_args(args)
    with open_vault(args, readonly=True) as opened:
        require_current_schema(opened, "export")
        with opened.store.session("exporting") as session:
            if args.ref:  # the id, or its start as reports cite it and the app shows it
                from sqlmodel import SQLModel

                from hrd_tui.models import ChecklistRun, Hearing, ThreatCase, Trial
                from hrd_tui.services.base import resolve_id

                models: dict[str, type[SQLModel]] = {
                    "checklist": ChecklistRun,
                    "hearing": Hearing,
                    "trial": Trial,
                    "case": ThreatCase,
                }
                model = models[args.kind]
                args.ref = resolve_id(session, model, args.ref, "ID")
            if args.kind == "checklist":
                from hrd_tui.services import checklists

                data = checklists.export_markdown(session, checklists.get_run(session, args.ref)).encode("utf-8")
            elif args.kind == "hearing":
                from hrd_tui.services import trials

                data = trials.export_hearing_markdown(session, args.ref, real_names=args.real_names).encode("utf-8")
            elif args.kind == "trial":
                from hrd_tui.services import trial_assessment

                data = trial_assessment.export_trial_markdown(session, args.ref, real_names=args.real_names).encode(
                    "utf-8"
                )
            elif args.kind == "case":
                from hrd_tui.services import case_export

                data = case_export.export_case_markdown(session, args.ref, real_names=args.real_names).encode("utf-8")
            elif args.kind == "contacts":
                from hrd_tui.services import contact_io

                write = contact_io.export_csv if args.format == "csv" else contact_io.export_vcard
                data = write(session, real_names=args.real_names).encode("utf-8")
            else:
                from hrd_tui.services.export import export_document

                doc = export_document(session, opened.header.vault_id)
                text = json.dumps(doc, ensure_ascii=False, indent=1)
                # JSON escapes C0 controls itself; C1 controls (8-bit CSI ...) it leaves raw.
                text = re.sub("[\x80-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)
                data = text.encode("utf-8") + b"\n"
    err(f"WARNING: this export is PLAIN TEXT. {KEEP_IT_SAFE}")
    if args.kind == "contacts" and args.real_names:
        err(
            "WARNING: --real-names: this file holds the real names, e-mail addresses, phone numbers and notes "
            "of the people in it; in the wrong hands it can endanger them."
        )
    elif args.kind == "contacts":
        err("codenames only: names, e-mail addresses, phone numbers and notes are left out (--real-names adds them).")
    elif args.kind in ("hearing", "trial") and args.real_names:
        err(
            "WARNING: --real-names: this report names every defendant as stored, whatever their naming consent; "
            "in the wrong hands it can endanger them."
        )
    elif args.kind in ("hearing", "trial"):
        err(
            "defendants are named only with their naming consent, in the text too; the others are replaced "
            "(--real-names names them all)."
        )
    elif args.kind == "case" and args.real_names:
        err(
            "WARNING: --real-names: this case summary names every defender and source as stored, whatever their "
            "naming consent; in the wrong hands it can endanger them."
        )
    elif args.kind == "case":
        err(
            "people are named only with their naming consent, in the text too; the others are replaced "
            "(--real-names names them all)."
        )
    if (
        args.kind in ("contacts", "hearing", "trial", "case")
        and (not args.output or args.output == "-")
        and sys.stdout.isatty()
    ):
        # Names are data, and data must not drive the terminal (ESC]52 writes the clipboard).
        from hrd_tui.sanitize import for_display

        data = for_display(data.decode("utf-8")).encode("utf-8")
        if args.kind == "contacts":  # a report never holds any: there is no other copy to offer
            err("shown with control characters removed: use -o FILE for an exact copy.")
    write_output(data, args.output)
    return 0


def _check_export_args(args: argparse.Namespace) -> None:
    if args.strip_metadata:
        raise UsageError("--strip-metadata is for 'hrd-tui export attachment ID -o FILE'.")
    if args.format is None:
        raise UsageError(
            "--format is needed: json (the whole vault), md (a record), csv or vcard (contacts); "
            "'export attachment ID -o FILE' takes none."
        )
    if args.kind == "contacts":
        if args.format not in ("csv", "vcard"):
            raise UsageError(
                "Export contacts as CSV or vCard: hrd-tui export contacts --format csv|vcard [--real-names]."
            )
        if args.ref:
            raise UsageError("'export contacts' exports every contact and takes no ID.")
        return
    if args.kind == "hearing":
        if args.format != "md" or not args.ref:
            raise UsageError(
                "Export a hearing report as Markdown: hrd-tui export hearing ID --format md [--real-names]."
            )
        return
    if args.kind == "trial":
        if args.format != "md" or not args.ref:
            raise UsageError("Export a trial report as Markdown: hrd-tui export trial ID --format md [--real-names].")
        return
    if args.kind == "case":
        if args.format != "md" or not args.ref:
            raise UsageError("Export a threat case as Markdown: hrd-tui export case ID --format md [--real-names].")
        return
    if args.real_names:
        raise UsageError(
            "--real-names is for 'hrd-tui export contacts', 'hrd-tui export hearing' and 'hrd-tui export case' only. "
            "A trial report ('hrd-tui export trial') takes it too."
        )
    if args.format in ("csv", "vcard"):
        raise UsageError("CSV and vCard are for contacts: hrd-tui export contacts --format csv|vcard.")
    if args.kind is None and args.format != "json":
        raise UsageError("The whole vault exports as JSON: use --format json.")
    if args.kind == "checklist" and (args.format != "md" or not args.ref):
        raise UsageError("Export a checklist run as Markdown: hrd-tui export checklist RUN --format md.")
