"""A consent typed over a real terminal (issue 18, part 3): the installed hrd-tui in
tmux, the consent form opened from a case (p), the decision chosen, then the end date
(or the missions it names) and the save key sent in one ``send-keys`` burst, or the
missions pasted; read back through the vault once the program is closed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from helpers.tmux import closed, needs_tmux, paste, program, screen, send, terminal, unlock, wait_for, wait_until
from sqlmodel import select

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.models import ConsentRecord
from hrd_tui.services import contacts, threats
from hrd_tui.vocab import ConsentScope, ConsentValue

pytestmark = needs_tmux

ENDS = "2026-12-31"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    vault_dir = tmp_path / "vault"
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened, opened.store.session("test data") as s:
        ana = contacts.create_contact(s, {"name": "Ana Núñez", "codename": "Heron-101"})
        threats.open_case(s, {"title": "Threats against Ana", "opened_on": wallclock.today()}, [ana], plan=False)
    return vault_dir


@pytest.fixture
def app(vault: Path, tmp_path: Path) -> Iterator[str]:
    with terminal(program(vault, tmp_path), "hrd-consent") as session:
        wait_for(session, "the vault is locked")
        yield session


def _consent_form(app: str) -> None:
    """From the lock screen to the consent form of Ana's case (p), its kind the default."""
    unlock(app, PASSPHRASE, "[t Today]")
    send(app, "a")
    wait_for(app, "Threats against Ana")
    send(app, "Enter")
    wait_for(app, "Consent for each kind of action")
    send(app, "p")
    wait_for(app, "Record a consent decision")


def _granted(app: str) -> None:
    """The decision (the field after the kind): its list opened, Granted picked."""
    send(app, "Tab", "Enter")
    wait_for(app, "Withdrawn")
    send(app, "Down", "Enter")
    wait_for(app, "Granted")


def _quit_and_read(app: str, vault: Path) -> ConsentRecord:
    """Back to the list of cases, q, and the one consent the vault then holds."""
    send(app, "Escape")  # to the list of cases (then q alone: never right after an Escape)
    wait_until(app, lambda shown: "Consent for each kind" not in shown, "the list of cases")
    send(app, "q")
    assert closed(app), f"still running after q; the screen was:\n{screen(app)}"
    with vault_mod.unlock(vault, vault_mod.Secret(PASSPHRASE), readonly=True) as v, v.store.session() as s:
        (record,) = s.exec(select(ConsentRecord)).all()
        return record


def test_an_end_date_typed_with_the_save_key_in_one_burst_is_kept(app: str, vault: Path) -> None:
    _consent_form(app)
    _granted(app)
    # The given-on day kept, the end date typed and saved: together, as a terminal sends them.
    send(app, "Tab", "Tab", ENDS, "F2")
    wait_for(app, f"ok to {ENDS}")
    record = _quit_and_read(app, vault)
    assert record.scope == ConsentScope.PRIVATE_DEMARCHE and record.value == ConsentValue.GRANTED
    assert record.ends_on == date.fromisoformat(ENDS)


@pytest.mark.parametrize("how", ["burst", "paste"])
def test_the_missions_a_consent_names_typed_in_one_burst_or_pasted_are_kept(app: str, vault: Path, how: str) -> None:
    """The missions field of the consent form over a real terminal: the names and the save
    key in one send-keys burst, or pasted (bracketed) then saved; read back through the vault."""
    _consent_form(app)
    send(app, "Enter")  # the kind (the case's default, a private démarche): open its list
    wait_for(app, "Sharing with other missions")
    send(app, "Up", "Enter")  # the kind above it: sharing with other missions
    wait_for(app, "Sharing with missions: which ones")  # the form now asks for them
    _granted(app)
    # Given on, ends on, how: then the missions (a referral's fields are not asked for this kind).
    if how == "burst":
        send(app, *["Tab"] * 4, "Norland, Embassy of Quist", "F2")
    else:
        send(app, *["Tab"] * 4)
        paste(app, "Norland, Embassy of Quist")
        send(app, "F2")
    wait_for(app, "missions ok")
    record = _quit_and_read(app, vault)
    assert (record.scope, record.value) == (ConsentScope.SHARE_WITH_MISSIONS, ConsentValue.GRANTED)
    assert record.missions == ["Norland", "Embassy of Quist"]
