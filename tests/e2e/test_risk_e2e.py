"""The emergency offered by a critical risk worksheet, over a real terminal (issue 18,
part 1): the installed hrd-tui in tmux, the worksheet opened from a case whose last
ratings are floored to critical, then F6 (urgency to emergency) and F2 (save) sent in
one ``send-keys`` burst; read back through the vault once the program is closed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from helpers.tmux import closed, needs_tmux, program, screen, send, terminal, unlock, wait_for, wait_until
from sqlmodel import select

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.models import RiskAssessment, ThreatCase, TimelineEvent
from hrd_tui.services import contacts, threats
from hrd_tui.vocab import RiskLevel, Urgency

pytestmark = needs_tmux


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    vault_dir = tmp_path / "vault"
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened, opened.store.session("test data") as s:
        ana = contacts.create_contact(s, {"name": "Ana Núñez", "codename": "Heron-101"})
        case = threats.open_case(
            s, {"title": "Detention of Ana", "urgency": "urgent", "opened_on": wallclock.today()}, [ana], plan=False
        )
        threats.assess_risk(s, case, {"threat": 5, "vulnerability": 4, "capacity": 5})  # critical by a floor
    return vault_dir


@pytest.fixture
def app(vault: Path, tmp_path: Path) -> Iterator[str]:
    with terminal(program(vault, tmp_path), "hrd-risk") as session:
        wait_for(session, "the vault is locked")
        yield session


def test_f6_then_f2_in_one_burst_makes_the_case_an_emergency_and_saves(app: str, vault: Path) -> None:
    unlock(app, PASSPHRASE, "[t Today]")
    send(app, "a")
    wait_for(app, "Detention of Ana")
    send(app, "Enter")
    wait_for(app, "Risk (g reassesses)")
    send(app, "g")
    wait_for(app, "Risk: CRITICAL (raised to critical: harm under way and the defender exposed)", "F6 (^t) sets")
    send(app, "F6", "F2")  # together, as a terminal sends them
    wait_for(app, "!! EMERGENCY")  # back on the case, now an emergency
    send(app, "Escape")
    wait_until(app, lambda shown: "Risk (g reassesses)" not in shown, "the list of cases")
    send(app, "q")
    assert closed(app), f"still running after q; the screen was:\n{screen(app)}"
    with vault_mod.unlock(vault, vault_mod.Secret(PASSPHRASE), readonly=True) as v, v.store.session() as s:
        (case,) = s.exec(select(ThreatCase)).all()
        assert case.urgency == Urgency.EMERGENCY
        levels = [a.risk_level for a in s.exec(select(RiskAssessment))]
        assert levels == [RiskLevel.CRITICAL, RiskLevel.CRITICAL]  # the first, and the one saved after F6
        events = [e.text for e in s.exec(select(TimelineEvent))]
        assert "Urgency: Emergency." in events
