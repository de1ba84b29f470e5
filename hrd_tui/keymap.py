"""The officer's keymap file: binding ids to keys, read and checked before the app uses any of it.

``keymap.toml`` sits next to ``settings.json`` in the config directory. Each line gives a
binding id (the help screen shows them) one key or a list of keys::

    "app.quick_note" = "n"
    "app.go.contacts" = ["k", "2"]

(``app.quick_note = "n"`` without quotes, and ``[app]`` tables, mean the same: TOML's dotted
keys are joined back into the id.) An entry that cannot be honoured is reported, with the
file and the entry, and left out; every other entry applies. Refused: an id no binding has,
a value that is not a key or list of keys, a key Textual has no name for, a key that SSH or
tmux swallows before it reaches us (said why), and a key that would leave another binding
unreachable (two on one screen, two of the app's, or a screen's under the lock key). A key
an app-wide binding shares with some screen's is applied with a note: there the screen's
own binding wins, as it does with the default keys. The whole file is refused when it is not
a regular file, belongs to another user, is writable by anyone (whoever could write it could
remap the lock key), is over :data:`MAX_BYTES`, or is not UTF-8 TOML.

No Textual here: the app shell passes what only Textual knows (the bindings of each screen,
which names are keys) and applies the result with ``App.set_keymap``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hrd_tui.paths import KEYMAP_NAME

__all__ = ["APP_OWNER", "KEYMAP_NAME", "MAX_BYTES", "REFUSED_KEYS", "Keymap", "Problem", "check", "entries", "read"]

#: Some 150 bindings at a line each is under 8 KiB: anything much larger is not a keymap.
MAX_BYTES = 64 * 1024
#: Ids have a few dotted parts ("app.go.contacts"); deeper tables are not ids.
MAX_ID_PARTS = 6
#: Keys per binding: more than a handful is a mistake (or a file built to be slow).
MAX_KEYS_PER_BINDING = 8

MODIFIERS = ("ctrl", "alt", "shift", "meta", "super", "hyper")  # Textual's order in key names

#: Keys that never reach a program over SSH or in tmux, arrive as another key (STYLE.md's
#: SSH pitfalls), or that Textual's own widgets keep.
REFUSED_KEYS: dict[str, str] = {
    "ctrl+s": "terminals take it for flow control (XOFF: the screen freezes until ctrl+q)",
    "ctrl+q": "terminals take it for flow control (XON)",
    "ctrl+b": "it is tmux's prefix key",
    "ctrl+h": "terminals send it as backspace",
    "ctrl+i": "terminals send it as tab",
    "ctrl+m": "terminals send it as enter",
    "ctrl+j": "terminals send it as a newline (enter)",
    "ctrl+enter": "over SSH it arrives as plain enter",
    "shift+enter": "over SSH it arrives as plain enter",
    "ctrl+c": "Textual keeps it to copy selected text (and a shell, to interrupt)",
    "ctrl+z": "text areas keep it to undo (and a shell, to suspend)",
}

#: The owner whose bindings are active on every screen (the app's own).
APP_OWNER = "app"


@dataclass(frozen=True)
class Problem:
    """One entry (or the whole file, ``entry`` None) left out, and why."""

    path: Path
    entry: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}" if self.entry is None else f"{self.path}, {self.entry!r}"
        return f"{where}: {self.reason}"


@dataclass
class Keymap:
    """What to give ``App.set_keymap`` (id to comma-separated keys), what was left out, and
    what to know about what applies."""

    keys: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # entries left out
    notes: list[Problem] = field(default_factory=list)  # entries applied, with something to know


def read(path: Path) -> tuple[dict[str, Any], list[Problem]]:
    """The file's TOML, or a problem saying why the whole file is refused. No file: nothing, no problem.

    Opened without blocking (a FIFO put in its place must not hang the start) and checked
    on the open descriptor, so what is checked is what is read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        return {}, [Problem(path, None, f"cannot be read ({exc.strerror}); no key is remapped")]
    try:
        st = os.fstat(fd)
        refused = _refusal(st)
        if refused:
            return {}, [Problem(path, None, f"{refused}; no key is remapped")]
        data = b""
        while len(data) <= MAX_BYTES:
            chunk = os.read(fd, MAX_BYTES + 1 - len(data))
            if not chunk:
                break
            data += chunk
    except OSError as exc:
        return {}, [Problem(path, None, f"cannot be read ({exc.strerror}); no key is remapped")]
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        return {}, [Problem(path, None, f"is larger than {MAX_BYTES // 1024} KiB; not a keymap, no key is remapped")]
    import tomllib  # only when there is a file: the start without one stays as light as it was

    try:
        return tomllib.loads(data.decode("utf-8")), []
    except UnicodeDecodeError:
        return {}, [Problem(path, None, "is not UTF-8 text; no key is remapped")]
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        return {}, [Problem(path, None, f"is not valid TOML ({_short(exc)}); no key is remapped")]


def _refusal(st: os.stat_result) -> str | None:
    if not stat.S_ISREG(st.st_mode):
        return "is not a regular file"
    if st.st_uid not in (os.getuid(), 0):
        return "belongs to another user"
    if st.st_mode & stat.S_IWOTH:
        return (
            f"is writable by every user (mode {stat.S_IMODE(st.st_mode):o}: chmod o-w it), so anyone could remap keys"
        )
    if st.st_size > MAX_BYTES:
        return f"is larger than {MAX_BYTES // 1024} KiB; not a keymap"
    return None


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def entries(raw: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, object]]:
    """(binding id, value) in file order; tables (``[app]``, ``app.quick_note = ...``) joined by dots."""
    for name, value in raw.items():
        binding_id = f"{prefix}{name}"
        if isinstance(value, dict) and binding_id.count(".") < MAX_ID_PARTS:
            yield from entries(value, f"{binding_id}.")
        else:
            yield binding_id, value


def check(
    path: Path,
    raw: Mapping[str, Any],
    owners: Mapping[str, Mapping[str, str]],
    key_name: Callable[[str], str | None],
    priority: Collection[str] = (),
) -> Keymap:
    """The entries of ``raw`` that can be honoured, and a problem for each that cannot.

    ``owners`` maps each screen or widget (and :data:`APP_OWNER`) to its bindings: id to
    comma-separated default keys; ``priority`` names the app's bindings that win on every
    screen (the lock). ``key_name`` gives the name Textual uses for a key without
    modifiers ("?" is "question_mark"), or None when it is no key."""
    keymap = Keymap()
    known = {binding_id for bindings in owners.values() for binding_id in bindings}
    wanted: dict[str, list[str]] = {}
    for binding_id, value in entries(raw):
        if binding_id not in known:
            keymap.problems.append(
                Problem(path, binding_id, "no binding has this id (the help screen, F1 then i, shows them)")
            )
            continue
        keys, problem = _keys(value, key_name)
        if problem:
            keymap.problems.append(Problem(path, binding_id, problem))
        else:
            wanted[binding_id] = keys
    # Drop the last entry in the file that leaves a key to two bindings, until none does:
    # swapping two bindings' keys is fine, taking a key another binding keeps is not.
    while clash := _last_clash(wanted, owners, priority):
        binding_id, other, key, where = clash
        del wanted[binding_id]
        keymap.problems.append(
            Problem(path, binding_id, f"{key!r} is also {other}'s key ({where}); one of them could never be used")
        )
    keymap.keys = {binding_id: ",".join(keys) for binding_id, keys in wanted.items()}
    keymap.notes = _shadowed(wanted, owners, path)
    return keymap


def _keys(value: object, key_name: Callable[[str], str | None]) -> tuple[list[str], str | None]:
    """The value's keys in Textual's names, or why they cannot be used."""
    if isinstance(value, str):
        typed = [part.strip() for part in value.split(",")] if value.strip() != "," else [","]
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        typed = [item.strip() for item in value]
    else:
        return [], 'must be a key ("n") or a list of keys (["n", "f5"])'
    if not typed or not all(typed):
        return [], "gives no key (an empty key or list); the binding keeps its own"
    if len(typed) > MAX_KEYS_PER_BINDING:
        return [], f"gives {len(typed)} keys; at most {MAX_KEYS_PER_BINDING}"
    keys: list[str] = []
    for key in typed:
        name, problem = _key(key, key_name)
        if problem:
            return [], problem
        if name not in keys:
            keys.append(name)
    return keys, None


def _key(key: str, key_name: Callable[[str], str | None]) -> tuple[str, str | None]:
    """One key ("n", "ctrl+o", "shift+f5", "?") in Textual's name for it, or why it is refused."""
    if key.endswith("+") and len(key) > 1:  # "ctrl++": the plus key with modifiers
        modifiers, base = key[:-1].rstrip("+").split("+"), "+"
    else:
        *modifiers, base = key.split("+") if len(key) > 1 else [key]
    lowered = [modifier.lower() for modifier in modifiers]
    if any(m not in MODIFIERS for m in lowered) or len(set(lowered)) != len(lowered):
        return "", f"{key!r} is not a key: modifiers are {', '.join(MODIFIERS)}, each once, joined by '+'"
    if lowered and len(base) == 1 and base.isalpha():
        base = base.lower()  # with a modifier, Textual names the letter in lower case ("ctrl+shift+n")
    name = key_name(base) if base else None
    if name is None:
        return "", f'{key!r} is not a key name Textual knows (e.g. "n", "f5", "ctrl+o", "question_mark")'
    full = "+".join([*sorted(lowered, key=MODIFIERS.index), name])
    if full in REFUSED_KEYS:
        return "", f"{full!r} cannot be used: {REFUSED_KEYS[full]}"
    return full, None


def _effective(bindings: Mapping[str, str], wanted: Mapping[str, list[str]]) -> dict[str, set[str]]:
    """Key to the ids holding it once the keymap is applied."""
    by_key: dict[str, set[str]] = {}
    for binding_id, default in bindings.items():
        for key in wanted.get(binding_id) or [k.strip() for k in default.split(",")]:
            by_key.setdefault(key, set()).add(binding_id)
    return by_key


def _last_clash(
    wanted: Mapping[str, list[str]], owners: Mapping[str, Mapping[str, str]], priority: Collection[str]
) -> tuple[str, str, str, str] | None:
    """(the remapped id to drop, an id it clashes with, the key, where) for the clash that the
    latest entry in the file takes part in; None when there is none.

    Two bindings clash when, once the keymap applies, they share a key in one screen or widget
    (Textual keeps one of them), or among the app's own, or one is the app's priority binding
    (the lock: it wins everywhere) and the other a screen's."""
    order = {binding_id: n for n, binding_id in enumerate(wanted)}
    app = owners.get(APP_OWNER, {})
    app_priority = {binding_id: keys for binding_id, keys in app.items() if binding_id in priority}
    found: list[tuple[str, str, str, str]] = []
    for owner, bindings in owners.items():
        together = bindings if owner == APP_OWNER else {**app_priority, **bindings}
        for key, ids in _effective(together, wanted).items():
            remapped = [binding_id for binding_id in ids if binding_id in order and key in wanted[binding_id]]
            if len(ids) > 1 and remapped:
                drop = max(remapped, key=order.__getitem__)
                where = "among the app's keys" if owner == APP_OWNER else f"on {owner}"
                found.append((drop, min(ids - {drop}), key, where))
    return max(found, key=lambda clash: order[clash[0]]) if found else None


def _shadowed(wanted: Mapping[str, list[str]], owners: Mapping[str, Mapping[str, str]], path: Path) -> list[Problem]:
    """A note for each remapped key that an app-wide binding and a screen's both hold: the
    screen's wins there (as with the default keys), the app's works everywhere else."""
    app = owners.get(APP_OWNER, {})
    places: dict[tuple[str, str], list[str]] = {}
    for owner, bindings in owners.items():
        if owner == APP_OWNER:
            continue
        for key, ids in _effective(bindings, wanted).items():
            for app_id in _effective(app, wanted).get(key, set()):
                if any(b in wanted and key in wanted[b] for b in (app_id, *ids)):
                    places.setdefault((app_id, key), []).append(f"{min(ids)} on {owner}")
    notes = []
    for (app_id, key), where in places.items():
        more = f" and {len(where) - 2} more" if len(where) > 2 else ""
        notes.append(
            Problem(
                path,
                app_id,
                f"applied, but {key!r} is also {', '.join(where[:2])}{more}, "
                "where the screen's own binding wins (as with the default keys)",
            )
        )
    return notes
