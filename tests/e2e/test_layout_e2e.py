"""A post's report layout imported on the reports screen of the real program, at 80x24:
`l`, the path and Enter sent in one burst (as over a stalled link) import it; the vault
then holds it, and its report offers it first."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PASSPHRASE
from helpers.tmux import closed, needs_tmux, program, screen, send, terminal, unlock, wait_for

from hrd_tui import vault as vault_mod
from hrd_tui.services import report_layouts, reports
from hrd_tui.vocab import ReportType

pytestmark = needs_tmux


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    vault_dir = tmp_path / "vault"
    opened, _ = vault_mod.create(vault_dir, PASSPHRASE)
    opened.close()
    return vault_dir


def test_a_layout_file_imported_in_one_burst(vault: Path, tmp_path: Path) -> None:
    layout = tmp_path / "tip-2026.toml"
    layout.write_text(
        (report_layouts.text_of_shipped("tip-2025") or "")
        .replace('id = "tip-2025"', 'id = "tip-2026"')
        .replace("edition = 2025", "edition = 2026")
    )
    with terminal(program(vault, tmp_path), "hrd-e2e-layout") as session:
        unlock(session, PASSPHRASE, "Follow-ups due")
        send(session, "r")
        wait_for(session, "Layout", "Preview")
        send(session, "l", str(layout), "Enter")  # the key, the path and Enter in one burst
        wait_for(session, "Imported the report layout", "'tip-2026'")  # the notice (wrapped)
        send(session, "q")
        assert closed(session), f"still running after q; the screen was:\n{screen(session)}"
    with vault_mod.unlock(vault, vault_mod.Secret(PASSPHRASE), readonly=True) as opened, opened.store.session() as s:
        assert report_layouts.choose(s, ReportType.TIP, None, reports.CONTENT_KEYS).key == "tip-2026"
