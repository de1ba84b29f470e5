"""A post's own resource typed over a real terminal (issue 19, part D): the installed
hrd-tui in tmux, the resources list opened from the threat list (u), a new resource's
name and the save key sent in one ``send-keys`` burst, as a stalled link delivers them;
read back through the vault once the program is closed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from helpers.tmux import closed, needs_tmux, program, screen, send, terminal, unlock, wait_for, wait_until
from sqlmodel import select

from hrd_tui import vault as vault_mod
from hrd_tui.models import Resource
from hrd_tui.vocab import ResourceOrigin

pytestmark = needs_tmux

NAME = "Casa Refugio del Puerto"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    vault_dir = tmp_path / "vault"
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    with terminal(program(vault_dir, tmp_path), "hrd-resources") as session:
        wait_for(session, "the vault is locked")
        yield session, vault_dir


def test_a_name_typed_with_the_save_key_in_one_burst_is_kept(app: tuple[str, Path]) -> None:
    session, vault_dir = app
    unlock(session, PASSPHRASE, "[t Today]")
    send(session, "a")
    wait_for(session, "cases")
    send(session, "u")
    wait_for(session, "shipped ones are read-only")
    send(session, "n")
    wait_for(session, "New resource of the post's own")
    send(session, NAME, "F2")  # the name, then save: one burst
    wait_until(session, lambda shown: NAME in shown and "New resource" not in shown, "the new resource in the list")
    send(session, "Escape")
    wait_until(session, lambda shown: "shipped ones are read-only" not in shown, "the list of cases")
    send(session, "q")
    assert closed(session), f"still running after q; the screen was:\n{screen(session)}"
    with vault_mod.unlock(vault_dir, vault_mod.Secret(PASSPHRASE), readonly=True) as v, v.store.session() as s:
        (mine,) = s.exec(select(Resource).where(Resource.origin == ResourceOrigin.POST)).all()
        assert (mine.name, mine.kind) == (NAME, "national-protection-mechanism")
