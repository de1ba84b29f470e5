"""A copied handle in tmux: the real program copies a contact's Signal handle (`y`) in a
tmux terminal. With tmux's ``allow-passthrough`` on, the copy goes through to the
officer's terminal and tmux keeps no paste buffer of it; without it, tmux keeps one
(which no clearing reaches) and the notice says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PASSPHRASE
from helpers.tmux import needs_tmux, program, run_tmux, send, terminal, unlock, wait_for

from hrd_tui import vault as vault_mod
from hrd_tui.app import osc52
from hrd_tui.services import contacts

pytestmark = needs_tmux

HANDLE = "+1 555 0199 signal"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    vault_dir = tmp_path / "vault"
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("test data") as session:
        ana = contacts.create_contact(session, {"name": "Ana Núñez", "codename": "Heron-101"})
        contacts.add_channel(session, ana, {"kind": "signal", "handle": HANDLE})
    opened.close()
    return vault_dir


def buffers() -> str:
    return run_tmux("list-buffers", "-F", "#{buffer_sample}").stdout


def test_the_passthrough_sequence_wraps_osc52_for_tmux() -> None:
    plain = osc52("x")
    assert plain == "\x1b]52;c;eA==\a"
    assert osc52("x", tmux_passthrough=True) == "\x1bPtmux;\x1b" + plain + "\x1b\\"
    assert osc52("") == "\x1b]52;c;\a"  # the clear


@pytest.mark.parametrize("passthrough", ["on", "off"])
def test_a_copied_handle_in_tmux(vault: Path, tmp_path: Path, passthrough: str) -> None:
    with terminal(program(vault, tmp_path), "hrd-e2e-clip") as session:
        # set while the server runs (it ends with its last session); the app asks at its first copy
        run_tmux("set-option", "-g", "set-clipboard", "on")
        run_tmux("set-option", "-g", "allow-passthrough", passthrough)
        run_tmux("delete-buffer")  # none left from another test of this worker
        unlock(session, PASSPHRASE, "Follow-ups due")
        send(session, "c")
        wait_for(session, "Ana Núñez")
        send(session, "Enter")
        wait_for(session, "Signal")
        send(session, "y")
        shown = wait_for(session, "copied to your")  # the toast wraps its lines
        if passthrough == "on":
            assert HANDLE not in buffers()  # tmux passed it on and kept nothing
            assert "tmux keeps a copy" not in shown
        else:
            assert HANDLE in buffers()  # what the notice warns about
            assert "tmux keeps a copy" in shown
        run_tmux("set-option", "-g", "allow-passthrough", "off")
