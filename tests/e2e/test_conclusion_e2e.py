"""The conclusion on a trial's fairness typed over a real terminal (issue 18, part 2): the
installed hrd-tui in tmux, the text sent in one ``send-keys`` burst, then replaced by a
bracketed paste of two lines; each read back through the vault once the program is closed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from helpers.tmux import closed, needs_tmux, paste, program, screen, send, terminal, unlock, wait_for
from sqlmodel import select

from hrd_tui import vault as vault_mod
from hrd_tui import wallclock
from hrd_tui.models import Trial
from hrd_tui.services import checklists, contacts, trials
from hrd_tui.vocab import Finding

pytestmark = needs_tmux

TYPED = "Unfair: the accused sat in a cage, and the court let it pass."
PASTED = "Not a fair trial on what was observed.\nThe defence could not call its witnesses."


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """A trial whose one hearing found a violation: the conclusion form opens with a proposal."""
    vault_dir = tmp_path / "vault"
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened, opened.store.session("test data") as s:
        ana = contacts.create_contact(s, {"name": "Ana Núñez", "codename": "Heron-101"})
        trial = trials.create_trial(s, {"title": "State v. Ana Núñez", "case_number": "2026/114"}, [ana])
        hearing = trials.add_hearing(s, trial, {"starts_at": wallclock.local_now()})
        run = trials.fair_trial_run(s, hearing)
        assert run is not None
        checklists.set_finding(s, run, "presumption-innocence", Finding.VIOLATION)
    return vault_dir


@pytest.fixture
def app(vault: Path, tmp_path: Path) -> Iterator[str]:
    with terminal(program(vault, tmp_path), "hrd-conclusion") as session:
        wait_for(session, "the vault is locked")
        yield session


def conclusion(vault_dir: Path) -> str:
    with vault_mod.unlock(vault_dir, vault_mod.Secret(PASSPHRASE), readonly=True) as v, v.store.session() as s:
        (trial,) = s.exec(select(Trial)).all()
        return trial.conclusion


def open_conclusion(session: str) -> None:
    send(session, "o")
    wait_for(session, "2026/114")
    send(session, "Enter")
    wait_for(session, "VIOLATION: Presumption of innocence")
    send(session, "f")
    wait_for(session, "Conclusion on the trial")


def test_a_conclusion_typed_in_one_burst_then_pasted_is_kept_as_typed(app: str, vault: Path) -> None:
    unlock(app, PASSPHRASE, "[t Today]")
    open_conclusion(app)
    wait_for(app, "On the 1 hearing observed")  # the proposal, to start from
    send(app, "F7", TYPED)  # select all, then the officer's words over it, in one send-keys
    wait_for(app, "let it pass.")
    send(app, "F2")
    wait_for(app, "Conclusion (the officer's): Unfair: the accused")
    send(app, "f")
    wait_for(app, "Conclusion on the trial")
    send(app, "F7")
    paste(app, PASTED)
    wait_for(app, "could not call its witnesses.")
    send(app, "F2")
    wait_for(app, "Conclusion (the officer's): Not a fair trial")
    send(app, "Escape")
    wait_for(app, "[o Trials]")  # the trials list
    send(app, "q")
    assert closed(app), f"still running after q; the screen was:\n{screen(app)}"
    assert conclusion(vault) == PASTED  # both lines, in order, nothing of the proposal or the burst left
