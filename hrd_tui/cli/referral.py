"""``hrd-tui referral``: referrals, and the stages of those to a mechanism (issue 19).

``list`` shows every referral (``--case ID``: one case's), with its status and, for a
referral to a mechanism, its stage, the day reached and when it is due a check;
``add CASE --resource ID --purpose P`` records one (``--sent``: the CSO filed it, the
consent gate applies); ``stage REFERRAL STAGE [--on DAY]`` moves a mechanism referral
to a stage of its own mechanism, or corrects it back. Each change is on the case's
timeline and in the history, as from the app.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

from hrd_tui.cli.common import open_vault, out, require_current_schema
from hrd_tui.errors import UsageError, ValidationError

if TYPE_CHECKING:
    from sqlmodel import Session

    from hrd_tui.models import Referral


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError({option: f"'{text}' is not a date (YYYY-MM-DD)"}) from None


def _check(args: argparse.Namespace) -> None:
    """A mistake in the command line is one line, before the passphrase is asked."""
    if args.action == "list" and (args.ref or args.stage):
        raise UsageError("'referral list' takes no ID (--case ID lists one case's).")
    if args.action == "add" and (not args.ref or not args.resource or not args.purpose or args.stage):
        raise UsageError(
            "'referral add CASE --resource ID --purpose PURPOSE' needs the case, --resource and --purpose."
        )
    if args.action == "stage" and (not args.ref or not args.stage):
        raise UsageError(
            "'referral stage REFERRAL STAGE' needs the referral (as 'referral list' shows it) and a stage."
        )
    if args.action != "add" and (args.resource or args.purpose or args.shares or args.sent):
        raise UsageError("--resource, --purpose, --shares and --sent are for 'referral add'.")
    if args.action != "list" and args.case:
        raise UsageError("--case is for 'referral list'.")
    if args.on is not None and args.action == "list":
        raise UsageError("--on is for 'referral add --sent' and 'referral stage'.")


def _line(session: Session, referral: Referral, today: date) -> str:
    from hrd_tui.services import base, mechanisms, reference, threats

    parts = [reference.label("referral_status", referral.status).lower()]
    if referral.sent_on:
        parts.append(f"sent {referral.sent_on}")
    if referral.stage:
        parts.append(f"stage '{mechanisms.stage_label(referral.purpose, referral.stage)}' since {referral.stage_on}")
    due = threats.referral_due_on(referral)
    if due is not None:
        late = " LATE" if threats.referral_overdue(referral, today) else ""
        parts.append(("check by " if referral.stage else "answer due ") + f"{due}{late}")
    return (
        f"{base.short_id(referral.id)}  case {base.short_id(referral.case_id)}  "
        f"{reference.resource_name(session, referral.resource_id)}: "
        f"{reference.label('referral_purpose', referral.purpose)} ({'; '.join(parts)})"
    )


def cmd_referral(args: argparse.Namespace) -> int:
    _check(args)
    on = _day(args.on, "on")
    from sqlmodel import col, select

    from hrd_tui import wallclock
    from hrd_tui.models import Referral, Resource, ThreatCase
    from hrd_tui.sanitize import for_display
    from hrd_tui.services import base, threats

    today = wallclock.today()
    with open_vault(args, readonly=args.action == "list") as opened:
        require_current_schema(opened, "list")
        with opened.store.session("the referrals") as session:
            if args.action == "list":
                stmt = select(Referral).order_by(col(Referral.created_at))
                if args.case:
                    stmt = stmt.where(Referral.case_id == base.resolve_id(session, ThreatCase, args.case, "--case"))
                rows = list(session.exec(stmt))
                for referral in rows:
                    out(for_display(_line(session, referral, today), single_line=True))
                if not rows:
                    out("No referral.")
                return 0
            if args.action == "add":
                case = base.get(session, ThreatCase, base.resolve_id(session, ThreatCase, args.ref, "CASE"))
                data: dict[str, object] = {
                    "resource_id": base.resolve_id(session, Resource, args.resource, "--resource"),
                    "purpose": args.purpose,
                    "shared": [s.strip() for s in (args.shares or "").split(",") if s.strip()],
                }
                if args.sent:
                    data |= {"status": "sent", "sent_on": on or today}
                referral = threats.add_referral(session, case, data)
            else:
                referral = base.get(session, Referral, base.resolve_id(session, Referral, args.ref, "REFERRAL"))
                changes: dict[str, object] = {"stage": args.stage}
                if on is not None:
                    changes["stage_on"] = on
                threats.update_referral(session, referral, changes)
            out(for_display(_line(session, referral, today), single_line=True))
    return 0
