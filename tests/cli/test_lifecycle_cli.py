"""'hrd-tui handover' and 'hrd-tui purge' run as an officer (or a script) would: a
bundle from one vault merged into another with its passphrase from a file; a wrong
passphrase and a truncated bundle refused in one line with nothing imported; the
history purged on request only."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path

from conftest import PASSPHRASE, run_cli
from sqlalchemy import text
from sqlmodel import select

from hrd_tui import vault
from hrd_tui.models import Contact, RecordVersion, utcnow
from hrd_tui.services import contacts


def _vault(path: Path, *people: str) -> Path:
    opened, _ = vault.create(path, PASSPHRASE)
    with opened, opened.store.session() as s:
        for name in people:
            contacts.create_contact(s, {"name": name})
    return path


def _names(path: Path) -> list[str]:
    with vault.unlock(path, vault.Secret(PASSPHRASE)) as opened, opened.store.session() as s:
        return sorted(c.name for c in s.exec(select(Contact)))


def test_a_handover_between_two_vaults(tmp_path: Path, passfile: Path) -> None:
    sender = _vault(tmp_path / "a", "Ана Петрова", "Émile Zola-Ndiaye")
    receiver = _vault(tmp_path / "b", "Kept Here")
    bundle = tmp_path / "handover.bundle"
    out = run_cli("--vault", str(sender), "--passphrase-file", str(passfile), "handover", "export", str(bundle))
    assert out.returncode == 0, out.stderr
    passphrase = out.stdout.strip()
    assert len(passphrase) >= 32 and "BUNDLE PASSPHRASE" in out.stderr
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o600
    assert "Петрова".encode() not in bundle.read_bytes() and b"Zola" not in bundle.read_bytes()
    again = run_cli("--vault", str(sender), "--passphrase-file", str(passfile), "handover", "export", str(bundle))
    assert again.returncode == 2 and "never written over" in again.stderr

    wrong = tmp_path / "wrong"
    wrong.write_text("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH\n")
    refused = run_cli(
        "--vault",
        str(receiver),
        "--passphrase-file",
        str(passfile),
        "handover",
        "import",
        str(bundle),
        "--bundle-passphrase-file",
        str(wrong),
        "--yes",
    )
    assert refused.returncode != 0 and "Traceback" not in refused.stderr and len(refused.stderr.splitlines()) == 1
    cut = tmp_path / "cut.bundle"
    cut.write_bytes(bundle.read_bytes()[:-7])
    right = tmp_path / "right"
    right.write_text(passphrase + "\n")
    truncated = run_cli(
        "--vault",
        str(receiver),
        "--passphrase-file",
        str(passfile),
        "handover",
        "import",
        str(cut),
        "--bundle-passphrase-file",
        str(right),
        "--yes",
    )
    assert truncated.returncode != 0 and "truncated" in truncated.stderr
    assert _names(receiver) == ["Kept Here"]  # nothing imported by either

    dry = run_cli(
        "--vault",
        str(receiver),
        "--passphrase-file",
        str(passfile),
        "handover",
        "import",
        str(bundle),
        "--bundle-passphrase-file",
        str(right),
    )
    assert dry.returncode == 2 and "Nothing was imported" in dry.stderr
    done = run_cli(
        "--vault",
        str(receiver),
        "--passphrase-file",
        str(passfile),
        "handover",
        "import",
        str(bundle),
        "--bundle-passphrase-file",
        str(right),
        "--yes",
    )
    assert done.returncode == 0, done.stderr
    assert _names(receiver) == ["Kept Here", "Émile Zola-Ndiaye", "Ана Петрова"]
    twice = run_cli(
        "--vault",
        str(receiver),
        "--passphrase-file",
        str(passfile),
        "handover",
        "import",
        str(bundle),
        "--bundle-passphrase-file",
        str(right),
        "--yes",
    )
    assert twice.returncode == 0 and "Nothing to import" in twice.stdout


def test_purge_asks_and_removes_only_what_is_old(tmp_path: Path, passfile: Path) -> None:
    path = _vault(tmp_path / "v", "First")
    with vault.unlock(path, vault.Secret(PASSPHRASE)) as opened, opened.store.session() as s:
        person = s.exec(select(Contact)).one()
        contacts.update_contact(s, person, {"name": "Second"})
        contacts.update_contact(s, person, {"name": "Third"})
        first = s.exec(select(RecordVersion).order_by(RecordVersion.id)).first()
        s.connection().execute(
            text("UPDATE record_version SET changed_at = :t WHERE id = :i"),
            {"t": utcnow() - timedelta(days=40), "i": first.id},
        )
    no_terminal = run_cli("--vault", str(path), "--passphrase-file", str(passfile), "purge", "--older-than", "30")
    assert no_terminal.returncode == 2 and "Nothing was purged" in no_terminal.stderr
    done = run_cli("--vault", str(path), "--passphrase-file", str(passfile), "purge", "--older-than", "30", "--yes")
    assert done.returncode == 0 and "Purged 1 earlier version(s) and 0 deleted record(s)." in done.stdout
    with vault.unlock(path, vault.Secret(PASSPHRASE)) as opened, opened.store.session() as s:
        assert [v.data["name"] for v in s.exec(select(RecordVersion))] == ["Second"]
    bad = run_cli("--vault", str(path), "--passphrase-file", str(passfile), "purge", "--older-than", "-1", "--yes")
    assert bad.returncode == 2


def test_wipe_asks_then_leaves_nothing_that_opens(tmp_path: Path, passfile: Path) -> None:
    path = _vault(tmp_path / "v", "Ana Núñez")
    refused = run_cli("--vault", str(path), "wipe")
    assert refused.returncode == 2 and "Nothing was wiped" in refused.stderr and path.exists()
    done = run_cli("--vault", str(path), "wipe", "--yes")
    assert done.returncode == 0, done.stderr
    assert not (path / vault.HEADER_NAME).exists() and not (path / vault.DB_NAME).exists()
    after = run_cli("--vault", str(path), "--passphrase-file", str(passfile), "info")
    assert after.returncode == 4 and "Traceback" not in after.stderr


def test_wipe_after_three_failed_unlocks(tmp_path: Path, passfile: Path) -> None:
    path = _vault(tmp_path / "v", "Ana Núñez")
    bad = run_cli("--vault", str(path), "--passphrase-file", str(passfile), "wipe-after", "2")
    assert bad.returncode == 11 and "3" in bad.stderr
    on = run_cli("--vault", str(path), "--passphrase-file", str(passfile), "wipe-after", "3")
    assert on.returncode == 0 and "wipe" in on.stdout.lower()
    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase\n")
    first = run_cli("--vault", str(path), "--passphrase-file", str(wrong), "info")
    assert first.returncode == 3 and "2 attempts left" in first.stderr
    run_cli("--vault", str(path), "--passphrase-file", str(wrong), "info")
    third = run_cli("--vault", str(path), "--passphrase-file", str(wrong), "info")
    assert third.returncode == 4 and "wiped" in third.stderr.lower()
    assert not (path / vault.DB_NAME).exists()


def test_wipe_after_refuses_the_number_before_asking_for_the_passphrase(tmp_path: Path) -> None:
    """Issue 22: 'wipe-after 21' asked for the passphrase, then refused the number."""
    path = _vault(tmp_path / "v", "Ana Núñez")
    for limit in ("21", "2", "0"):
        asked = run_cli("--vault", str(path), "wipe-after", limit)  # no terminal: asking would fail
        assert asked.returncode == 11, asked.stderr
        assert "from 3 to 20" in asked.stderr and "passphrase" not in asked.stderr.lower()
    typo = run_cli("--vault", str(path), "--passphrase-file", "-", "wipe-after", "21", input="a typo\n")
    assert typo.returncode == 11 and "from 3 to 20" in typo.stderr  # never read, so never a failed unlock
    assert vault.failure_count(path) == 0


def test_binding_without_a_keyring_says_so_and_changes_nothing(tmp_path: Path, passfile: Path) -> None:
    path = _vault(tmp_path / "v", "Ana Núñez")
    header = (path / vault.HEADER_NAME).read_bytes()
    out = run_cli(
        "--vault",
        str(path),
        "--passphrase-file",
        str(passfile),
        "bind-workstation",
        "on",
        env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )
    assert out.returncode == 1 and len(out.stderr.strip().splitlines()) == 1 and "keyring" in out.stderr.lower()
    assert (path / vault.HEADER_NAME).read_bytes() == header
    assert _names(path) == ["Ana Núñez"]
