"""The post's case plan over a real terminal (issue 19): the installed hrd-tui in tmux,
the owner typed in one ``send-keys`` burst with Tab, the days and Enter, then another
item's owner as a bracketed paste; read back through the vault once the program is
closed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from helpers.tmux import closed, needs_tmux, paste, program, screen, send, terminal, unlock, wait_for

from hrd_tui import vault as vault_mod
from hrd_tui.services import plan

pytestmark = needs_tmux

FIRST = "threat-immediate:credible-sources"
SECOND = "threat-immediate:meet-or-connect-securely"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    vault_dir = tmp_path / "vault"
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    return vault_dir


@pytest.fixture
def app(vault: Path, tmp_path: Path) -> Iterator[str]:
    with terminal(program(vault, tmp_path), "hrd-plan") as session:
        wait_for(session, "the vault is locked")
        yield session


def test_a_burst_and_a_paste_set_the_posts_plan(app: str, vault: Path) -> None:
    unlock(app, PASSPHRASE, "[t Today]")
    send(app, "a", "p")
    wait_for(app, "Case plan: owner and due days")
    send(app, "Enter", "Regional security officer", "Tab", "0", "Enter")  # one burst, as over a stalled link
    wait_for(app, "Now: Regional security officer, 0 d (post's plan)")
    send(app, "Down", "Enter")
    wait_for(app, "leave a field blank to keep the suggestion")
    paste(app, "Deputy chief of mission")
    send(app, "Tab", "3", "Enter")
    wait_for(app, "Now: Deputy chief of mission, 3 d (post's plan)")  # the line under the table
    send(app, "Escape")  # alone: Escape and q together read as alt+q
    wait_for(app, "0 cases")
    send(app, "q")
    assert closed(app), f"still running after q; the screen was:\n{screen(app)}"
    with vault_mod.unlock(vault, vault_mod.Secret(PASSPHRASE), readonly=True) as v, v.store.session() as s:
        items = {i.key: i for i in plan.plan_items(s)}
    assert (items[FIRST].owner, items[FIRST].due_days, items[FIRST].whose) == (
        "Regional security officer",
        0,
        plan.POSTS,
    )
    assert (items[SECOND].owner, items[SECOND].due_days) == ("Deputy chief of mission", 3)
