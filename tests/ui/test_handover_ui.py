"""Merging a handover bundle from the app: the file and its passphrase, the plan, a
conflict decided with t, then F2 and a yes. A real bundle from a real vault."""

from __future__ import annotations

from pathlib import Path

from conftest import PASSPHRASE, unlock, vault_session
from hrd_tui.screens.handover import HandoverImportScreen
from sqlmodel import select
from textual.widgets import DataTable, Input

from hrd_tui import handover, wallclock
from hrd_tui import vault as vault_mod
from hrd_tui.app import make_app
from hrd_tui.models import Contact
from hrd_tui.services import contacts, history


async def test_a_bundle_merged_from_the_screen(vault_dir: Path, tmp_path: Path) -> None:
    sender_dir = tmp_path / "sender"
    sender, _ = vault_mod.create(sender_dir, PASSPHRASE)
    with sender, sender.store.session() as s:
        shared = contacts.create_contact(s, {"name": "Ana Núñez", "codename": "Heron-101", "role": "spokesperson"})
        contacts.create_contact(s, {"name": "Борис Петров", "codename": "Cedar-202"})
        first = tmp_path / "first.bundle"
        first_pw = handover.export_bundle(s, first)
    receiver, _ = vault_mod.create(vault_dir, PASSPHRASE)
    receiver.close()
    with vault_session(vault_dir) as s:  # the first handover, then each side edits the same person
        handover.apply_import(s, handover.plan_import(s, handover.read_bundle(first, first_pw)))
        mine = s.get(Contact, shared.id)
        contacts.update_contact(s, mine, {"role": "coordinator"})
    with vault_mod.unlock(sender_dir, vault_mod.Secret(PASSPHRASE)) as sender, sender.store.session() as s:
        contacts.update_contact(s, s.get(Contact, shared.id), {"role": "founder"})
        contacts.create_contact(s, {"name": "Chen Jing", "codename": "Aster-303"})
        bundle = tmp_path / "second.bundle"
        passphrase = handover.export_bundle(s, bundle)
    app = make_app(vault_dir, settings_path=tmp_path / "settings.json", today=wallclock.today)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(app, pilot)
        app.action_import_handover()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HandoverImportScreen)
        screen.query_one("#handover-path", Input).value = str(bundle)
        screen.query_one("#handover-passphrase", Input).value = "wrong"
        screen.query_one("#handover-passphrase", Input).focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "passphrase" in str(screen.query_one("#handover-summary").render()).lower()
        screen.query_one("#handover-passphrase", Input).value = passphrase
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        summary = str(screen.query_one("#handover-summary").render())
        assert "new contacts: 1" in summary and "conflicts: 1" in summary
        table = screen.query_one("#handover-conflicts", DataTable)
        assert [str(c) for c in table.get_row_at(0)][2:] == ["role", "'coordinator'", "'founder'"]
        await pilot.press("t")
        await pilot.pause()
        assert str(table.get_row_at(0)[0]) == "theirs"
        await pilot.press("f2", "y")
        await app.workers.wait_for_complete()  # written in a worker
        await pilot.pause()
        assert not isinstance(app.screen, HandoverImportScreen)
        with app.session("test") as s:
            assert sorted(c.codename for c in s.exec(select(Contact))) == ["Aster-303", "Cedar-202", "Heron-101"]
            person = s.get(Contact, shared.id)
            assert person.role == "founder"
            assert any(c.field == "role" and c.before == "coordinator" for c in history.changes(s, person))
