"""'hrd-tui import contacts' and 'hrd-tui export contacts', run as a user or a script would."""

from __future__ import annotations

import os
import pty
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PASSPHRASE, frozen_settings, run_cli
from sqlmodel import select

from hrd_tui import vault
from hrd_tui.models import Contact

MARKER = "Qwertz Distinctive-Marker"


@pytest.fixture
def cli_vault(tmp_path: Path) -> Path:
    """A closed vault (made in-process: 'init' is tested in test_cli.py), for the program to open."""
    vault_dir = tmp_path / "v"
    opened, _code = vault.create(vault_dir, PASSPHRASE)
    opened.close()
    return vault_dir


def cli(vault_dir: Path, passfile: Path, *args: str, **kw) -> subprocess.CompletedProcess[str]:
    return run_cli("--vault", str(vault_dir), "--passphrase-file", str(passfile), *args, **kw)


def names(vault_dir: Path) -> list[str]:
    with vault.unlock(vault_dir, vault.Secret(PASSPHRASE), readonly=True) as opened, opened.store.session() as s:
        return sorted(s.exec(select(Contact.name)))


def assert_one_line_failure(result: subprocess.CompletedProcess[str], code: int, text: str) -> None:
    assert result.returncode == code, (result.returncode, result.stderr)
    assert text in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1


def write_csv(path: Path) -> Path:
    path.write_text(
        "codename,name,kind,email,notes\n"
        f"Heron-901,{MARKER},defender,marker@example.org,met in [bold]court[/bold]\n"
        ",Second Person,Lawyer,,\n"
        "Bad-3,Bad Kind,activist,,\n",
        encoding="utf-8",
    )
    return path


def test_import_with_yes_then_export_codenames_only_or_real_names(
    tmp_path: Path, cli_vault: Path, passfile: Path
) -> None:
    result = cli(cli_vault, passfile, "import", "contacts", str(write_csv(tmp_path / "people.csv")), "--yes")
    assert result.returncode == 0, result.stderr
    assert "3 rows: 2 new, 0 duplicates of existing contacts, 1 with errors" in result.stdout
    assert "row 4, kind: unknown value(s): activist" in result.stdout
    assert "never imported" in result.stdout
    assert (
        "Imported: 2 created, 0 merged into existing contacts, 0 duplicates skipped, 1 with errors not imported."
        in result.stdout
    )
    assert names(cli_vault)[0] == MARKER and len(names(cli_vault)) == 2

    redacted = tmp_path / "codenames.csv"
    result = cli(cli_vault, passfile, "export", "contacts", "--format", "csv", "-o", str(redacted))
    assert result.returncode == 0, result.stderr
    assert "PLAIN TEXT" in result.stderr and "codenames only" in result.stderr
    assert stat.S_IMODE(redacted.stat().st_mode) == 0o600
    text = redacted.read_text("utf-8")
    assert "Heron-901" in text and MARKER not in text and "marker@example.org" not in text

    vcf = tmp_path / "codenames.vcf"
    result = cli(cli_vault, passfile, "export", "contacts", "--format", "vcard", "-o", str(vcf))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(vcf.stat().st_mode) == 0o600
    assert "X-HRD-CODENAME:Heron-901" in vcf.read_text("utf-8") and MARKER not in vcf.read_text("utf-8")

    full = tmp_path / "full.csv"
    result = cli(cli_vault, passfile, "export", "contacts", "--format", "csv", "--real-names", "-o", str(full))
    assert result.returncode == 0, result.stderr
    assert "PLAIN TEXT" in result.stderr and "--real-names" in result.stderr and "real names" in result.stderr
    assert stat.S_IMODE(full.stat().st_mode) == 0o600
    assert (
        f"Heron-901,{MARKER},defender,,,,,,,,marker@example.org,,true,,,,met in [bold]court[/bold]\r\n"
        in full.read_bytes().decode("utf-8")
    )

    # The full export back in, merging: every row is a duplicate by codename, nothing is created.
    result = cli(cli_vault, passfile, "import", "contacts", str(full), "--yes", "--on-duplicate", "merge")
    assert result.returncode == 0, result.stderr
    assert "duplicates contact Heron-901 (same codename)" in result.stdout, result.stdout
    assert "Imported: 0 created, 2 merged" in result.stdout
    assert len(names(cli_vault)) == 2


def test_without_a_terminal_and_without_yes_nothing_is_written(tmp_path: Path, cli_vault: Path, passfile: Path) -> None:
    result = cli(cli_vault, passfile, "import", "contacts", str(write_csv(tmp_path / "people.csv")), input="")
    assert_one_line_failure(result, 2, "Nothing was imported: there is no terminal to confirm on. Pass --yes")
    assert "3 rows: 2 new" in result.stdout  # the preview is still shown: a dry run
    assert names(cli_vault) == []


def test_a_bad_file_is_one_line_before_the_vault_is_opened(tmp_path: Path) -> None:
    # No vault there: had the vault been opened (or the passphrase asked) first, this would exit 4.
    cli_vault = tmp_path / "no-vault-here"
    unknown = tmp_path / "people.csv"
    unknown.write_text("codename,name,colour\nA,B,red\n")
    result = run_cli("--vault", str(cli_vault), "import", "contacts", str(unknown), "--yes", input="")
    assert_one_line_failure(result, 11, f"{unknown}: Unknown column(s): colour.")
    binary = tmp_path / "people.vcf"
    binary.write_bytes(b"BEGIN:VCARD\r\nFN:\xff\xfe\r\nEND:VCARD\r\n")
    result = run_cli("--vault", str(cli_vault), "import", "contacts", str(binary), "--yes", input="")
    assert_one_line_failure(result, 11, f"{binary} is not UTF-8 text")


def test_argument_combinations_are_checked(tmp_path: Path, passfile: Path) -> None:
    result = cli(tmp_path / "v", passfile, "export", "--format", "csv")
    assert_one_line_failure(result, 2, "CSV and vCard are for contacts: hrd-tui export contacts --format csv|vcard.")


def run_on_terminal(args: list[str], answers: str) -> tuple[int, str, str]:
    """The real program with a terminal on standard input (a pty), typing ``answers``."""
    master, slave = pty.openpty()
    try:
        env = {**os.environ, **frozen_settings()}
        env.pop("HRD_TUI_DEBUG", None)
        proc = subprocess.Popen(
            [sys.executable, "-P", "-m", "hrd_tui", *args],
            stdin=slave,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        os.write(master, answers.encode())
        out, err = proc.communicate(timeout=60)
        return proc.returncode, out, err
    finally:
        os.close(slave)
        os.close(master)


def test_on_a_terminal_it_asks_before_writing(tmp_path: Path, cli_vault: Path, passfile: Path) -> None:
    base = ["--vault", str(cli_vault), "--passphrase-file", str(passfile), "import", "contacts"]
    people = write_csv(tmp_path / "people.csv")
    code, out, err = run_on_terminal([*base, str(people)], "n\n")
    assert code == 0 and "Import 2 new contact(s)? [y/N]" in err and "Nothing was imported." in out, (out, err)
    assert names(cli_vault) == []
    assert run_on_terminal([*base, str(people)], "y\n")[0] == 0
    again = tmp_path / "again.csv"
    again.write_text("name,role\nsecond  person,counsel\n")
    code, out, err = run_on_terminal([*base, str(again)], "m\ny\n")
    assert code == 0, (out, err)
    assert "[m]erge their values into those contacts, or [s]kip them?" in err
    assert "Import 0 new contact(s), merging 1 duplicate(s)? [y/N]" in err
    assert "1 merged" in out
    with vault.unlock(cli_vault, vault.Secret(PASSPHRASE), readonly=True) as opened, opened.store.session() as s:
        assert s.exec(select(Contact.role).where(Contact.name == "second  person")).one() == "counsel"


def test_export_to_a_terminal_sends_no_control_sequence(cli_vault: Path, passfile: Path) -> None:
    from hrd_tui.services import base

    with vault.unlock(cli_vault, vault.Secret(PASSPHRASE)) as opened, opened.store.session() as s:
        # Stored as is (an older vault may hold it; input now drops the override): the terminal must cope.
        base.create(s, Contact, {"name": "clip\x1b]52;c;ZXZpbA==\x07 \u202eboard \x9b31m", "codename": "Evil-1"})
    master, slave = pty.openpty()
    env = {**os.environ, **frozen_settings()}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-P",
            "-m",
            "hrd_tui",
            "--vault",
            str(cli_vault),
            "--passphrase-file",
            str(passfile),
            "export",
            "contacts",
            "--format",
            "csv",
            "--real-names",
        ],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the program closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    err = proc.communicate(timeout=60)[1].decode()
    shown = b"".join(chunks).decode("utf-8")
    assert proc.returncode == 0, err
    assert "Evil-1,clip]52;c;ZXZpbA== <RLO>board 31m" in shown
    assert "\x1b" not in shown and "\x9b" not in shown and "\x07" not in shown
    assert "control characters removed" in err
