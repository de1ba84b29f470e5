"""Evidence files over a real terminal (issue 20): the installed hrd-tui in tmux, a
contact's attachments opened (A), a file's path typed with the keys that open the field
and submit it in one ``send-keys`` burst (as a stalled link delivers them), and another
pasted as a bracketed paste; read back through the vault once the program is closed:
both kept, each with the SHA-256 of its bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from helpers.tmux import closed, needs_tmux, paste, program, screen, send, terminal, unlock, wait_for, wait_until
from sqlmodel import select

from hrd_tui import vault as vault_mod
from hrd_tui.models import Attachment
from hrd_tui.services import contacts

pytestmark = needs_tmux


@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    vault_dir = tmp_path / "vault"
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    with opened.store.session("test data") as session:
        contacts.create_contact(session, {"name": "Lena Marsh", "codename": "Wren-31"})
    opened.close()
    files = tmp_path / "f"
    files.mkdir()
    with terminal(program(vault_dir, tmp_path), "hrd-attachments") as session:
        wait_for(session, "the vault is locked")
        yield session, vault_dir, files


def test_a_path_typed_in_one_burst_and_one_pasted_are_both_kept(app: tuple[str, Path, Path]) -> None:
    session, vault_dir, files = app
    typed = files / "summons.txt"
    typed.write_bytes(b"Summons to appear on 3 December, Port Calder court.\n")
    pasted = files / "photo of the office door.png"
    pasted.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)  # a PNG by its first bytes
    unlock(session, PASSPHRASE, "[t Today]")
    send(session, "c")
    wait_for(session, "Lena Marsh")
    send(session, "Enter")
    wait_for(session, "Lena Marsh (Wren-31)")  # the contact (its attachments section is further down)
    send(session, "A")
    wait_for(session, "Attachments of this contact")
    send(session, "n", str(typed), "Enter")  # open the field, the path and Enter: one burst
    wait_until(session, lambda shown: "1 file" in shown and "summons.txt" in shown, "the typed file in the list")
    send(session, "n")
    wait_for(session, "Attach a file to this contact")
    paste(session, str(pasted))
    wait_for(session, "office door")
    send(session, "Enter")
    wait_until(session, lambda shown: "2 files" in shown, "the pasted file in the list")
    shown = screen(session)
    assert hashlib.sha256(pasted.read_bytes()).hexdigest()[:16] in shown  # the selected one, below the table
    send(session, "q")
    assert closed(session), f"still running after q; the screen was:\n{screen(session)}"
    with vault_mod.unlock(vault_dir, vault_mod.Secret(PASSPHRASE), readonly=True) as v, v.store.session() as s:
        kept = {a.name: a for a in s.exec(select(Attachment)).all()}
        assert set(kept) == {"summons.txt", "photo of the office door.png"}
        assert kept["summons.txt"].sha256 == hashlib.sha256(typed.read_bytes()).hexdigest()
        assert kept["photo of the office door.png"].sha256 == hashlib.sha256(pasted.read_bytes()).hexdigest()
        assert kept["photo of the office door.png"].media_type == "image/png"
