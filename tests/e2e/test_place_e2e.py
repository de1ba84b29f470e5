"""Back where the officer was, in the real program: a case open and an action being typed
on top of it, then the terminal hung up, SIGTERM, or kill -9 after the 2-second save;
the next start and unlock show the same form over the same case, the text in it, and
one "Recovered" notice. What was typed is nowhere on disk in clear."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from conftest import PASSPHRASE, find_markers
from helpers.tmux import gone_within, needs_tmux, pane_pid, program, send, terminal, tmux, unlock, wait_for

from hrd_tui import vault as vault_mod
from hrd_tui.services import contacts, threats

pytestmark = needs_tmux

TYPED = "Ring the lawyer QZX"  # QZX: in no other text of the app


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    vault_dir = tmp_path / "vault"
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("test data") as session:
        ana = contacts.create_contact(session, {"name": "Ana Núñez", "codename": "Heron-101"})
        threats.open_case(session, {"title": "March threats"}, [ana])
    opened.close()
    return vault_dir


@pytest.mark.parametrize("how", ["hangup", "sigterm", "kill-9"])
def test_a_case_form_comes_back_after_the_program_stops(vault: Path, tmp_path: Path, how: str) -> None:
    with terminal(program(vault, tmp_path), "hrd-e2e-place") as session:
        unlock(session, PASSPHRASE, "Follow-ups due")
        send(session, "a")
        wait_for(session, "March threats")
        send(session, "Enter")
        wait_for(session, "March threats", "Event")  # the case, its keys in the footer
        send(session, "l")
        wait_for(session, "Due")  # the action form
        send(session, TYPED)
        wait_for(session, TYPED)
        pid = pane_pid(session)
        if how == "kill-9":
            time.sleep(2.5)  # one 2-second save: all a killed process leaves behind
            os.kill(pid, signal.SIGKILL)
        elif how == "sigterm":
            os.kill(pid, signal.SIGTERM)
        else:
            tmux("kill-session", "-t", session)
        assert gone_within(pid, 3), f"still running after {how}"
    assert find_markers([vault], [TYPED]) == []  # kept encrypted, never in clear
    with terminal(program(vault, tmp_path), "hrd-e2e-place") as session:
        shown = unlock(session, PASSPHRASE, TYPED)
        assert "Due" in shown  # the action form, over the case
        wait_for(session, "Recovered")
        send(session, "Escape")  # leave the form (it asks: something was typed)
        wait_for(session, "Leave without saving")
        send(session, "Enter")
        wait_for(session, "March threats", "Event")  # the case under it
