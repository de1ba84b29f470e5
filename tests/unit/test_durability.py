"""Crash consistency, disk full, and no plaintext at rest: real processes, real files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import PASSPHRASE, find_markers, frozen_settings, run_cli
from sqlmodel import func, select

from hrd_tui import vault
from hrd_tui.models import Contact, ContactFocusArea, InteractionParticipant, SecureChannel
from hrd_tui.services import contacts, trials
from hrd_tui.vault import Secret

WRITER = Path(__file__).parent.parent / "helpers" / "writer.py"


def start_writer(
    vault_dir: Path, passfile: Path, mode: str, marker: str = "CRASHTEST", env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(vault_dir), str(passfile), mode, marker],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **frozen_settings(), **(env or {})},
    )


def assert_consistent(vault_dir: Path) -> int:
    """integrity checks clean, and every committed action complete (all or nothing)."""
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as v:
        assert v.check() == []
        with v.store.session() as s:
            people = s.exec(select(Contact)).all()
            for c in people:
                assert (
                    s.exec(
                        select(func.count()).select_from(ContactFocusArea).where(ContactFocusArea.contact_id == c.id)
                    ).one()
                    == 2
                )
                assert (
                    s.exec(
                        select(func.count()).select_from(SecureChannel).where(SecureChannel.contact_id == c.id)
                    ).one()
                    == 1
                )
                assert (
                    s.exec(
                        select(func.count())
                        .select_from(InteractionParticipant)
                        .where(InteractionParticipant.contact_id == c.id)
                    ).one()
                    == 1
                )
                assert c.last_contact_on is not None
            return len(people)


def test_repeated_kill_9_leaves_a_sound_vault(vault_dir: Path, opened: vault.Vault, passfile: Path) -> None:
    opened.close()
    total = 0
    for round_ in range(6):
        proc = start_writer(vault_dir, passfile, "loop")
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(0.05 + 0.07 * round_)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        count = assert_consistent(vault_dir)
        assert count >= total + 1
        total = count


def test_disk_full_gives_a_clear_error_and_the_vault_still_opens(
    vault_dir: Path, opened: vault.Vault, passfile: Path
) -> None:
    with opened.store.session() as s:
        contacts.create_contact(s, {"name": "Before the disk filled"})
    opened.close()
    proc = start_writer(vault_dir, passfile, "fill")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 7, (out, err)
    assert out.startswith("StorageFull: The disk is full"), out
    assert "Traceback" not in err
    with vault.unlock(vault_dir, Secret(PASSPHRASE)) as v:
        assert v.check() == []
        with v.store.session() as s:
            assert "Before the disk filled" in {c.name for c in contacts.list_contacts(s)}


MARKERS = ["ZEBRA-MARKER-7731", "Маркер-Ёж-4410", "马克标记九九", "MARKER-in-a-note"]


def test_no_plaintext_anywhere_after_a_session(
    tmp_path: Path, vault_dir: Path, opened: vault.Vault, passfile: Path
) -> None:
    """Requirement 1: create, edit, delete, search, backup, check, and a kill -9; then grep every byte."""
    tmpdir = tmp_path / "tmpdir"
    tmpdir.mkdir()
    with opened.store.session() as s:
        for m in MARKERS:
            c = contacts.create_contact(s, {"name": m, "organisation": m, "notes": m})
            contacts.update_contact(s, c, {"role": m + " role"})
        gone = contacts.create_contact(s, {"name": MARKERS[0] + " deleted"})
        contacts.delete_contact(s, gone)
        trial = trials.create_trial(s, {"title": MARKERS[1]})
        hearing = trials.add_hearing(s, trial, {"starts_at": "2026-06-01T09:30:00Z"})
        trials.add_note(s, hearing, "q: " + MARKERS[3])
    with opened.store.session() as s:
        assert contacts.list_contacts(s, MARKERS[0])
    opened.close()
    env = {"TMPDIR": str(tmpdir)}
    assert (
        run_cli(
            "--vault", str(vault_dir), "--passphrase-file", str(passfile), "backup", str(tmp_path / "bk"), env=env
        ).returncode
        == 0
    )
    assert run_cli("--vault", str(vault_dir), "--passphrase-file", str(passfile), "check", env=env).returncode == 0
    proc = start_writer(vault_dir, passfile, "loop", marker=MARKERS[2], env=env)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert find_markers([vault_dir, tmp_path / "bk", tmpdir], MARKERS) == []
    assert find_markers([vault_dir], ["SQLite format 3"]) == []
