"""``hrd-tui demarche``: démarches and meetings with officials, tied to cases and trials (issue 19).

``list --case ID`` (or ``--trial ID``) prints what is linked there, newest first;
``log`` records a démarche (``--official CODENAME --message TEXT``, ``--response``,
``--follow-up TEXT --due YYYY-MM-DD``) about the ``--case`` and ``--trial`` given (one or
more); ``edit INTERACTION`` corrects one (a response that came later, most often);
``delete INTERACTION`` removes one (asked, or ``--yes``). Every change is kept in the
history and the linked cases' timelines follow. People are named by codename only, as
discreet mode names them. ``-`` for a text reads it from standard input, so what was
said need not be typed into the shell's history. Arguments are checked before the
passphrase is asked.
"""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING, Any

from hrd_tui.cli.common import confirmed, open_vault, out, texts_from_stdin
from hrd_tui.errors import UsageError

if TYPE_CHECKING:
    from hrd_tui.services.demarches import DemarcheView

_WHEN = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?")
_TEXTS = ("message", "response", "summary")


def _when(value: str) -> Any:
    from datetime import datetime, time

    from hrd_tui.services.base import no_such_day

    try:
        if _WHEN.fullmatch(value.strip()):
            if len(value.strip()) == 10:
                return datetime.combine(datetime.fromisoformat(value.strip()).date(), time(12, 0)).astimezone()
            return datetime.fromisoformat(value.strip()).astimezone()
    except ValueError:
        pass
    raise UsageError(f"--when {no_such_day(value) or 'takes YYYY-MM-DD HH:MM (local time) or YYYY-MM-DD'}.")


def _due(value: str) -> Any:
    from datetime import date

    from hrd_tui.services.base import no_such_day

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--due {no_such_day(value) or 'takes a date as YYYY-MM-DD'}.") from None


def _check(args: argparse.Namespace) -> dict[str, Any]:
    """The fields given, checked before the passphrase is asked (the texts given as '-'
    are read after, from standard input)."""
    action = args.action
    if action in ("edit", "delete") and not args.interaction:
        raise UsageError(f"'demarche {action}' needs the INTERACTION's id (as 'demarche list' shows it).")
    if action in ("list", "log") and args.interaction:
        raise UsageError(f"'demarche {action}' takes no INTERACTION id.")
    if action == "list" and len((args.case or []) + (args.trial or [])) != 1:
        raise UsageError("'demarche list' takes --case ID or --trial ID (one of the two).")
    if action == "log" and not (args.case or args.trial):
        raise UsageError("'demarche log' needs the --case or the --trial it was about (one or more).")
    fields: dict[str, Any] = {}
    for name in (*_TEXTS, "official", "where"):
        if getattr(args, name) is not None:
            fields["location" if name == "where" else name] = getattr(args, name)
    if args.others is not None:
        fields["others"] = [part.strip() for part in args.others.split(",") if part.strip()]
    if args.when is not None:
        fields["occurred_at"] = _when(args.when)
    if args.where is not None:
        fields["location_sensitive"] = not args.where_not_sensitive
    if args.follow_up is not None or args.due is not None:
        if action != "log":
            raise UsageError("--follow-up and --due go with 'demarche log' (a later follow-up: on the contact's page).")
        if args.follow_up is None or args.due is None:
            raise UsageError("a follow-up needs both --follow-up TEXT and --due YYYY-MM-DD.")
        fields["follow_up"], fields["follow_up_due"] = args.follow_up, _due(args.due)
    if action == "edit":
        if args.case is not None:
            fields["cases"] = args.case
        if args.trial is not None:
            fields["trials"] = args.trial
        if not fields:
            raise UsageError("'demarche edit' needs something to correct (--response, --message, --official ...).")
    if action in ("list", "delete") and fields:
        raise UsageError(f"'demarche {action}' takes only --case/--trial (list) or --yes (delete).")
    if action == "log":
        if "official" not in fields or "message" not in fields:
            raise UsageError("'demarche log' needs --official CODENAME and --message TEXT (or '-' to read it).")
        fields |= {"kind": "demarche", "cases": args.case or [], "trials": args.trial or []}
    return fields


def _show(d: DemarcheView) -> list[str]:
    from hrd_tui.services import base, demarches

    lines = [f"{base.short_id(d.id)}  {demarches.line(d, discreet=True)}"]
    if d.is_demarche:
        lines += [f"    Message: {d.message}", f"    Response: {d.response or '(none recorded yet)'}"]
    for f in d.follow_ups:
        state = f"done {f.done_on}" if f.done_on else f"due {f.due_on}"
        lines.append(f"    Follow-up ({state}): {f.description}")
    return lines


def _list(opened: Any, args: argparse.Namespace) -> None:
    from hrd_tui import wallclock
    from hrd_tui.sanitize import for_display
    from hrd_tui.services import base, case_list, demarches, trials

    today = wallclock.today()
    with opened.store.session("finding the record") as session:
        if args.case:
            (record_id,) = case_list.resolve_cases(session, args.case, "--case", today=today)
        else:
            (record_id,) = trials.resolve_trials(session, args.trial, "--trial", today=today)
    found = (demarches.read_for_case if args.case else demarches.read_for_trial)(opened.store, record_id)
    what = "case" if args.case else "trial"
    out(f"{len(found)} interaction{'s' if len(found) != 1 else ''} linked to the {what} {base.short_id(record_id)}:")
    for d in found:
        for line in _show(d):
            out(for_display(line))


def _interaction_id(opened: Any, typed: str) -> str:
    from hrd_tui.models import Interaction
    from hrd_tui.services import base

    with opened.store.session("finding the interaction") as session:
        return base.resolve_id(session, Interaction, typed, "interaction")


def _delete(opened: Any, args: argparse.Namespace) -> int:
    from hrd_tui.sanitize import for_display
    from hrd_tui.services import base, demarches

    interaction_id = _interaction_id(opened, args.interaction)
    shown = for_display(demarches.line(demarches.read_one(opened.store, interaction_id), discreet=True))
    question = f"Delete {shown}, with its follow-ups and its timeline entries? It stays in the history. [y/N] "
    if not confirmed(args.yes, question, "Nothing was deleted"):
        return 0
    demarches.remove(opened.store, interaction_id)
    out(f"Deleted {base.short_id(interaction_id)}: {shown}")
    return 0


def cmd_demarche(args: argparse.Namespace) -> int:
    fields = _check(args)
    texts_from_stdin(args, fields, _TEXTS)
    from hrd_tui.sanitize import for_display
    from hrd_tui.services import demarches

    with open_vault(args, readonly=args.action == "list") as opened:
        if args.action == "list":
            _list(opened, args)
            return 0
        if args.action == "delete":
            return _delete(opened, args)
        if args.action == "log":
            saved = demarches.save(opened.store, None, None, fields)
            done = "Logged"
        else:
            saved = demarches.save(opened.store, None, _interaction_id(opened, args.interaction), fields)
            done = "Corrected"
        for line in _show(demarches.read_one(opened.store, saved)):
            out(for_display(f"{done}: {line}" if done else line))
            done = ""
    return 0
