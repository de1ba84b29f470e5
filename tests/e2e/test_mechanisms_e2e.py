"""A mechanism referral's stage moved over a real terminal (issue 19, part C): the
installed hrd-tui in tmux, the referral opened from its case, the stage picked from its
list, the day it was reached typed and the save key sent, all in one ``send-keys``
burst (a choice that changes the form, then typing, as a stalled link delivers them);
read back through the vault once the program is closed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from helpers.tmux import closed, needs_tmux, program, screen, send, terminal, unlock, wait_for, wait_until
from sqlmodel import select

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.models import Referral
from hrd_tui.services import contacts, threats

pytestmark = needs_tmux


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    vault_dir = tmp_path / "vault"
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    today = wallclock.today()
    with opened, opened.store.session("test data") as s:
        ana = contacts.create_contact(s, {"name": "Ana Núñez", "codename": "Heron-101"})
        contacts.record_consent(
            s,
            ana,
            {
                "scope": "referral",
                "value": "granted",
                "resource_ids": ["oecd-ncp"],
                "shared": ["case_facts"],
                "given_on": today - timedelta(days=40),
            },
        )
        case = threats.open_case(s, {"title": "Mine near the river", "opened_on": today}, [ana], plan=False)
        threats.add_referral(
            s,
            case,
            {
                "resource_id": "oecd-ncp",
                "purpose": "oecd_specific_instance",
                "shared": ["case_facts"],
                "status": "sent",
                "sent_on": today - timedelta(days=30),
            },
        )
    return vault_dir


@pytest.fixture
def app(vault: Path, tmp_path: Path) -> Iterator[str]:
    with terminal(program(vault, tmp_path), "hrd-mechanism") as session:
        wait_for(session, "the vault is locked")
        yield session


def test_a_stage_picked_and_its_day_typed_with_the_save_key_in_one_burst(app: str, vault: Path) -> None:
    reached = (wallclock.today() - timedelta(days=3)).isoformat()
    unlock(app, PASSPHRASE, "[t Today]")
    send(app, "a")
    wait_for(app, "Mine near the river")
    send(app, "Enter")
    wait_for(app, "Referrals (Enter edits")
    send(app, "Tab", "Tab", "Enter")  # the case's body, its actions, then its referrals: open the one
    wait_for(app, "Specific instance at an OECD NCP")  # the form, on its first field
    # From the resource: purpose, shared, status, sent on, then the stage: its list opened,
    # two down (initial assessment, good offices), picked; the day reached; saved.
    send(app, *["Tab"] * 5, "Enter", "Down", "Down", "Enter", "Tab", reached, "F2")
    wait_for(app, "Mediation")  # the case's table shows the stage
    send(app, "Escape")
    wait_until(app, lambda shown: "Referrals (Enter edits" not in shown, "the list of cases")
    send(app, "q")
    assert closed(app), f"still running after q; the screen was:\n{screen(app)}"
    with vault_mod.unlock(vault, vault_mod.Secret(PASSPHRASE), readonly=True) as v, v.store.session() as s:
        (referral,) = s.exec(select(Referral)).all()
        assert (referral.stage, referral.stage_on.isoformat() if referral.stage_on else None) == (
            "good_offices",
            reached,
        )
