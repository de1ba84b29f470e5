"""What the command modules share: one-line messages, asking for secrets and
answers, opening the vault, showing a recovery code, writing an output file.

Cheap to import: the vault (SQLAlchemy, SQLCipher, Alembic, cryptography) is
imported inside the functions that open it, so ``hrd-tui --help`` and argument
errors never load it.
"""

from __future__ import annotations

import argparse
import getpass
import math
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from hrd_tui import paths
from hrd_tui.errors import HrdError, UsageError
from hrd_tui.sanitize import for_display

if TYPE_CHECKING:
    from datetime import date

    from hrd_tui.vault import Secret, Vault


def err(message: str) -> None:
    """One line on stderr. Messages can quote file contents: never a control sequence."""
    print(f"hrd-tui: {for_display(message)}", file=sys.stderr, flush=True)


def out(line: str) -> None:
    """One line on stdout, control characters removed (it may hold vault text)."""
    print(for_display(line, single_line=True), flush=True)


# -- texts from standard input ----------------------------------------------------

#: The longest text read from standard input for one option (the services refuse longer
#: fields anyway; this keeps a runaway pipe from filling the memory first).
MAX_STDIN_TEXT = 1_000_000


def texts_from_stdin(args: argparse.Namespace, fields: dict[str, object], names: tuple[str, ...]) -> None:
    """A text option given as '-' is read from standard input, so what it holds (a message to
    a ministry, a lawyer's number) stays out of argv, ``ps`` and the shell's history. At most
    one per command, and not when the passphrase is read from standard input too."""
    asked = [name for name in names if fields.get(name) == "-"]
    if not asked:
        return
    if len(asked) > 1:
        raise UsageError("only one text can be read from standard input ('-').")
    if getattr(args, "passphrase_file", None) == "-":
        raise UsageError(
            "the passphrase and a text cannot both come from standard input: put the passphrase in a file."
        )
    text = sys.stdin.read(MAX_STDIN_TEXT + 1)
    if len(text) > MAX_STDIN_TEXT:
        raise UsageError(f"the text read from standard input is longer than {MAX_STDIN_TEXT:,} characters.")
    fields[asked[0]] = text.strip()


# -- secrets and answers ----------------------------------------------------------


def ask(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise UsageError(
            "No terminal to ask for the passphrase on: use --passphrase-file FILE (or - for standard input)."
        )
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise UsageError("No passphrase given.") from None


def secret_from(file_arg: str | None, prompt: str) -> str:
    value = paths.read_secret_file(file_arg) if file_arg else ask(prompt)
    if not value:
        raise UsageError("The passphrase is empty.")
    return value


def new_passphrase(file_arg: str | None) -> str:
    from hrd_tui.passphrase import estimate

    if file_arg:
        value = paths.read_secret_file(file_arg)
    else:
        value = ask("New passphrase: ")
        if ask("Repeat the new passphrase: ") != value:
            raise UsageError("The two passphrases differ; nothing was changed.")
    strength = estimate(value)
    if not strength.acceptable:
        raise UsageError(f"That passphrase is too weak: {strength.reason}. Nothing was changed.")
    if strength.label == "weak":
        err(f"warning: weak passphrase ({strength.reason}).")
    return value


def unlock_secret(args: argparse.Namespace) -> Secret:
    from hrd_tui.vault import Secret

    recovery_file = getattr(args, "recovery_file", None)
    if recovery_file or getattr(args, "recovery", False):
        return Secret(secret_from(recovery_file, "Recovery code: "), kind="recovery")
    return Secret(secret_from(args.passphrase_file, "Passphrase: "))


def ask_choice(prompt: str, answers: dict[str, str]) -> str:
    """One of ``answers`` from the terminal; asks again (three times at most) on anything else."""
    for _ in range(3):
        print(prompt, end="", file=sys.stderr, flush=True)
        line = sys.stdin.readline()
        if not line:
            break  # end of input
        answer = line.strip().lower()[:1]
        if answer in answers:
            return answers[answer]
    raise UsageError("No answer given; nothing was imported.")


def confirmed(yes: bool, question: str, nothing: str) -> bool:
    """--yes, or "y" typed at the terminal to ``question``; a script without --yes is refused
    (there is nobody to ask), an answer other than "y" says ``nothing`` ("Nothing was deleted")."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError(f"{nothing}: there is no terminal to confirm on. Pass --yes.")
    if ask_choice(question, {"y": "yes", "n": "no", "": "no"}) != "yes":
        out(f"{nothing}.")
        return False
    return True


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def day_option(value: str, option: str) -> date:
    """A date given to ``option`` as YYYY-MM-DD, or one clear line on what is wrong with it
    (February 30 named as such), before the passphrase is asked."""
    from datetime import date

    try:
        if _ISO_DAY.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    from hrd_tui.services.base import no_such_day

    raise UsageError(f"{option} {no_such_day(value) or 'takes a date as YYYY-MM-DD (for example 2026-01-31)'}.")


# -- the vault --------------------------------------------------------------------


def open_vault(args: argparse.Namespace, *, readonly: bool, secret: Secret | None = None) -> Vault:
    """The vault at --vault, unlocked with ``secret`` or with the one asked for now.
    No vault, or a damaged header, fails before the passphrase is asked."""
    import hrd_tui.services  # noqa: F401 - registers what every vault holds (hrd_tui.vault_hooks)
    from hrd_tui import vault

    vault_dir = paths.resolve_vault_dir(args.vault)
    vault.read_header(vault_dir)
    secret = secret or unlock_secret(args)
    delay = vault.unlock_delay(vault_dir)
    if delay >= 1:  # never "waiting 0 s": a shorter wait passes unannounced
        err(f"too many failed attempts: waiting {math.ceil(delay)} s before trying.")
    opened = vault.unlock(vault_dir, secret, readonly=readonly)
    for warning in opened.warnings:
        err(f"warning: {warning}")
    if opened.migrated_from:
        err(
            f"the vault was upgraded from schema {opened.migrated_from} (an encrypted backup is in {vault_dir / vault.BACKUPS_NAME})."
        )
    return opened


def require_current_schema(opened: Vault, then: str) -> None:
    """A vault opened read-only with an older schema lacks the newer tables (it is upgraded
    at its next writing open): say so, and what to do, rather than fail on a missing table."""
    if opened.needs_upgrade:
        raise HrdError(
            f"This vault uses an older schema: open it once with the app (or 'hrd-tui passwd') to upgrade it, then {then}."
        )


# -- what a command prints or writes ------------------------------------------------


def show_recovery_code(code: str) -> None:
    err("RECOVERY CODE: shown this once only. Write it down and keep it apart from the workstation;")
    err("it opens the vault if the passphrase is lost. Anyone holding it can open the vault.")
    print(code, flush=True)


def write_output(data: bytes, output: str | None) -> None:
    """To FILE with mode 0600 (fsynced), or to standard output."""
    if not output or output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    out = Path(output)
    paths.write_private_file(out, data)  # 0600, fsynced, a partial file removed
    err(f"exported to {out} (mode 0600).")
