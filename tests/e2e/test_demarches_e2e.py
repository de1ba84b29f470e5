"""A démarche typed over a real terminal (issue 19, part A): the installed hrd-tui in tmux,
a case's démarches opened with i, the new démarche's official and message typed with the
save key in one ``send-keys`` burst; read back through the vault once the program is closed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from helpers.tmux import closed, needs_tmux, program, screen, send, terminal, unlock, wait_for, wait_until
from sqlmodel import select

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.models import Interaction
from hrd_tui.services import contacts, demarches, threats

pytestmark = needs_tmux

MESSAGE = "Asked for counsel access and a public hearing"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    vault_dir = tmp_path / "vault"
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened, opened.store.session("test data") as s:
        ana = contacts.create_contact(s, {"name": "Ana Núñez", "codename": "Heron-101"})
        contacts.create_contact(s, {"name": "Ola Vik", "codename": "Slate-9", "kind": "government_official"})
        threats.open_case(s, {"title": "Ana detained", "opened_on": wallclock.today()}, [ana], plan=False)
    return vault_dir


@pytest.fixture
def app(vault: Path, tmp_path: Path) -> Iterator[str]:
    with terminal(program(vault, tmp_path), "hrd-demarche") as session:
        wait_for(session, "the vault is locked")
        yield session


def test_the_official_and_message_typed_with_the_save_key_in_one_burst_are_kept(app: str, vault: Path) -> None:
    unlock(app, PASSPHRASE, "[t Today]")
    send(app, "a")
    wait_for(app, "Ana detained")
    send(app, "Enter")
    wait_for(app, "Consent for each kind of action")
    send(app, "i")
    wait_for(app, "None yet (n logs one)")
    send(app, "n")
    wait_for(app, "Log a démarche")
    # The kind (Démarche) as it is; the official, the message and F2 together.
    send(app, "Tab", "Slate-9", "Tab", MESSAGE, "F2")
    wait_for(app, "Slate-9")
    wait_until(app, lambda shown: "Log a démarche" not in shown, "the démarches")
    send(app, "Escape")
    wait_until(app, lambda shown: "Consent for each kind" in shown, "the case")
    send(app, "Escape")
    wait_until(app, lambda shown: "Consent for each kind" not in shown, "the list of cases")
    send(app, "q")
    assert closed(app), f"still running after q; the screen was:\n{screen(app)}"
    with vault_mod.unlock(vault, vault_mod.Secret(PASSPHRASE), readonly=True) as v, v.store.session() as s:
        (it,) = s.exec(select(Interaction)).all()
        assert it.kind == "demarche" and it.message == MESSAGE
        assert [c.codename for c in contacts.participants_of(s, it.id)] == ["Slate-9"]
        assert len(demarches.view(s, it).cases) == 1
