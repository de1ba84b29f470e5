"""``hrd-tui plan``: the owners and due days a new threat case plans its actions with.

With no action, lists every planned action: the app's suggestion, the post's own
value where it set one, and whose each is. ``set ITEM`` gives the post's owner and/or
due days for one item (``template:item``, as listed), ``reset ITEM`` goes back to the
app's suggestion. Cases already open keep their actions; every change is in the history.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from hrd_tui.cli.common import open_vault, out
from hrd_tui.errors import UsageError

if TYPE_CHECKING:
    from hrd_tui.services.plan import PlanItem


def _days(days: int | None) -> str:
    return "-" if days is None else f"{days} d"


def _line(item: PlanItem) -> str:
    suggested = f"suggested {item.suggested_owner}, {_days(item.suggested_days)}"
    return f"{item.key}  {item.owner}, {_days(item.due_days)}  ({item.whose}; {suggested})  {item.text}"


def cmd_plan(args: argparse.Namespace) -> int:
    if args.action is None and (args.item or args.owner is not None or args.due_days is not None):
        raise UsageError("give 'set ITEM' or 'reset ITEM' (see 'hrd-tui plan --help').")
    if args.action is not None and not args.item:
        raise UsageError(f"'plan {args.action}' needs the ITEM it changes (template:item, as 'hrd-tui plan' lists).")
    if args.action == "set" and args.owner is None and args.due_days is None:
        raise UsageError("'plan set' needs --owner and/or --due-days ('plan reset' goes back to the suggestion).")
    if args.action == "reset" and (args.owner is not None or args.due_days is not None):
        raise UsageError("'plan reset' takes no --owner or --due-days.")
    from hrd_tui.sanitize import for_display
    from hrd_tui.services import plan

    if args.action == "set":  # checked before the passphrase is asked: a mistake costs nothing
        plan.parse_setting(args.owner, args.due_days)
    with open_vault(args, readonly=args.action is None) as opened:
        with opened.store.session("the case plan") as session:
            if args.action is None:
                out(plan.PLAN_NOTE)
                for item in plan.plan_items(session):
                    out(for_display(_line(item)))
                return 0
            if args.action == "set":
                current = plan.find_item(session, args.item)
                owner = args.owner if args.owner is not None else current.post_owner
                days = args.due_days if args.due_days is not None else current.post_days
                item = plan.set_item(session, args.item, owner, days)
            else:
                item = plan.reset_item(session, args.item)
            out(for_display(_line(item)))
    return 0
