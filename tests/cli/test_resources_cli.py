"""'hrd-tui resource', run as an officer would: the post's own resources added, corrected,
retired and reinstated beside the shipped list, which stays read-only; a mistake is one
clear line (exit 2 before the passphrase, 11 for a refused value) and keeps nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import PASSPHRASE, run_cli

from hrd_tui import vault


@pytest.fixture
def closed_vault(tmp_path: Path) -> Path:
    vault_dir = tmp_path / "v"
    opened, _code = vault.create(vault_dir, PASSPHRASE)
    opened.close()
    return vault_dir


def cli(vault_dir: Path, passfile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("--vault", str(vault_dir), "--passphrase-file", str(passfile), "resource", *args)


def test_add_edit_retire_and_reinstate_the_posts_own(closed_vault: Path, passfile: Path) -> None:
    added = cli(
        closed_vault,
        passfile,
        "add",
        "--name",
        "National Protection Programme",
        "--kind",
        "national-protection-mechanism",
        "--offers",
        "Escorts and hotlines.",
        "--contact-notes",
        "Duty officer via the ministry switchboard.",
        "--as-of",
        "2026-11-01",
    )
    assert added.returncode == 0, added.stderr
    assert (
        "National Protection Programme  (post's own; National protection mechanism; as of 2026-11-01)" in added.stdout
    )
    short = added.stdout.split()[0]
    assert short.startswith("post-")

    listed = cli(closed_vault, passfile, "list")
    assert (
        "lifeline  Lifeline Embattled CSO Assistance Fund  (shipped; Emergency fund; as of 2026-12-03)" in listed.stdout
    )
    assert "usaid-civil-society  USAID civil society support  (shipped; Fund or assistance programme; as of" in (
        listed.stdout
    )
    assert f"{short}  National Protection Programme  (post's own;" in listed.stdout
    assert "Duty officer" not in listed.stdout  # contact notes only with 'show'

    edited = cli(closed_vault, passfile, "edit", short, "--eligibility", "Defenders registered with the programme.")
    assert edited.returncode == 0, edited.stderr
    shown = cli(closed_vault, passfile, "show", short)
    assert "Eligible: Defenders registered with the programme." in shown.stdout
    assert "Contact notes: Duty officer via the ministry switchboard." in shown.stdout

    retired = cli(closed_vault, passfile, "retire", short, "--on", "2026-11-30")
    assert "retired on 2026-11-30" in retired.stdout, retired.stderr
    assert short not in cli(closed_vault, passfile, "list").stdout
    assert f"{short}  National Protection Programme" in cli(closed_vault, passfile, "list", "--retired").stdout
    back = cli(closed_vault, passfile, "reinstate", short)
    assert back.returncode == 0 and "retired" not in back.stdout


def test_mistakes_are_one_line_and_the_shipped_list_is_read_only(closed_vault: Path, passfile: Path) -> None:
    usage = cli(closed_vault, passfile, "edit", "lifeline")
    assert usage.returncode == 2 and "needs at least one of --name" in usage.stderr
    shipped = cli(closed_vault, passfile, "edit", "lifeline", "--name", "Ours now")
    assert shipped.returncode == 11 and "a shipped resource is read-only" in shipped.stderr
    assert len(shipped.stderr.strip().splitlines()) == 1
    kind = cli(closed_vault, passfile, "add", "--name", "Bank", "--kind", "bank")
    assert kind.returncode == 11 and "'bank' is not a kind of resource" in kind.stderr
    missing = cli(closed_vault, passfile, "show", "post-0000")
    assert missing.returncode == 12


def test_contact_notes_read_from_stdin_stay_out_of_argv(closed_vault: Path, passfile: Path) -> None:
    """'-' reads the text from standard input: a lawyer's number never sits in ps or the
    shell's history. Only one text per command, and never beside a passphrase read there."""
    notes = "Call Ms. Oduya on +1 555 0100 after 6 pm."
    added = run_cli(
        "--vault",
        str(closed_vault),
        "--passphrase-file",
        str(passfile),
        "resource",
        "add",
        "--name",
        "Trusted lawyer",
        "--contact-notes",
        "-",
        input=notes + "\n",
    )
    assert added.returncode == 0, added.stderr
    shown = cli(closed_vault, passfile, "show", added.stdout.split()[0])
    assert f"Contact notes: {notes}" in shown.stdout
    both = run_cli(
        "--vault",
        str(closed_vault),
        "--passphrase-file",
        "-",
        "resource",
        "add",
        "--name",
        "X",
        "--contact-notes",
        "-",
        input=PASSPHRASE + "\n",
    )
    assert both.returncode == 2 and "cannot both come from standard input" in both.stderr
    two = cli(closed_vault, passfile, "add", "--name", "X", "--offers", "-", "--contact-notes", "-")
    assert two.returncode == 2 and "only one text" in two.stderr
