"""The screens' contract with the app (screens/shell.py): the real app keeps it.

mypy checks the annotated assignment below statically; the isinstance check holds
at run time for every member, data attributes included (set in HrdApp.__init__)."""

from __future__ import annotations

from pathlib import Path

from hrd_tui.app import HrdApp, make_app
from hrd_tui.screens.shell import Shell


def test_the_app_keeps_the_screens_contract(tmp_path: Path) -> None:
    app: HrdApp = make_app(tmp_path / "vault", settings_path=tmp_path / "settings.json")
    shell: Shell = app  # a static check: HrdApp satisfies the protocol
    assert isinstance(shell, Shell)
    members: set[str] = set()
    for cls in (c for c in Shell.__mro__ if getattr(c, "_is_protocol", False)):  # Shell, Transactions
        members |= set(vars(cls).get("__annotations__", {}))
        members |= {name for name, value in vars(cls).items() if callable(value) or isinstance(value, property)}
    members = {name for name in members if not name.startswith("_")}
    assert {"session", "today", "discreet", "open_case", "draft_changed"} <= members
    assert sorted(name for name in members if not hasattr(app, name)) == []
