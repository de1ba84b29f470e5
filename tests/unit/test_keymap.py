"""The keymap file, read and checked without Textual: each entry that cannot be honoured is
said (file and entry) and left out, the others apply; a file anyone could write is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hrd_tui import keymap
from hrd_tui.keymap import APP_OWNER, MAX_BYTES, check, read

#: A small app: app-wide keys, and two screens with their own.
OWNERS = {
    APP_OWNER: {
        "app.lock": "ctrl+l",
        "app.quick_note": "w",
        "app.quit": "q",
        "app.go.contacts": "c,2",
        "app.help": "f1,question_mark",
    },
    "contacts.ContactsScreen": {"contacts.new": "n", "contacts.delete": "x"},
    "trials.HearingScreen": {"hearing.notes": "w", "hearing.back": "escape,left"},
}
PRIORITY = {"app.lock"}
NAMES = {"f1", "f2", "f5", "up", "down", "left", "escape", "enter", "space", "question_mark", "comma", "plus", "slash"}


def key_name(base: str) -> str | None:
    """Textual's names, as far as these tests need them (the app passes Textual's own)."""
    if len(base) == 1:
        return {"?": "question_mark", ",": "comma", "+": "plus", "/": "slash"}.get(
            base, base if base.isalnum() else None
        )
    return base if base in NAMES else None


def write(tmp_path: Path, text: str | bytes, mode: int = 0o600) -> Path:
    path = tmp_path / "keymap.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    os.chmod(path, mode)
    return path


def load(path: Path) -> keymap.Keymap:
    raw, problems = read(path)
    checked = check(path, raw, OWNERS, key_name, PRIORITY)
    checked.problems[:0] = problems
    return checked


def reasons(checked: keymap.Keymap) -> dict[str | None, str]:
    return {problem.entry: problem.reason for problem in checked.problems}


def test_no_file_is_normal(tmp_path: Path) -> None:
    assert read(tmp_path / "keymap.toml") == ({}, [])


def test_valid_entries_apply_in_textuals_names(tmp_path: Path) -> None:
    path = write(tmp_path, '"app.quick_note" = "j"\n"app.help" = ["f5", "?"]\n"contacts.new" = "ctrl+shift+N"\n')
    checked = load(path)
    assert checked.problems == []
    assert checked.keys == {"app.quick_note": "j", "app.help": "f5,question_mark", "contacts.new": "ctrl+shift+n"}


def test_dotted_keys_and_tables_are_joined_back_into_ids(tmp_path: Path) -> None:
    path = write(tmp_path, 'app.quick_note = "j"\n[contacts]\nnew = "a"\n')
    assert load(path).keys == {"app.quick_note": "j", "contacts.new": "a"}


def test_each_invalid_entry_is_said_with_the_file_and_left_out_and_the_valid_ones_apply(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
"app.quick_note" = "j"                     # fine
"no.such.binding" = "z"                    # unknown id
"app.help" = 5                             # wrong type
"app.quit" = ["q", 3]                      # a list with a non-key
"contacts.new" = "ctrl+banana"             # no such key
"contacts.delete" = "hyper+ctrl+ctrl+x"    # a modifier twice
"hearing.back" = ""                        # no key at all
"app.go.contacts" = "ctrl+s"               # swallowed by the terminal
""",
    )
    checked = load(path)
    assert checked.keys == {"app.quick_note": "j"}
    found = reasons(checked)
    assert set(found) == {
        "no.such.binding",
        "app.help",
        "app.quit",
        "contacts.new",
        "contacts.delete",
        "hearing.back",
        "app.go.contacts",
    }
    assert "no binding has this id" in found["no.such.binding"]
    assert "must be a key" in found["app.help"] and "must be a key" in found["app.quit"]
    assert "not a key name" in found["contacts.new"]
    assert "modifiers" in found["contacts.delete"]
    assert "no key" in found["hearing.back"]
    assert "flow control" in found["app.go.contacts"]
    assert all(str(problem).startswith(f"{path}, '{problem.entry}': ") for problem in checked.problems)


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("ctrl+s", "flow control"),
        ("ctrl+q", "flow control"),
        ("ctrl+b", "tmux"),
        ("ctrl+h", "backspace"),
        ("ctrl+i", "tab"),
        ("ctrl+m", "enter"),
        ("ctrl+j", "newline"),
        ("shift+enter", "plain enter"),
        ("ctrl+enter", "plain enter"),
        ("CTRL+S", "flow control"),
    ],
)
def test_keys_ssh_or_tmux_swallow_are_refused_saying_why(tmp_path: Path, key: str, why: str) -> None:
    checked = load(write(tmp_path, f'"app.quick_note" = "{key}"\n'))
    assert checked.keys == {}
    assert "cannot be used" in reasons(checked)["app.quick_note"] and why in reasons(checked)["app.quick_note"]


def test_a_key_two_bindings_of_one_screen_would_share_is_refused(tmp_path: Path) -> None:
    checked = load(write(tmp_path, '"contacts.new" = "x"\n'))  # x is Delete's: one could never be used
    assert checked.keys == {}
    assert "'x' is also contacts.delete's key (on contacts.ContactsScreen)" in reasons(checked)["contacts.new"]


def test_two_of_the_apps_own_on_one_key_are_refused_the_later_entry_left_out(tmp_path: Path) -> None:
    checked = load(write(tmp_path, '"app.quick_note" = "j"\n"app.quit" = "j"\n'))
    assert checked.keys == {"app.quick_note": "j"}
    assert "among the app's keys" in reasons(checked)["app.quit"]


def test_swapping_two_bindings_keys_is_fine(tmp_path: Path) -> None:
    checked = load(write(tmp_path, '"contacts.new" = "x"\n"contacts.delete" = "n"\n'))
    assert checked.problems == [] and checked.keys == {"contacts.new": "x", "contacts.delete": "n"}


def test_a_screen_key_under_the_lock_key_is_refused(tmp_path: Path) -> None:
    """The lock is a priority binding: it wins on every screen, so the screen's would be dead."""
    checked = load(write(tmp_path, '"contacts.new" = "ctrl+l"\n'))
    assert checked.keys == {} and "app.lock" in reasons(checked)["contacts.new"]


def test_an_app_key_a_screen_also_holds_applies_with_a_note(tmp_path: Path) -> None:
    checked = load(write(tmp_path, '"app.quick_note" = "n"\n'))
    assert checked.problems == [] and checked.keys == {"app.quick_note": "n"}
    assert [note.entry for note in checked.notes] == ["app.quick_note"]
    assert "contacts.new on contacts.ContactsScreen" in checked.notes[0].reason


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"x" * (MAX_BYTES + 1), "larger than"),
        (b'"app.quit" = \n', "not valid TOML"),
        (b'"app.quit" = "\xff"\n', "not UTF-8"),
        (b"a = " + b"[" * 20000 + b"]" * 20000, "not valid TOML"),  # nesting deep enough to exhaust recursion
    ],
    ids=["oversized", "malformed", "not-utf8", "deep"],
)
def test_a_whole_file_that_is_no_keymap_is_refused_and_nothing_remapped(
    tmp_path: Path, content: bytes, why: str
) -> None:
    checked = load(write(tmp_path, content))
    assert checked.keys == {}
    assert list(reasons(checked)) == [None] and why in reasons(checked)[None]
    assert "no key is remapped" in str(checked.problems[0]) and str(tmp_path) in str(checked.problems[0])


def test_a_world_writable_file_is_refused_a_group_writable_one_read(tmp_path: Path) -> None:
    """Anyone who can write the file could move the lock key out of reach: refused. Group-writable
    is what an editor makes under the usual umask 002 with a group of one's own: read."""
    world = load(write(tmp_path, '"app.quick_note" = "j"\n', mode=0o666))
    assert world.keys == {} and "writable by every user" in reasons(world)[None]
    group = load(write(tmp_path, '"app.quick_note" = "j"\n', mode=0o664))
    assert group.keys == {"app.quick_note": "j"} and group.problems == []


def test_a_fifo_in_its_place_does_not_hang_the_start(tmp_path: Path) -> None:
    path = tmp_path / "keymap.toml"
    os.mkfifo(path, 0o600)
    raw, problems = read(path)
    assert raw == {} and "not a regular file" in problems[0].reason


def test_a_symlink_to_a_private_file_is_followed(tmp_path: Path) -> None:
    """Config files are often links into a dotfiles repository: the file linked to is checked."""
    target = write(tmp_path, '"app.quick_note" = "j"\n')
    link = tmp_path / "config" / "keymap.toml"
    link.parent.mkdir()
    link.symlink_to(target)
    assert load(link).keys == {"app.quick_note": "j"}
