"""The README against the program: every command in the commands table, only keys in
the keys table, and the set-up steps saying what a first run needs (issue 16)."""

from __future__ import annotations

import argparse
from pathlib import Path

from hrd_tui.cli import build_parser

README = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")


def section(heading: str) -> str:
    """The text under a ``## heading`` up to the next one."""
    start = README.index(f"\n## {heading}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def first_table(text: str) -> list[list[str]]:
    """The rows of the first Markdown table in ``text`` (header and rule left out), as cells."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("| "))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


def test_every_command_is_in_the_commands_table() -> None:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    listed = {row[0].strip("`").split(" ")[0] for row in first_table(section("Command line"))}
    missing = sorted(set(sub.choices) - listed)
    assert not missing, f"commands missing from the README's table: {missing}"


def test_the_keys_table_holds_keys_only() -> None:
    rows = first_table(section("Keys"))
    assert rows and all(row[0].startswith("`") for row in rows), [row[0] for row in rows if not row[0].startswith("`")]


def test_the_set_up_says_to_quit_the_demo_and_what_the_tests_need() -> None:
    set_up = section("Set up: two commands")
    first, second = set_up.index(".venv/bin/hrd-tui demo"), set_up.index(".venv/bin/pytest")
    between = set_up[first:second]
    assert "`q`" in between and "quit" in between  # the demo leaves the app running
    assert "minutes" in between and "tmux" in between and ".ci/run" in between
