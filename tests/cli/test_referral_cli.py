"""'hrd-tui referral', run as an officer would (issue 19, part C): a specific instance at
an OECD NCP recorded as sent (behind the consent gate), moved through its stages and
corrected back, listed with its stage; a stage of another mechanism is refused in one
line (exit 11), a mistake in the command line before the passphrase is asked (exit 2).
(Money asked of a mechanism is refused by the same service: tests/unit/test_mechanisms.py.)"""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

from conftest import FROZEN_DAY, PASSPHRASE, run_cli

from hrd_tui import vault
from hrd_tui.services import contacts, threats


def cli(vault_dir: Path, passfile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("--vault", str(vault_dir), "--passphrase-file", str(passfile), "referral", *args)


def test_record_move_correct_and_list_a_mechanism_referral(tmp_path: Path, passfile: Path) -> None:
    vault_dir = tmp_path / "v"
    opened, _ = vault.create(vault_dir, PASSPHRASE)
    with opened.store.session() as s:
        who = contacts.create_contact(s, {"name": "Ana Field", "codename": "Lark-3"})
        contacts.record_consent(
            s,
            who,
            {
                "scope": "referral",
                "value": "granted",
                "resource_ids": ["oecd-ncp"],
                "shared": ["case_facts"],
                "given_on": FROZEN_DAY - timedelta(days=60),
            },
        )
        case_id = threats.open_case(s, {"title": "Mine", "opened_on": FROZEN_DAY}, [who], [], plan=False).id
    opened.close()
    sent_on = (FROZEN_DAY - timedelta(days=40)).isoformat()

    added = cli(
        vault_dir,
        passfile,
        "add",
        case_id[:8],
        "--resource",
        "oecd-ncp",
        "--purpose",
        "oecd_specific_instance",
        "--shares",
        "case_facts",
        "--sent",
        "--on",
        sent_on,
    )
    assert added.returncode == 0, added.stderr
    assert f"OECD National Contact Points: Specific instance at an OECD NCP (sent; sent {sent_on}; stage " in (
        added.stdout
    )
    ref = added.stdout.split()[0]
    wrong = cli(vault_dir, passfile, "stage", ref, "eligibility")
    assert wrong.returncode == 11 and "is not a stage of a specific instance at an oecd ncp" in wrong.stderr
    moved = cli(vault_dir, passfile, "stage", ref, "good_offices")
    assert moved.returncode == 0, moved.stderr
    back = cli(vault_dir, passfile, "stage", ref, "initial_assessment", "--on", sent_on)
    assert back.returncode == 0, back.stderr
    listed = cli(vault_dir, passfile, "list", "--case", case_id[:8])
    assert listed.returncode == 0, listed.stderr
    assert "stage 'Initial assessment (whether the issues merit further examination)' since " + sent_on in (
        listed.stdout
    )
    assert "check by " in listed.stdout and "LATE" not in listed.stdout
    assert cli(vault_dir, passfile, "stage", ref).returncode == 2  # no stage named
    with vault.unlock(vault_dir, vault.Secret(PASSPHRASE)) as opened, opened.store.session() as s:
        texts = [e.text for e in threats.timeline(s, case_id)]
    assert any("stage corrected back to 'Initial assessment" in t for t in texts)
    assert any("stage moved on to 'Good offices" in t for t in texts)
