"""The real program, run as a user or a script would: messages, exit codes, files."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PASSPHRASE, run_cli

from hrd_tui import keyslots, vault
from hrd_tui.errors import UnlockFailed

WRITER = Path(__file__).parent.parent / "helpers" / "writer.py"


@pytest.fixture
def cli_vault(tmp_path: Path, passfile: Path) -> Path:
    vault_dir = tmp_path / "v"
    result = run_cli("--vault", str(vault_dir), "--passphrase-file", str(passfile), "init")
    assert result.returncode == 0, result.stderr
    return vault_dir


def cli(vault_dir: Path, passfile: Path | str, *args: str, **kw) -> subprocess.CompletedProcess[str]:
    return run_cli("--vault", str(vault_dir), "--passphrase-file", str(passfile), *args, **kw)


def assert_clean_failure(result: subprocess.CompletedProcess[str], code: int, text: str) -> None:
    assert result.returncode == code, (result.returncode, result.stderr)
    assert text in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) <= 2


def test_init_prints_the_recovery_code_once_and_the_vault_is_private(tmp_path: Path, passfile: Path) -> None:
    result = run_cli("--vault", str(tmp_path / "v"), "--passphrase-file", str(passfile), "init")
    assert result.returncode == 0
    code = result.stdout.strip()
    assert len(code) == 39 and code.count("-") == 7
    assert "RECOVERY CODE" in result.stderr and "once" in result.stderr
    assert stat.S_IMODE((tmp_path / "v").stat().st_mode) == 0o700
    with vault.unlock(tmp_path / "v", vault.Secret(code, kind="recovery")):
        pass


def test_init_refuses_a_weak_passphrase_and_an_existing_vault(tmp_path: Path, cli_vault: Path, passfile: Path) -> None:
    weak = tmp_path / "weak"
    weak.write_text("abc\n")
    assert_clean_failure(run_cli("--vault", str(tmp_path / "w"), "--passphrase-file", str(weak), "init"), 2, "too weak")
    assert not (tmp_path / "w" / vault.HEADER_NAME).exists()
    assert_clean_failure(cli(cli_vault, passfile, "init"), 1, "already exists")


def test_passphrase_is_never_accepted_in_argv() -> None:
    result = run_cli("--passphrase", PASSPHRASE, "info")
    assert result.returncode == 2
    assert PASSPHRASE not in result.stderr  # argparse would echo it back
    result = run_cli("info", PASSPHRASE)
    assert result.returncode == 2 and PASSPHRASE not in result.stderr
    assert "unrecognized arguments" in result.stderr
    assert run_cli("--pass", PASSPHRASE, "info").returncode == 2  # no abbreviations either
    assert "--passphrase " not in run_cli("--help").stdout


def test_no_terminal_and_no_passphrase_file_is_a_clear_error(cli_vault: Path) -> None:
    result = run_cli("--vault", str(cli_vault), "info", input="")
    assert_clean_failure(result, 2, "--passphrase-file")


def test_info_shows_kdf_schema_and_counts_but_no_secret(cli_vault: Path, passfile: Path) -> None:
    result = cli(cli_vault, passfile, "info")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Argon2id t=1 m=8 KiB p=1 (TEST PARAMETERS: insecure)" in out
    assert "schema revision" in out and "contacts" in out and "trial_notes" in out
    assert PASSPHRASE not in out + result.stderr


def test_the_global_options_go_before_or_after_the_command(tmp_path: Path, cli_vault: Path, passfile: Path) -> None:
    """Issue 16: 'hrd-tui info --passphrase-file F' was refused as if a passphrase were on the command line."""
    after = run_cli("info", "--vault", str(cli_vault), "--passphrase-file", str(passfile))
    assert after.returncode == 0, after.stderr
    assert after.stdout == run_cli("--vault", str(cli_vault), "--passphrase-file", str(passfile), "info").stdout
    mixed = run_cli("--vault", str(cli_vault), "check", "--passphrase-file", str(passfile))
    assert mixed.returncode == 0 and mixed.stdout.startswith("ok"), mixed.stderr
    # After the command, a value given there wins over one given before it.
    assert (
        run_cli(
            "--vault", str(tmp_path / "none"), "info", "--vault", str(cli_vault), "--passphrase-file", str(passfile)
        ).returncode
        == 0
    )
    refused = run_cli("info", "--passphrase", PASSPHRASE)  # still never a passphrase itself
    assert refused.returncode == 2 and PASSPHRASE not in refused.stderr + refused.stdout


def test_passphrase_from_stdin(cli_vault: Path) -> None:
    result = run_cli("--vault", str(cli_vault), "--passphrase-file", "-", "check", input=PASSPHRASE + "\n")
    assert result.returncode == 0 and result.stdout.startswith("ok")


def test_wrong_passphrase_one_line_exit_3(tmp_path: Path, cli_vault: Path) -> None:
    bad = tmp_path / "bad"
    bad.write_text("definitely not it\n")
    assert_clean_failure(cli(cli_vault, bad, "info"), UnlockFailed.exit_code, UnlockFailed.MESSAGE)


def test_missing_vault_exit_4(tmp_path: Path, passfile: Path) -> None:
    assert_clean_failure(cli(tmp_path / "nothing", passfile, "info"), 4, "No vault at")


def test_damaged_header_and_corrupt_database_exit_5(cli_vault: Path, passfile: Path) -> None:
    header = cli_vault / vault.HEADER_NAME
    original = header.read_bytes()
    # Both copies of the key slots (one damaged area alone is a torn write: the other opens)
    damaged = b"".join(
        b"garbage" + original[i : i + keyslots.AREA_SIZE][7:] for i in range(0, len(original), keyslots.AREA_SIZE)
    )
    header.write_bytes(damaged)
    assert_clean_failure(cli(cli_vault, passfile, "info"), 5, "header is damaged")
    header.write_bytes(original)
    db = cli_vault / vault.DB_NAME
    data = bytearray(db.read_bytes())
    data[4096 * 3 + 100 : 4096 * 3 + 200] = os.urandom(100)  # damage a page in the middle
    db.write_bytes(bytes(data))
    result = cli(cli_vault, passfile, "check")
    assert result.returncode in (5, 10), result.stderr
    assert "Traceback" not in result.stderr


def test_second_writer_gets_a_clear_message_exit_6(tmp_path: Path, cli_vault: Path, passfile: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, str(WRITER), str(cli_vault), str(passfile), "loop"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        new = tmp_path / "new"
        new.write_text("another long passphrase here\n")
        result = cli(cli_vault, passfile, "passwd", "--new-passphrase-file", str(new))
        assert_clean_failure(result, 6, f"another hrd-tui process (pid {holder.pid})")
        # Readers still work while the app writes: check and backup.
        # The raw page check is left out while another process writes: its reads beside SQLite's locks met
        # pages a checkpoint was rewriting, and called a sound vault damaged (CI, 2026-12-03).
        checks = [cli(cli_vault, passfile, "check") for _ in range(3)]
        for result in checks:
            assert result.returncode == 0, result.stderr
            assert "Another hrd-tui process is writing to this vault" in result.stdout
        assert cli(cli_vault, passfile, "backup", str(tmp_path / "bk")).returncode == 0
    finally:
        holder.kill()
        holder.wait()
    final = cli(tmp_path / "bk", passfile, "check")
    assert final.returncode == 0 and "cipher_integrity_check, integrity_check" in final.stdout


def test_passwd_then_old_fails_and_recovery_still_opens(tmp_path: Path, passfile: Path) -> None:
    init = run_cli("--vault", str(tmp_path / "v"), "--passphrase-file", str(passfile), "init")
    code_file = tmp_path / "code"
    code_file.write_text(init.stdout.strip() + "\n")
    new = tmp_path / "new"
    new.write_text("a much better passphrase 2026\n")
    result = cli(tmp_path / "v", passfile, "passwd", "--new-passphrase-file", str(new))
    assert result.returncode == 0, result.stderr
    assert cli(tmp_path / "v", passfile, "info").returncode == 3
    assert cli(tmp_path / "v", new, "info").returncode == 0
    newer = tmp_path / "newer"
    newer.write_text("recovered with the code 2026\n")
    result = run_cli(
        "--vault", str(tmp_path / "v"), "passwd", "--recovery-file", str(code_file), "--new-passphrase-file", str(newer)
    )
    assert result.returncode == 0, result.stderr
    assert cli(tmp_path / "v", newer, "check").returncode == 0


def test_export_json_is_private_shaped_and_warned_about(tmp_path: Path, passfile: Path) -> None:
    demo_dir = tmp_path / "demo"
    assert run_cli("--vault", str(demo_dir), "demo", "--create-only").returncode == 0
    demo_pass = tmp_path / "demo-pass"
    demo_pass.write_text("demo\n")
    out = tmp_path / "export.json"
    result = cli(demo_dir, demo_pass, "export", "--format", "json", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "PLAIN TEXT" in result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    doc = json.loads(out.read_text())
    assert doc["format"] == "hrd-tui-export" and doc["version"] == 1
    for key in (
        "contacts",
        "threat_cases",
        "trials",
        "hearings",
        "trial_notes",
        "checklist_runs",
        "civic_observations",
        "reports",
    ):
        assert doc[key], key
    contact = doc["contacts"][0]
    assert {"id", "name", "codename", "kind"} <= set(contact)
    stdout = cli(demo_dir, demo_pass, "export", "--format", "json")
    assert json.loads(stdout.stdout)["contacts"] == doc["contacts"]


def test_demo_is_idempotent_and_separate_from_the_default_vault(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path)}
    first = run_cli("demo", "--create-only", env=env)
    second = run_cli("demo", "--create-only", env=env)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "already there; nothing added" in second.stdout
    demo_dir = tmp_path / "xdg" / "hrd-tui" / "demo"
    assert (demo_dir / vault.HEADER_NAME).exists()
    assert not (tmp_path / "xdg" / "hrd-tui" / "vault").exists()
    pw = tmp_path / "pw"
    pw.write_text("demo\n")
    info = cli(demo_dir, pw, "info")
    counts = dict(
        line.split(None, 1)
        for line in info.stdout.splitlines()
        if line.split(None, 1)[0] in {"contacts", "threat_cases"}
    )
    assert int(counts["contacts"]) == 12 and int(counts["threat_cases"]) == 4


def test_the_app_without_a_terminal_explains_itself(tmp_path: Path) -> None:
    result = run_cli("--vault", str(tmp_path / "v"))
    assert result.returncode == 2 and "needs a terminal" in result.stderr
    assert "Traceback" not in result.stderr


def test_growing_delay_applies_across_processes(tmp_path: Path, cli_vault: Path, passfile: Path) -> None:
    bad = tmp_path / "bad"
    bad.write_text("wrong wrong wrong\n")
    for _ in range(4):
        assert cli(cli_vault, bad, "info").returncode == 3
    assert vault.failure_count(cli_vault) == 4
    start = time.monotonic()
    assert cli(cli_vault, passfile, "info").returncode == 0
    assert time.monotonic() - start >= vault._delay_for(4) * 0.5  # waited before trying
    assert vault.failure_count(cli_vault) == 0


def test_textual_logging_is_turned_off_before_the_app_starts() -> None:
    from hrd_tui.cli.start import scrub_ui_environment

    env = {"TEXTUAL_LOG": "/tmp/textual.log", "TEXTUAL": "devtools,debug", "OTHER": "x"}
    assert scrub_ui_environment(env) == ["TEXTUAL_LOG", "TEXTUAL=debug,devtools"]
    assert env == {"TEXTUAL": "", "OTHER": "x"}
    assert scrub_ui_environment({"TEXTUAL": ""}) == []


TEMPLATE = """schema = 1
id = "prison-visit"
version = 1
title = "Prison visit"
section = "II"

[[item]]
id = "permission"
text = "Ask for permission"
guidance = "In writing."
"""


def test_import_a_checklist_template_then_export_a_run(tmp_path: Path, cli_vault: Path, passfile: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(TEMPLATE.replace('id = "permission"\n', ""))
    result = cli(cli_vault, passfile, "import", "checklist", str(broken))
    assert_clean_failure(result, 11, f"{broken}:7: item 1: 'id' is missing or empty")
    good = tmp_path / "visit.toml"
    good.write_text(TEMPLATE)
    result = cli(cli_vault, passfile, "import", "checklist", str(good))
    assert result.returncode == 0 and "Imported checklist template 'prison-visit' version 1" in result.stdout
    with vault.unlock(cli_vault, vault.Secret(PASSPHRASE)) as v, v.store.session() as s:
        from hrd_tui.services import checklists

        run_id = checklists.start_run(s, "prison-visit").id
    out = tmp_path / "run.md"
    result = cli(cli_vault, passfile, "export", "checklist", run_id, "--format", "md", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text().startswith("# Prison visit") and "1. [ ] Ask for permission (open)" in out.read_text()
    assert_clean_failure(cli(cli_vault, passfile, "export", "checklist", "--format", "md"), 2, "export checklist RUN")
