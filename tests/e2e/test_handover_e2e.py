"""'hrd-tui handover import' asked on a real terminal (tmux): a conflict in two fields
decided field by field (f, then t for the role and m for the phone), so the sender's
edit and this officer's are both kept."""

from __future__ import annotations

import shlex
from pathlib import Path

from conftest import PASSPHRASE, vault_session
from helpers.tmux import needs_tmux, program, send, terminal, wait_for

from hrd_tui import vault as vault_mod
from hrd_tui.models import Contact
from hrd_tui.services import contacts, handover

pytestmark = needs_tmux


def test_a_conflict_decided_field_by_field_at_the_prompt(tmp_path: Path) -> None:
    sender_dir, receiver_dir = tmp_path / "sender", tmp_path / "receiver"
    sender, _ = vault_mod.create(sender_dir, PASSPHRASE)
    with sender, sender.store.session() as s:
        shared = contacts.create_contact(
            s, {"name": "Ana Núñez", "codename": "Heron-101", "role": "spokesperson", "phone": "+1 555 0100"}
        )
        first_pw = handover.export_bundle(s, tmp_path / "first.bundle")
    vault_mod.create(receiver_dir, PASSPHRASE)[0].close()
    with vault_session(receiver_dir) as s:
        handover.apply_import(s, handover.plan_import(s, handover.read_bundle(tmp_path / "first.bundle", first_pw)))
        contacts.update_contact(s, s.get(Contact, shared.id), {"phone": "+1 555 0199"})
    with vault_session(sender_dir) as s:
        contacts.update_contact(s, s.get(Contact, shared.id), {"role": "founder"})
        (tmp_path / "bundle-pw").write_text(handover.export_bundle(s, tmp_path / "second.bundle") + "\n")
    (tmp_path / "pw").write_text(PASSPHRASE + "\n")
    command = (
        f"{program(receiver_dir, tmp_path)} --passphrase-file {shlex.quote(str(tmp_path / 'pw'))} handover "
        f"import {shlex.quote(str(tmp_path / 'second.bundle'))} --bundle-passphrase-file "
        f"{shlex.quote(str(tmp_path / 'bundle-pw'))}; sleep 60"
    )  # the terminal stays to be read
    with terminal(command) as session:
        wait_for(session, "or [f]ield by field? [m/t/f]")
        send(session, "f", "Enter")
        wait_for(session, "role: keep [m]ine or take [t]heirs? [m/t]")
        send(session, "t", "Enter")
        wait_for(session, "phone: keep [m]ine or take [t]heirs? [m/t]")
        send(session, "m", "Enter")
        wait_for(session, "Import? [y/N]")
        send(session, "y", "Enter")
        wait_for(session, "1 took some fields of each")
    with vault_session(receiver_dir) as s:
        person = s.get(Contact, shared.id)
        assert (person.role, person.phone) == ("founder", "+1 555 0199")
