"""The table of commands: each command's name, its help, the function that adds
its arguments, and where the function that runs it lives ("module:function").

The parser is built from this table alone, so ``hrd-tui --help``, every
``hrd-tui COMMAND --help`` and an argument error import no command module (nor
the vault or Textual that a command imports when it runs): only the command
that runs is imported (hrd_tui.cli.main). Keep this module free of imports
beyond argparse and typing (a dataclass would import inspect and ast: 5 ms on --help).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import NamedTuple

#: Where the commands live: hrd_tui.cli.<module>.
PACKAGE = "hrd_tui.cli"

#: Run when no command is given: the app.
DEFAULT_TARGET = "start:cmd_app"

REPORT_TYPES = ("regular", "crhrp", "tip", "irf")


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    """A command that takes the global options only."""


class Command(NamedTuple):
    name: str
    target: str  # "module:function" in hrd_tui.cli, imported only when the command runs
    help: str
    arguments: Callable[[argparse.ArgumentParser], None] = _no_arguments


# -- each command's arguments ---------------------------------------------------------


def _demo(p: argparse.ArgumentParser) -> None:
    p.add_argument("--create-only", action="store_true", help="only create and fill the demo vault")


def _passwd(p: argparse.ArgumentParser) -> None:
    p.add_argument("--new-passphrase-file", metavar="FILE", help="read the new passphrase from FILE ('-' for stdin)")
    p.add_argument("--recovery-file", metavar="FILE", help="unlock with the recovery code read from FILE")
    p.add_argument("--recovery", action="store_true", help="unlock with the recovery code, asked on the terminal")
    p.add_argument(
        "--new-recovery-code",
        action="store_true",
        help="instead: a new recovery code (printed once); the old one no longer opens the vault",
    )


def _rekey(p: argparse.ArgumentParser) -> None:
    p.add_argument("--recovery-code-file", metavar="FILE", help="read the recovery code from FILE ('-' for stdin)")
    p.add_argument(
        "--new-recovery-code",
        action="store_true",
        help="issue a new recovery code (printed once) instead of keeping the current one",
    )


def _backup(p: argparse.ArgumentParser) -> None:
    p.add_argument("dest", metavar="DEST", help="a directory that does not exist yet (or is empty)")


def _export(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "kind",
        nargs="?",
        choices=["checklist", "hearing", "trial", "case", "contacts", "attachment"],
        help="what to export (default: the whole vault)",
    )
    p.add_argument(
        "ref",
        nargs="?",
        metavar="ID",
        help="the id of the checklist run, the hearing, the trial or the threat case "
        "(or its start: the 8 characters reports cite and the app shows will do); or the attachment",
    )
    p.add_argument(
        "--format", choices=["json", "md", "csv", "vcard"], help="the format (needed by all but 'export attachment')"
    )
    p.add_argument(
        "--real-names",
        action="store_true",
        help="contacts: include names, e-mail addresses, phone numbers and notes (default: codenames only); "
        "hearing and trial: name every defendant, case: name every defender and source "
        "(default: only those who consented to be named)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (mode 0600) instead of standard output")
    p.add_argument(
        "--strip-metadata",
        action="store_true",
        help="attachment: without the metadata that identifies a person or place (EXIF GPS, device, owner; "
        "a PDF's author and creator): the file is re-encoded, so its SHA-256 differs",
    )


def _report(p: argparse.ArgumentParser) -> None:
    p.add_argument("--type", required=True, metavar="|".join(REPORT_TYPES), help="which report")
    p.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD", help="the period's first day")
    p.add_argument(
        "--to", dest="end", required=True, metavar="YYYY-MM-DD", help="the period's last day (at most 400 days in all)"
    )
    p.add_argument(
        "--real-names",
        action="store_true",
        help="name every person as stored (default: only those who consented to be named)",
    )
    p.add_argument(
        "--layout",
        metavar="KEY",
        help="crhrp, tip, irf: the layout (edition) to follow (default: the newest; 'hrd-tui layout list')",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (mode 0600) instead of standard output")


def _layout(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["list", "show", "import", "retire", "reinstate"])
    p.add_argument(
        "item", nargs="?", metavar="FILE|KEY", help="import: the TOML file; show, retire, reinstate: the key"
    )
    p.add_argument("--replace", action="store_true", help="import: correct the post's layout of the same id")
    p.add_argument("--on", metavar="YYYY-MM-DD", help="retire: the day it is retired (default: today)")


def _import(p: argparse.ArgumentParser) -> None:
    p.add_argument("kind", choices=["checklist", "contacts"])
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--format", choices=["csv", "vcard"], help="contacts: the file's format (default: from its name or content)"
    )
    p.add_argument(
        "--on-duplicate",
        choices=["merge", "skip"],
        help="contacts: merge a row that matches an existing contact into it, or skip it (asked, else skip)",
    )
    p.add_argument("--yes", action="store_true", help="contacts: import without asking (needed without a terminal)")


def _handover(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["export", "import"])
    p.add_argument("file", metavar="FILE")
    p.add_argument("--contacts", action="append", metavar="CODENAMES", help="export: these contacts (comma-separated)")
    p.add_argument("--cases", action="append", metavar="IDS", help="export: these threat cases, with what they need")
    p.add_argument("--trials", action="append", metavar="IDS", help="export: these trials, with their hearings")
    p.add_argument(
        "--bundle-passphrase-file",
        metavar="FILE",
        help="import: read the bundle's passphrase from FILE ('-' for stdin) instead of asking",
    )
    p.add_argument("--prefer", choices=["mine", "theirs"], help="import: which side wins every conflict")
    p.add_argument("--yes", action="store_true", help="import without asking (needed without a terminal)")


def _resource(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["list", "show", "add", "edit", "retire", "reinstate"])
    p.add_argument("id", nargs="?", metavar="ID", help="show, edit, retire, reinstate: the resource (its id's start)")
    p.add_argument("--retired", action="store_true", help="list: the retired ones too")
    p.add_argument("--name", help="add, edit: the resource's name")
    p.add_argument("--kind", help="add, edit: national-protection-mechanism, lawyer, shelter, local-fund, ...")
    p.add_argument("--offers", dest="funds", metavar="TEXT", help="add, edit: what it offers ('-': read from stdin)")
    p.add_argument("--eligibility", metavar="TEXT", help="add, edit: who it helps ('-': read from stdin)")
    p.add_argument(
        "--how-to-refer", metavar="TEXT", help="add, edit: how to refer someone to it ('-': read from stdin)"
    )
    p.add_argument("--url", help="add, edit: its public web address")
    p.add_argument(
        "--contact-notes",
        metavar="TEXT",
        help="add, edit: how to reach it (kept in the vault only; '-': read from stdin)",
    )
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="add, edit: when what it says was last checked ('' clears)")
    p.add_argument("--on", metavar="YYYY-MM-DD", help="retire: the day it is retired (default: today)")


def _accountability(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["list", "add", "edit", "delete", "count"])
    p.add_argument("step_id", nargs="?", metavar="STEP", help="edit, delete: the step (its id's start, as listed)")
    p.add_argument("--case", metavar="ID", help="list, add: the threat case")
    p.add_argument("--observation", metavar="ID", help="list, add: the civic-space observation")
    p.add_argument(
        "--step",
        help="add, edit: complaint_filed, investigation_opened, charged, convicted, remedy, closed_without_result",
    )
    p.add_argument("--on", metavar="YYYY-MM-DD", help="add, edit: the day of the step (default: today); count: as of")
    p.add_argument(
        "--source",
        metavar="TEXT",
        help="add, edit: who says so (a court registry, the lawyer ...; '-': read from stdin)",
    )
    p.add_argument("--note", metavar="TEXT", help="add, edit: a note ('-': read from stdin)")
    p.add_argument("--days", type=int, metavar="N", help="count: days after which an attack counts (default: 30)")
    p.add_argument("--open-only", action="store_true", help="count: as Today, without closed cases or closed steps")
    p.add_argument("--yes", action="store_true", help="delete without asking (needed without a terminal)")


def _demarche(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["list", "log", "edit", "delete"])
    p.add_argument("interaction", nargs="?", metavar="INTERACTION", help="edit, delete: its id's start, as listed")
    p.add_argument("--case", action="append", metavar="ID", help="the threat case (id, title words or a codename)")
    p.add_argument("--trial", action="append", metavar="ID", help="the trial (id, case number or title words)")
    p.add_argument("--official", metavar="CODENAME", help="log, edit: the official met")
    p.add_argument("--message", metavar="TEXT", help="log, edit: the message delivered ('-': read from stdin)")
    p.add_argument("--response", metavar="TEXT", help="log, edit: the official's response ('-': read from stdin)")
    p.add_argument("--summary", metavar="TEXT", help="log, edit: a note on the meeting ('-': read from stdin)")
    p.add_argument("--others", metavar="CODENAMES", help="log, edit: others present (comma-separated)")
    p.add_argument("--when", metavar="'YYYY-MM-DD HH:MM'", help="log, edit: when, local time (default: now)")
    p.add_argument("--where", metavar="TEXT", help="log, edit: where (sensitive: never in reports)")
    p.add_argument("--where-not-sensitive", action="store_true", help="with --where: it may appear in reports")
    p.add_argument("--follow-up", metavar="TEXT", help="log: a follow-up to do, with --due")
    p.add_argument("--due", metavar="YYYY-MM-DD", help="log: when the follow-up is due")
    p.add_argument("--yes", action="store_true", help="delete without asking (needed without a terminal)")


def _attach(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "file",
        metavar="FILE",
        help="the file to keep (a regular file, within attachment_max_mib); '-': read it from standard input "
        "(with --name and --passphrase-file FILE), so a decrypted file need never be written to disk",
    )
    p.add_argument("--name", metavar="NAME", help="with FILE '-': the file's original name")
    p.add_argument(
        "--to",
        required=True,
        metavar="KIND:ID",
        help="what it belongs to: contact, case, trial, hearing or observation, and its id's start (case:1a2b3c4d)",
    )
    p.add_argument(
        "--note", metavar="TEXT", help="a note on the file (where it came from, what it shows; '-': read from stdin)"
    )


def _attachments(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", nargs="?", choices=["list", "delete"], default="list", help="list (the default) or delete")
    p.add_argument("id", nargs="?", metavar="ID", help="delete: the attachment (its id's start, as listed)")
    p.add_argument("--to", metavar="KIND:ID", help="list: the attachments of one record only (case:1a2b3c4d)")
    p.add_argument("--deleted", action="store_true", help="list: the deleted ones too (kept until a purge)")
    p.add_argument(
        "--real-names",
        action="store_true",
        help="list: show every original file name (default: one that names a contact is shown as [name hidden])",
    )
    p.add_argument("--yes", action="store_true", help="delete without asking (needed without a terminal)")


def _purge(p: argparse.ArgumentParser) -> None:
    p.add_argument("--older-than", type=int, required=True, metavar="DAYS")
    p.add_argument("--yes", action="store_true", help="purge without asking (needed without a terminal)")


def _wipe(p: argparse.ArgumentParser) -> None:
    p.add_argument("--yes", action="store_true", help="wipe without asking (for a panic script)")


def _wipe_after(p: argparse.ArgumentParser) -> None:
    p.add_argument("limit", metavar="N|off")


def _bind_workstation(p: argparse.ArgumentParser) -> None:
    p.add_argument("state", choices=["on", "off"])


def _referral(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["list", "add", "stage"])
    p.add_argument("ref", nargs="?", metavar="ID", help="add: the threat case; stage: the referral (its id's start)")
    p.add_argument("stage", nargs="?", metavar="STAGE", help="stage: the mechanism's stage (data/mechanisms.toml)")
    p.add_argument("--case", metavar="ID", help="list: one threat case's referrals")
    p.add_argument("--resource", metavar="ID", help="add: the resource (as 'hrd-tui resource list' shows it)")
    p.add_argument(
        "--purpose",
        metavar="PURPOSE",
        help="add: legal_fees, relocation, ..., or a mechanism: un_communication, oecd_specific_instance, "
        "dfc_iam_complaint, fta_submission",
    )
    p.add_argument(
        "--shares", metavar="ITEMS", help="add: what it passes on (comma-separated: identity, case_facts...)"
    )
    p.add_argument("--sent", action="store_true", help="add: it was sent (the consent gate applies)")
    p.add_argument(
        "--on", metavar="YYYY-MM-DD", help="add --sent: the day sent; stage: the day reached (default: today)"
    )


def _plan(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", nargs="?", choices=["set", "reset"], help="change one item (default: list them all)")
    p.add_argument("item", nargs="?", metavar="ITEM", help="the planned action, as template:item (as listed)")
    p.add_argument("--owner", metavar="WHO", help="set: who does it, by role ('' keeps the app's suggestion)")
    p.add_argument(
        "--due-days", metavar="N", help="set: due N days after the case opens, 0 to 3650 ('' keeps the suggestion)"
    )


# -- the table, in the order --help lists the commands -----------------------------------

COMMANDS: tuple[Command, ...] = (
    Command("init", "vault:cmd_init", "create a new vault and print its recovery code once"),
    Command(
        "demo",
        "start:cmd_demo",
        "create (or reuse) a demo vault with fictional data, passphrase 'demo', and open it",
        _demo,
    ),
    Command("info", "vault:cmd_info", "show format, schema revision, KDF parameters and counts (no secret)"),
    Command(
        "check",
        "vault:cmd_check",
        "verify every page's HMAC, the database's integrity and its foreign keys, and every attachment "
        "against its SHA-256",
    ),
    Command("passwd", "keys:cmd_passwd", "change the passphrase (the database is not re-encrypted)", _passwd),
    Command(
        "rekey",
        "keys:cmd_rekey",
        "re-encrypt the database under a new random data key and rewrap every slot "
        "(needs the passphrase and the recovery code); refused while the app has the vault open",
        _rekey,
    ),
    Command(
        "backup",
        "vault:cmd_backup",
        "write a consistent, encrypted, verified copy of the vault to a new directory",
        _backup,
    ),
    Command(
        "export",
        "export:cmd_export",
        "export the whole vault as JSON, one record (checklist RUN, hearing ID, "
        "case ID) as Markdown, the contacts as CSV or vCard (codenames only unless --real-names), or an "
        "attachment (ID -o FILE [--strip-metadata]): plain, an explicit act",
        _export,
    ),
    Command(
        "report",
        "report:cmd_report",
        "assemble a report draft for a period as Markdown (regular report, Country "
        "Reports on Human Rights Practices, Trafficking in Persons, International Religious Freedom): "
        "plain text, names only with consent unless --real-names",
        _report,
    ),
    Command(
        "layout",
        "layout:cmd_layout",
        "the report layouts (one per report and edition): 'layout list', 'layout show KEY' prints one's TOML, "
        "'layout import FILE' adds the post's own for a new edition, 'layout retire KEY' / 'layout reinstate KEY'",
        _layout,
    ),
    Command(
        "import",
        "importing:cmd_import",
        "import a file into the vault: 'import checklist FILE' adds your own "
        "checklist template; 'import contacts FILE' adds contacts from CSV or vCard, after a preview",
        _import,
    ),
    Command(
        "handover",
        "handover:cmd_handover",
        "move records between officers' vaults in an encrypted bundle: 'handover export FILE' writes the "
        "whole vault (or --contacts/--cases/--trials) and prints the bundle's passphrase once; "
        "'handover import FILE' merges one in, conflicts chosen one by one",
        _handover,
    ),
    Command(
        "resource",
        "resources:cmd_resource",
        "the protection resources, shipped and the post's own: 'resource list', 'resource show ID', "
        "'resource add --name ...', 'resource edit ID', 'resource retire ID' / 'resource reinstate ID'",
        _resource,
    ),
    Command(
        "plan",
        "plan:cmd_plan",
        "the owners and due days new threat cases plan their actions with: the app's suggestions "
        "(the guidelines give none) or the post's own ('plan set ITEM --owner WHO --due-days N', 'plan reset ITEM')",
        _plan,
    ),
    Command(
        "accountability",
        "accountability:cmd_accountability",
        "what happened after an attack: 'list --case ID' (or --observation ID), 'add ... --step STEP --source TEXT', "
        "'edit STEP', 'delete STEP', and 'count': the attacks without an investigation after N days",
        _accountability,
    ),
    Command(
        "demarche",
        "demarche:cmd_demarche",
        "démarches and meetings with officials about a case or a trial: 'list --case ID' (or --trial ID), "
        "'log --case ID --official CODENAME --message TEXT [--response TEXT]', 'edit INTERACTION', "
        "'delete INTERACTION'",
        _demarche,
    ),
    Command(
        "attach",
        "attachments:cmd_attach",
        "keep an evidence file (encrypted in the vault) with a contact, case, trial, hearing or observation: "
        "'attach FILE --to case:ID [--note TEXT]' prints its id, its SHA-256 and the metadata found in it",
        _attach,
    ),
    Command(
        "attachments",
        "attachments:cmd_attachments",
        "list the evidence files ('attachments [--to KIND:ID] [--deleted]'), or 'attachments delete ID' "
        "(the record and hash are kept until a purge); 'export attachment ID -o FILE' writes one out",
        _attachments,
    ),
    Command(
        "purge",
        "purge:cmd_purge",
        "remove for good the earlier versions, deleted records and deleted attachments older than DAYS "
        "(the history rule keeps them until then)",
        _purge,
    ),
    Command(
        "wipe",
        "wipe:cmd_wipe",
        "EMERGENCY: destroy the vault for good (key slots first, then the keyring secret, then the files); "
        "no passphrase needed; asks to type WIPE unless --yes",
        _wipe,
    ),
    Command(
        "wipe-after",
        "wipe:cmd_wipe_after",
        "wipe the vault after N failed unlocks in a row (3 to 20), or 'off' (the default)",
        _wipe_after,
    ),
    Command(
        "bind-workstation",
        "keys:cmd_bind_workstation",
        "on: the passphrase opens this vault only together with a secret in this workstation's keyring "
        "(the recovery code still opens it anywhere); off: the passphrase alone again",
        _bind_workstation,
    ),
    Command(
        "referral",
        "referral:cmd_referral",
        "referrals, and the stages of those to a mechanism: 'referral list [--case ID]', "
        "'referral add CASE --resource ID --purpose PURPOSE [--shares ITEMS] [--sent]', "
        "'referral stage REFERRAL STAGE [--on DAY]' (moves it on, or corrects it back)",
        _referral,
    ),
)
