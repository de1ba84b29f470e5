"""An accountability step typed over a real terminal (issue 19, part B): the installed
hrd-tui in tmux, a case's steps opened with b, the new-step form's source typed with the
save key in one ``send-keys`` burst; read back through the vault once the program is closed."""

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
from hrd_tui.models import AccountabilityStep
from hrd_tui.services import contacts, threats
from hrd_tui.vocab import ThreatType

pytestmark = needs_tmux

SOURCE = "Court registry, case 14/2026"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    vault_dir = tmp_path / "vault"
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened, opened.store.session("test data") as s:
        ana = contacts.create_contact(s, {"name": "Ana Núñez", "codename": "Heron-101"})
        opened_on = wallclock.today() - timedelta(days=40)
        threats.open_case(
            s, {"title": "Ana beaten", "opened_on": opened_on}, [ana], [ThreatType.PHYSICAL_ATTACK], plan=False
        )
    return vault_dir


@pytest.fixture
def app(vault: Path, tmp_path: Path) -> Iterator[str]:
    with terminal(program(vault, tmp_path), "hrd-accountability") as session:
        wait_for(session, "the vault is locked")
        yield session


def test_a_source_typed_with_the_save_key_in_one_burst_is_kept(app: str, vault: Path) -> None:
    unlock(app, PASSPHRASE, "[t Today]")
    send(app, "a")
    wait_for(app, "Ana beaten")
    send(app, "Enter")
    wait_for(app, "Consent for each kind of action")
    send(app, "b")
    wait_for(app, "No step recorded (n)")
    send(app, "n")
    wait_for(app, "New accountability step")
    # The step (Complaint filed) and the day (today) as they are; the source and F2 together.
    send(app, "Tab", "Tab", SOURCE, "F2")
    wait_for(app, "Court registry, case")
    send(app, "Escape")
    wait_until(app, lambda shown: "No step recorded" not in shown and "Consent for each kind" in shown, "the case")
    send(app, "Escape")
    wait_until(app, lambda shown: "Consent for each kind" not in shown, "the list of cases")
    send(app, "q")
    assert closed(app), f"still running after q; the screen was:\n{screen(app)}"
    with vault_mod.unlock(vault, vault_mod.Secret(PASSPHRASE), readonly=True) as v, v.store.session() as s:
        (step,) = s.exec(select(AccountabilityStep)).all()
    assert step.source == SOURCE and step.step == "complaint_filed" and step.on_date == wallclock.today()
