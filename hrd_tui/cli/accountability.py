"""``hrd-tui accountability``: what happened after an attack (issue 19).

``list --case ID`` (or ``--observation ID``) prints the state in words and each step;
``add`` records a step, ``edit STEP`` corrects one, ``delete STEP`` removes one (each
kept in the history, and said in a case's timeline); ``count`` lists the attacks with
no investigation N days or more after (data/accountability.toml's N unless ``--days``),
as of today or ``--on``. Records are named as discreet mode names them: a case by its
defenders' codenames. Arguments are checked before the passphrase is asked.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from hrd_tui.cli.common import confirmed, day_option, open_vault, out, texts_from_stdin
from hrd_tui.errors import UsageError

if TYPE_CHECKING:
    from datetime import date

    from sqlmodel import Session


def _check(args: argparse.Namespace) -> dict[str, Any]:
    """The fields given, checked before the passphrase is asked."""
    from hrd_tui.vocab import AccountabilityStep

    action = args.action
    owners = [x for x in (args.case, args.observation) if x]
    if action in ("list", "add") and len(owners) != 1:
        raise UsageError(f"'accountability {action}' takes --case ID or --observation ID (one of the two).")
    if action in ("edit", "delete", "count") and owners:
        raise UsageError(f"'accountability {action}' takes no --case or --observation.")
    if action in ("edit", "delete") and not args.step_id:
        raise UsageError(f"'accountability {action}' needs the STEP's id (as 'accountability list' shows it).")
    if action not in ("edit", "delete") and args.step_id:
        raise UsageError(f"'accountability {action}' takes no STEP id.")
    fields: dict[str, Any] = {}
    if args.step is not None:
        if args.step not in {s.value for s in AccountabilityStep}:
            raise UsageError(f"--step is one of {', '.join(s.value for s in AccountabilityStep)}.")
        fields["step"] = args.step
    if args.on is not None:
        fields["on_date"] = day_option(args.on, "--on")
    for name in ("source", "note"):
        if getattr(args, name) is not None:
            fields[name] = getattr(args, name)
    if action == "add" and ("step" not in fields or "source" not in fields):
        raise UsageError("'accountability add' needs --step and --source (who says so).")
    if action == "edit" and not fields:
        raise UsageError("'accountability edit' needs at least one of --step, --on, --source, --note.")
    if action in ("list", "delete") and fields:
        raise UsageError(f"'accountability {action}' takes no --step, --on, --source or --note.")
    if action == "count":
        if set(fields) - {"on_date"}:
            raise UsageError("'accountability count' takes only --on, --days and --open-only.")
    elif args.days is not None or args.open_only:
        raise UsageError("--days and --open-only go with 'accountability count'.")
    if args.days is not None and args.days < 1:
        raise UsageError("--days must be 1 or more.")
    return fields


def _owner(session: Session, args: argparse.Namespace) -> dict[str, str]:
    from hrd_tui.models import CivicObservation, ThreatCase
    from hrd_tui.services import base

    if args.case:
        return {"case_id": base.resolve_id(session, ThreatCase, args.case, "case")}
    return {"observation_id": base.resolve_id(session, CivicObservation, args.observation, "observation")}


def _list(opened: Any, args: argparse.Namespace) -> None:
    from hrd_tui.sanitize import for_display
    from hrd_tui.services import accountability, base, reference

    with opened.store.session("reading the accountability steps") as session:
        owner = _owner(session, args)
    view = accountability.read_accountability(opened.store, **owner, discreet=True)
    what = "Case" if view.kind == accountability.CASE else "Observation"
    attack = "an attack" if view.is_attack else "not an attack by the app's definition"
    out(for_display(f"{what} {base.short_id(view.record_id)}: {view.label} ({attack}, from {view.counted_from})"))
    out(for_display(f"State: {view.state}"))
    for s in view.steps:
        line = (
            f"{base.short_id(s.id)}  {s.on_date}  {reference.label('accountability_step', s.step)}  source: {s.source}"
        )
        out(for_display(line + (f"  note: {s.note}" if s.note else "")))
    if not view.steps:
        out("No step recorded.")


def _count(opened: Any, args: argparse.Namespace, as_of: date) -> None:
    from hrd_tui.sanitize import for_display
    from hrd_tui.services import accountability, base

    days = args.days or accountability.policy().investigation_days
    rows = accountability.read_without_investigation(
        opened.store, as_of, discreet=True, days=days, for_today=args.open_only
    )
    which = "open " if args.open_only else ""
    out(
        f"{len(rows)} {which}attack{'s' if len(rows) != 1 else ''} without an investigation {days} days or more after (as of {as_of}):"
    )
    for r in rows:
        out(for_display(f"{r.counted_from}  {r.days} d  {r.kind} {base.short_id(r.record_id)}  {r.label}  [{r.state}]"))


def _delete(opened: Any, args: argparse.Namespace) -> int:
    from hrd_tui.models import AccountabilityStep
    from hrd_tui.services import accountability, base, reference

    with opened.store.session("reading the accountability step") as session:
        step_id = base.resolve_id(session, AccountabilityStep, args.step_id, "step")
        step = base.get(session, AccountabilityStep, step_id)
        what = f"'{reference.label('accountability_step', step.step)}' of {step.on_date}"
    if not confirmed(args.yes, f"Delete the step {what}? It stays in the history. [y/N] ", "Nothing was deleted"):
        return 0
    accountability.remove_step(opened.store, step_id)
    out(f"Deleted the step {what} ({base.short_id(step_id)}).")
    return 0


def cmd_accountability(args: argparse.Namespace) -> int:
    fields = _check(args)
    texts_from_stdin(args, fields, ("source", "note"))
    from hrd_tui import wallclock
    from hrd_tui.models import AccountabilityStep
    from hrd_tui.services import accountability, base, reference

    with open_vault(args, readonly=args.action in ("list", "count")) as opened:
        if args.action == "list":
            _list(opened, args)
        elif args.action == "count":
            _count(opened, args, fields.get("on_date") or wallclock.today())
        elif args.action == "delete":
            return _delete(opened, args)
        else:
            with opened.store.session("saving the accountability step") as session:
                if args.action == "add":
                    step = accountability.add_step(session, fields, **_owner(session, args))
                else:
                    step_id = base.resolve_id(session, AccountabilityStep, args.step_id, "step")
                    step = accountability.update_step(session, base.get(session, AccountabilityStep, step_id), fields)
                label = reference.label("accountability_step", step.step)
                done = "Recorded" if args.action == "add" else "Corrected"
                out(f"{done}: {base.short_id(step.id)}  {step.on_date}  {label}")
    return 0
