"""The command line: ``hrd-tui [--vault DIR] COMMAND``.

A passphrase never comes from argv (it would show in ``ps`` and shell
history): it is asked on the terminal, or read from ``--passphrase-file``
(``-`` for standard input) by scripts. Every failure is one line on stderr and
a documented exit code (errors.py); no traceback reaches the terminal, since a
traceback can carry vault data.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from hrd_tui import cli_lifecycle, paths
from hrd_tui.cli_common import ask_choice, err, new_passphrase, open_vault, out
from hrd_tui.errors import HrdError, UsageError

if TYPE_CHECKING:
    from hrd_tui.services.contact_io import ImportPlan

DEMO_PASSPHRASE = "demo"
DEBUG_ENV = "HRD_TUI_DEBUG"


# -- commands ------------------------------------------------------------------

def cmd_init(args: argparse.Namespace) -> int:
    from hrd_tui import vault

    vault_dir = paths.resolve_vault_dir(args.vault)
    if vault.exists(vault_dir):
        raise HrdError(f"A vault already exists at {vault_dir}.")
    passphrase = new_passphrase(args.passphrase_file)
    err("calibrating the key derivation for this machine (a few seconds)...")
    opened, recovery_code = vault.create(vault_dir, passphrase)
    with opened:
        err(f"created the vault at {vault_dir} ({opened.header.slot('passphrase').kdf_params().describe()}).")
        _show_recovery_code(recovery_code)
    return 0


def _show_recovery_code(code: str) -> None:
    err("RECOVERY CODE: shown this once only. Write it down and keep it apart from the workstation;")
    err("it opens the vault if the passphrase is lost. Anyone holding it can open the vault.")
    print(code, flush=True)


def cmd_demo(args: argparse.Namespace) -> int:
    from hrd_tui import demo, vault

    vault_dir = Path(args.vault).expanduser() if args.vault else paths.default_demo_dir()
    if vault.exists(vault_dir):
        opened = vault.unlock(vault_dir, vault.Secret(DEMO_PASSPHRASE))
        created = False
    else:
        err(f"creating a demo vault at {vault_dir} (fictional data; passphrase: {DEMO_PASSPHRASE})...")
        opened, _code = vault.create(vault_dir, DEMO_PASSPHRASE)
        created = True
    with opened:
        with opened.store.session("filling the demo vault") as session:
            filled = demo.populate(session)
    state = "created and filled" if created or filled else "already there; nothing added"
    print(f"Demo vault at {vault_dir}: {state}. Passphrase: {DEMO_PASSPHRASE}", flush=True)
    if args.create_only:
        return 0
    return _start_app(vault_dir)


def scrub_ui_environment(environ: dict[str, str] | os._Environ[str]) -> list[str]:
    """Turn off Textual's log file and devtools: they record every message,
    what is typed (the passphrase included) among them. Returns what was removed."""
    removed = []
    if environ.pop("TEXTUAL_LOG", None) is not None:
        removed.append("TEXTUAL_LOG")
    features = [f for f in environ.get("TEXTUAL", "").split(",") if f.strip()]
    kept = [f for f in features if f.strip() not in ("devtools", "debug")]
    if kept != features:
        removed.append("TEXTUAL=" + ",".join(sorted(set(features) - set(kept))))
        environ["TEXTUAL"] = ",".join(kept)
    return removed


def _start_app(vault_dir: Path) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("The app needs a terminal; for scripts use the commands (see hrd-tui --help).")
    for name in scrub_ui_environment(os.environ):
        err(f"warning: ignoring {name}: Textual's logging would record what is typed.")
    from hrd_tui.app import make_app  # Textual is imported only when the app starts

    make_app(vault_dir).run()
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    return _start_app(paths.resolve_vault_dir(args.vault))


def cmd_info(args: argparse.Namespace) -> int:
    from hrd_tui import keyslots, migrations, vault

    with open_vault(args, readonly=True) as opened:
        header = opened.header
        rows = [
            ("vault", str(opened.dir)),
            ("vault id", header.vault_id),
            ("created", header.created),
            ("header format", f"{keyslots.FORMAT} v{keyslots.FORMAT_VERSION}"),
            ("schema revision", f"{opened.schema_revision()} (this hrd-tui: {migrations.head_revision()})"
             + (": upgraded at the next writing open" if opened.needs_upgrade else "")),
        ]
        for slot in header.slots:
            kdf = slot.kdf_params().describe() if slot.type == "passphrase" else "HKDF-SHA256 (160-bit random code)"
            rows.append((f"key slot: {slot.type}", kdf))
        with opened.store.raw() as conn:
            rows.append(("sqlcipher", conn.execute("PRAGMA cipher_version").fetchone()[0]))
        for name, count in vault.count_rows(opened).items():
            rows.append((name, str(count)))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from hrd_tui.errors import CheckFailed

    with open_vault(args, readonly=True) as opened:
        problems = opened.check()
    if problems:
        for problem in problems[:50]:
            err(problem)
        raise CheckFailed(f"The vault failed its checks ({len(problems)} problem(s)). Restore a backup.")
    print("ok: cipher_integrity_check, integrity_check and foreign_key_check all pass")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    if args.new_recovery_code:
        if args.new_passphrase_file:
            raise UsageError("--new-recovery-code changes the recovery code only; change the passphrase apart.")
        with open_vault(args, readonly=False) as opened:
            code = opened.new_recovery_code()
            _show_recovery_code(code)
        err("The old recovery code no longer opens the vault (its key slot was overwritten).")
        return 0
    with open_vault(args, readonly=False) as opened:
        new = new_passphrase(args.new_passphrase_file)
        err("deriving the new key (a few seconds)...")
        note = opened.change_passphrase(new)
    print("The passphrase was changed. The old one no longer opens the vault.")
    if note:
        print(note)
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    from hrd_tui.cli_common import secret_from, unlock_secret

    secret = unlock_secret(args)
    if secret.kind != "passphrase":
        raise UsageError("rekey rewraps every slot: unlock with the passphrase, and give the recovery code with "
                         "--recovery-code-file (or --new-recovery-code).")
    if args.new_recovery_code and args.recovery_code_file:
        raise UsageError("Give the recovery code, or ask for a new one: not both.")
    if args.passphrase_file == "-" and args.recovery_code_file == "-":
        raise UsageError("Standard input can give one secret only: put the other in a file.")
    with open_vault(args, readonly=False, secret=secret) as opened:
        code = None if args.new_recovery_code else secret_from(args.recovery_code_file, "Recovery code: ")
        err("re-encrypting the vault under a new data key...")
        new_code = opened.rekey(secret.value, code)
        if new_code:
            _show_recovery_code(new_code)
    print("The vault was re-encrypted under a new data key; the passphrase and the "
          + ("new recovery code" if new_code else "recovery code") + " open it. Copies made before "
          "(hrd-tui backup DEST) keep the old key: destroy them if the old key was exposed.", flush=True)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    with open_vault(args, readonly=True) as opened:
        dest = opened.backup(Path(args.dest))
    print(f"Encrypted backup written and verified: {dest}")
    print("It opens with the passphrase (or recovery code) in force now: hrd-tui --vault DEST info")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    _check_export_args(args)
    with open_vault(args, readonly=True) as opened:
        if opened.needs_upgrade:
            raise HrdError("This vault uses an older schema: open it once with the app (or 'hrd-tui passwd') to upgrade it, then export.")
        with opened.store.session("exporting") as session:
            if args.ref:  # the id, or its start as reports cite it and the app shows it
                from hrd_tui.models import ChecklistRun, Hearing, ThreatCase
                from hrd_tui.services.base import resolve_id

                model = {"checklist": ChecklistRun, "hearing": Hearing, "case": ThreatCase}[args.kind]
                args.ref = resolve_id(session, model, args.ref, "ID")
            if args.kind == "checklist":
                from hrd_tui.services import checklists

                data = checklists.export_markdown(session, checklists.get_run(session, args.ref)).encode("utf-8")
            elif args.kind == "hearing":
                from hrd_tui.services import trials

                data = trials.export_hearing_markdown(session, args.ref, real_names=args.real_names).encode("utf-8")
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
    err("WARNING: this export is PLAIN TEXT. Keep it encrypted, never e-mail it, and delete it when done.")
    if args.kind == "contacts" and args.real_names:
        err("WARNING: --real-names: this file holds the real names, e-mail addresses, phone numbers and notes "
            "of the people in it; in the wrong hands it can endanger them.")
    elif args.kind == "contacts":
        err("codenames only: names, e-mail addresses, phone numbers and notes are left out (--real-names adds them).")
    elif args.kind == "hearing" and args.real_names:
        err("WARNING: --real-names: this report names every defendant as stored, whatever their naming consent; "
            "in the wrong hands it can endanger them.")
    elif args.kind == "hearing":
        err("defendants are named only with their naming consent, in the text too; the others are replaced "
            "(--real-names names them all).")
    elif args.kind == "case" and args.real_names:
        err("WARNING: --real-names: this case summary names every defender and source as stored, whatever their "
            "naming consent; in the wrong hands it can endanger them.")
    elif args.kind == "case":
        err("people are named only with their naming consent, in the text too; the others are replaced "
            "(--real-names names them all).")
    if args.kind in ("contacts", "hearing", "case") and (not args.output or args.output == "-") and sys.stdout.isatty():
        # Names are data, and data must not drive the terminal (ESC]52 writes the clipboard).
        from hrd_tui.sanitize import for_display

        data = for_display(data.decode("utf-8")).encode("utf-8")
        if args.kind == "contacts":  # a report never holds any: there is no other copy to offer
            err("shown with control characters removed: use -o FILE for an exact copy.")
    _write_output(data, args.output)
    return 0


def _check_export_args(args: argparse.Namespace) -> None:
    if args.kind == "contacts":
        if args.format not in ("csv", "vcard"):
            raise UsageError("Export contacts as CSV or vCard: hrd-tui export contacts --format csv|vcard [--real-names].")
        if args.ref:
            raise UsageError("'export contacts' exports every contact and takes no ID.")
        return
    if args.kind == "hearing":
        if args.format != "md" or not args.ref:
            raise UsageError("Export a hearing report as Markdown: hrd-tui export hearing ID --format md [--real-names].")
        return
    if args.kind == "case":
        if args.format != "md" or not args.ref:
            raise UsageError("Export a threat case as Markdown: hrd-tui export case ID --format md [--real-names].")
        return
    if args.real_names:
        raise UsageError("--real-names is for 'hrd-tui export contacts', 'hrd-tui export hearing' and "
                         "'hrd-tui export case' only.")
    if args.format in ("csv", "vcard"):
        raise UsageError("CSV and vCard are for contacts: hrd-tui export contacts --format csv|vcard.")
    if args.kind is None and args.format != "json":
        raise UsageError("The whole vault exports as JSON: use --format json.")
    if args.kind == "checklist" and (args.format != "md" or not args.ref):
        raise UsageError("Export a checklist run as Markdown: hrd-tui export checklist RUN --format md.")


def _write_output(data: bytes, output: str | None) -> None:
    """To FILE with mode 0600 (fsynced), or to standard output."""
    if not output or output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    out = Path(output)
    fd = paths.open_private_output(out)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        from hrd_tui.errors import from_os_error

        out.unlink(missing_ok=True)
        raise from_os_error(exc, "writing the export") from exc
    err(f"exported to {out} (mode 0600).")


REPORT_TYPES = ("regular", "crhrp", "tip", "irf")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _report_day(value: str, option: str):  # -> date
    from datetime import date

    try:
        if _ISO_DAY.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    from hrd_tui.services.base import no_such_day

    raise UsageError(f"{option} {no_such_day(value) or 'takes a date as YYYY-MM-DD (for example 2026-01-31)'}.")


def _report_args(args: argparse.Namespace):  # -> (ReportType, date, date)
    """Checked before the passphrase is asked: a mistake costs nothing."""
    from hrd_tui.errors import ValidationError
    from hrd_tui.services import reports
    from hrd_tui.vocab import ReportType

    if args.type not in REPORT_TYPES:
        raise UsageError(f"--type is one of {', '.join(REPORT_TYPES)}.")
    start, end = _report_day(args.start, "--from"), _report_day(args.end, "--to")
    try:
        reports.check_period(start, end)
    except ValidationError as exc:
        problems = "; ".join(f"--{name} " + re.sub(r"\bfrom\b", "--from", message) for name, message in exc.errors.items())
        raise UsageError(f"Bad period (--from {start}, --to {end}): {problems}.") from None
    return ReportType(args.type), start, end


def cmd_report(args: argparse.Namespace) -> int:
    report_type, start, end = _report_args(args)
    with open_vault(args, readonly=True) as opened:
        if opened.needs_upgrade:
            raise HrdError("This vault uses an older schema: open it once with the app (or 'hrd-tui passwd') to upgrade it, then report.")
        with opened.store.session("assembling the report") as session:
            from hrd_tui.services import reports

            data = reports.render_report(session, report_type, start, end, real_names=args.real_names).encode("utf-8")
    err("WARNING: this report is PLAIN TEXT. Keep it encrypted, never e-mail it, and delete it when done.")
    if args.real_names:
        err("WARNING: --real-names: this report names every person as stored, whatever their naming consent; "
            "in the wrong hands it can endanger them.")
    else:
        err("people are named only with their naming consent, in the text too; the others are described "
            "('a defender'); sensitive locations are left out (--real-names names everyone).")
    if (not args.output or args.output == "-") and sys.stdout.isatty():
        # Vault text must not drive the terminal (ESC]52 writes the clipboard).
        from hrd_tui.sanitize import for_display

        data = for_display(data.decode("utf-8")).encode("utf-8")
    _write_output(data, args.output)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    if args.kind == "contacts":
        return _import_contacts(args)
    if args.format or args.on_duplicate or args.yes:
        raise UsageError("--format, --on-duplicate and --yes are for 'hrd-tui import contacts' only.")
    try:
        text = Path(args.file).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HrdError(f"Cannot read {args.file}: {getattr(exc, 'strerror', None) or 'not UTF-8 text'}.") from None
    from hrd_tui.services import checklists, templates

    template = templates.parse(text, args.file)  # a broken file is refused before the passphrase is asked
    with open_vault(args, readonly=False) as opened:
        with opened.store.session("importing the checklist template") as session:
            row = checklists.store_template(session, template)
            from hrd_tui.sanitize import for_display, plural

            print(for_display(f"Imported checklist template '{row.id}' version {row.version}: {row.title} "
                              f"({plural(len(row.items), 'item')})."))
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
                    raise UsageError("Nothing was imported: there is no terminal to confirm on. "
                                     "Pass --yes to import (and --on-duplicate merge|skip).")
                if plan.duplicates and on_duplicate is None:
                    on_duplicate = ask_choice(
                        f"{len(plan.duplicates)} {plan.unit}(s) match existing contacts or earlier {plan.unit}s: "
                        "[m]erge their values into those contacts, or [s]kip them? [m/s] ", {"m": "merge", "s": "skip"})
                on_duplicate = on_duplicate or "skip"
                what = f"{len(plan.new)} new contact(s)"
                if plan.duplicates:
                    what += f", {'merging' if on_duplicate == 'merge' else 'skipping'} {len(plan.duplicates)} duplicate(s)"
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


# -- parser ----------------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    """argparse, minus the habit of echoing what was typed: a mistyped command
    line may hold a passphrase, which must not reach the terminal or a log."""

    def error(self, message: str) -> NoReturn:
        if "invalid choice" in message:
            message = "unknown command (see 'hrd-tui --help')"
        elif message.startswith("unrecognized arguments"):
            message = "unrecognized arguments (passphrases are never given on the command line; see --passphrase-file)"
        self.print_usage(sys.stderr)
        self.exit(2, f"hrd-tui: error: {message}\n")


def _global_options(parser: argparse.ArgumentParser, default: object) -> None:
    """The options every command takes, before the command or after it."""
    parser.add_argument("--vault", metavar="DIR", default=default,
                        help=f"the vault directory (default: ${paths.VAULT_ENV} or {paths.default_vault_dir()})")
    parser.add_argument("--passphrase-file", metavar="FILE", default=default,
                        help="read the passphrase from FILE ('-' for standard input) instead of asking")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hrd-tui",
        allow_abbrev=False,  # "--passphrase SECRET" must not pass as --passphrase-file
        description="A secure terminal workbench for Human Rights Officers. With no command, starts the app.",
        epilog="Passphrases are never taken from the command line. Exit codes are listed in the README.",
    )
    _global_options(parser, default=None)
    # The same options after the command too ("hrd-tui info --passphrase-file F"): there they
    # are left unset unless given (SUPPRESS), so a value given before the command stands.
    after = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    _global_options(after, default=argparse.SUPPRESS)
    parser.set_defaults(func=cmd_app)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, func: Callable[[argparse.Namespace], int], help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_, allow_abbrev=False, parents=[after])
        p.set_defaults(func=func)
        return p

    add("init", cmd_init, "create a new vault and print its recovery code once")
    demo = add("demo", cmd_demo, "create (or reuse) a demo vault with fictional data, passphrase 'demo', and open it")
    demo.add_argument("--create-only", action="store_true", help="only create and fill the demo vault")
    add("info", cmd_info, "show format, schema revision, KDF parameters and counts (no secret)")
    add("check", cmd_check, "verify every page's HMAC, the database's integrity and its foreign keys")
    passwd = add("passwd", cmd_passwd, "change the passphrase (the database is not re-encrypted)")
    passwd.add_argument("--new-passphrase-file", metavar="FILE", help="read the new passphrase from FILE ('-' for stdin)")
    passwd.add_argument("--recovery-file", metavar="FILE", help="unlock with the recovery code read from FILE")
    passwd.add_argument("--recovery", action="store_true", help="unlock with the recovery code, asked on the terminal")
    passwd.add_argument("--new-recovery-code", action="store_true",
                        help="instead: a new recovery code (printed once); the old one no longer opens the vault")
    rekey = add("rekey", cmd_rekey, "re-encrypt the database under a new random data key and rewrap every slot "
                "(needs the passphrase and the recovery code); refused while the app has the vault open")
    rekey.add_argument("--recovery-code-file", metavar="FILE", help="read the recovery code from FILE ('-' for stdin)")
    rekey.add_argument("--new-recovery-code", action="store_true",
                       help="issue a new recovery code (printed once) instead of keeping the current one")
    backup = add("backup", cmd_backup, "write a consistent, encrypted, verified copy of the vault to a new directory")
    backup.add_argument("dest", metavar="DEST", help="a directory that does not exist yet (or is empty)")
    export = add("export", cmd_export, "export the whole vault as JSON, one record (checklist RUN, hearing ID, case ID) as Markdown, "
                 "or the contacts as CSV or vCard (codenames only unless --real-names): plain text, an explicit act")
    export.add_argument("kind", nargs="?", choices=["checklist", "hearing", "case", "contacts"], help="what to export (default: the whole vault)")
    export.add_argument("ref", nargs="?", metavar="ID", help="the id of the checklist run, the hearing or the threat case "
                        "(or its start: the 8 characters reports cite and the app shows will do)")
    export.add_argument("--format", choices=["json", "md", "csv", "vcard"], required=True)
    export.add_argument("--real-names", action="store_true",
                        help="contacts: include names, e-mail addresses, phone numbers and notes (default: codenames only); "
                             "hearing: name every defendant, case: name every defender and source "
                             "(default: only those who consented to be named)")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (mode 0600) instead of standard output")
    report = add("report", cmd_report, "assemble a report draft for a period as Markdown (regular report, Country "
                 "Reports on Human Rights Practices, Trafficking in Persons, International Religious Freedom): "
                 "plain text, names only with consent unless --real-names")
    report.add_argument("--type", required=True, metavar="|".join(REPORT_TYPES), help="which report")
    report.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD", help="the period's first day")
    report.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD",
                        help="the period's last day (at most 400 days in all)")
    report.add_argument("--real-names", action="store_true",
                        help="name every person as stored (default: only those who consented to be named)")
    report.add_argument("-o", "--output", metavar="FILE", help="write to FILE (mode 0600) instead of standard output")
    imp = add("import", cmd_import, "import a file into the vault: 'import checklist FILE' adds your own checklist "
              "template; 'import contacts FILE' adds contacts from CSV or vCard, after a preview")
    imp.add_argument("kind", choices=["checklist", "contacts"])
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--format", choices=["csv", "vcard"], help="contacts: the file's format (default: from its name or content)")
    imp.add_argument("--on-duplicate", choices=["merge", "skip"],
                     help="contacts: merge a row that matches an existing contact into it, or skip it (asked, else skip)")
    imp.add_argument("--yes", action="store_true", help="contacts: import without asking (needed without a terminal)")
    cli_lifecycle.register(add)
    return parser


def main(argv: list[str] | None = None) -> int:
    paths.harden_process()
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except HrdError as exc:
        err(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        err("interrupted; nothing half-written was kept.")
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if os.environ.get(DEBUG_ENV) == "1":
            raise
        err(f"internal error ({type(exc).__name__}); details are not printed because they may hold vault data. "
            f"Run with {DEBUG_ENV}=1 to see them.")
        return 70


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
