"""``hrd-tui resource``: the protection resources, shipped and the post's own.

``list`` shows both side by side (``--retired``: the retired ones too), each marked in
words as shipped or the post's own, with the date an outside fact was last checked;
``show ID`` one whole, its contact notes included (the terminal is the officer's own).
``add``, ``edit ID``, ``retire ID`` and ``reinstate ID`` change the post's own; the
shipped list is read-only (data/resources.toml). Every change is in the history.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any

from hrd_tui.cli.common import open_vault, out, texts_from_stdin
from hrd_tui.errors import UsageError, ValidationError

if TYPE_CHECKING:
    from hrd_tui.services.resources import ResourceView

#: The options that set a field (argparse dest -> the field).
FIELD_OPTIONS = ("name", "kind", "funds", "eligibility", "how_to_refer", "url", "contact_notes", "as_of")


def _line(view: ResourceView) -> str:
    marks = [view.whose, view.kind_label]
    if view.as_of:
        marks.append(view.as_of_text())
    if view.retired_on:
        marks.append(f"retired on {view.retired_on.isoformat()}")
    return f"{view.short_id}  {view.name}  ({'; '.join(marks)})"


def _fields(args: argparse.Namespace) -> dict[str, Any]:
    return {name: getattr(args, name) for name in FIELD_OPTIONS if getattr(args, name) is not None}


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError({"on": f"'{text}' is not a date (YYYY-MM-DD)"}) from None


def _check(args: argparse.Namespace) -> None:
    """A mistake in the command line is one line, before the passphrase is asked."""
    fields = _fields(args)
    needs_id = args.action in ("show", "edit", "retire", "reinstate")
    if needs_id and not args.id:
        raise UsageError(f"'resource {args.action}' needs the ID of the resource (as 'hrd-tui resource list' shows).")
    if not needs_id and args.id:
        raise UsageError(f"'resource {args.action}' takes no ID.")
    if fields and args.action not in ("add", "edit"):
        raise UsageError("--name, --kind, --offers ... are for 'resource add' and 'resource edit'.")
    if args.action == "add" and not args.name:
        raise UsageError("'resource add' needs --name.")
    if args.action == "edit" and not fields:
        raise UsageError("'resource edit' needs at least one of --name, --kind, --offers ... to change.")
    if args.retired and args.action != "list":
        raise UsageError("--retired is for 'resource list'.")
    if args.on is not None and args.action != "retire":
        raise UsageError("--on is for 'resource retire'.")


#: The options whose text may be read from standard input ('-'): it stays out of argv.
STDIN_TEXTS = ("funds", "eligibility", "how_to_refer", "contact_notes")


def cmd_resource(args: argparse.Namespace) -> int:
    _check(args)
    stdin_text: dict[str, object] = {name: getattr(args, name) for name in STDIN_TEXTS}
    texts_from_stdin(args, stdin_text, STDIN_TEXTS)
    for name, value in stdin_text.items():
        setattr(args, name, value)
    retire_on = _day(args.on)
    from hrd_tui import wallclock
    from hrd_tui.sanitize import for_display
    from hrd_tui.services import resources

    with open_vault(args, readonly=args.action in ("list", "show")) as opened:
        with opened.store.session("the resources") as session:
            if args.action == "list":
                rows = [resources.view(r) for r in resources.listed(session, retired=args.retired)]
                for row in rows:
                    out(for_display(_line(row), single_line=True))
                return 0
            if args.action == "add":
                changed = resources.add(session, _fields(args))
            else:
                found = resources.resolve(session, args.id)
                if args.action == "show":
                    view = resources.view(found)
                    out(for_display(f"Id: {view.id}\n{view.details()}"))
                    return 0
                if args.action == "edit":
                    changed = resources.edit(session, found, _fields(args))
                elif args.action == "retire":
                    changed = resources.retire(session, found, retire_on or wallclock.today())
                else:
                    changed = resources.reinstate(session, found)
            out(for_display(_line(resources.view(changed)), single_line=True))
    return 0
