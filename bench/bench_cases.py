"""Active-threats list benchmark: list_cases with 2,000 cases over 3,000 contacts.

Run: python bench/bench_cases.py [--cases 2000] [--contacts 3000] [--quick]

Builds an encrypted vault (HRD_TUI_TEST_KDF=1: the unlock KDF is not what is
measured) with fictional contacts (names from bench_contacts.py, focus areas)
and cases (fixed seed): one to three defenders each, threat types, 0-3 risk
assessments, 2-8 actions with due dates, 3-10 timeline events, about 15%
closed. Then measures case_list.list_cases:

  * the default view (every open case);
  * each filter: every status, urgency, perpetrator, a few threat types and
    focus areas, closed included;
  * search as you type: every prefix of a few queries (a case's title words
    with accents left out, a defender's name, a codename, Cyrillic);

each for the first page of 100 rows (what a screen loads first) and for the
whole list (no limit). Full garbage collections that land inside the measured
calls are counted: each adds tens of milliseconds that belong to the process.

Then the real program in a real terminal (tmux at 80x24, skipped without tmux):
`a` to the list shown, each key of the search typed to the new count shown
("100+ cases" while more than a page matches), and Enter to a case shown. One
capture-pane poll takes a few milliseconds: that is the resolution.

Target (printed as PASS/MISS, never asserted): p95 < 50 ms per call.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

# Before hrd_tui is imported: the tiny test KDF (unlocking is not what is measured),
# and bench_contacts beside this file, whose names and figures this reuses.
os.environ["HRD_TUI_TEST_KDF"] = "1"
sys.path.insert(0, str(Path(__file__).parent))

from bench_contacts import FIRST, LAST, ORGS, PASSPHRASE, TERMINAL, keystroke_latencies, stats, unlocked
from helpers.terminal import installed
from sqlmodel import Session, SQLModel

from hrd_tui import vault as vaultmod
from hrd_tui.models import (
    CaseAction,
    CaseDefender,
    CaseThreatType,
    Contact,
    ContactFocusArea,
    RiskAssessment,
    ThreatCase,
    TimelineEvent,
)
from hrd_tui.services import case_list
from hrd_tui.services.case_list import CaseFilter
from hrd_tui.vocab import (
    ActionStatus,
    CaseStatus,
    FocusArea,
    Perpetrator,
    RiskLevel,
    ThreatType,
    Urgency,
)

SEED = 20261129
BATCH = 500
PAGE = 100
TITLES = [
    "Detención arbitraria en {place}",
    "Amenazas tras la marcha de {place}",
    "Surveillance of the {org}",
    "Campaña de difamación contra {org}",
    "Обыск в офисе, {place}",
    "Travel ban after {place} hearing",
    "Intimidation at the {place} land site",
    "Threats to the family, {place}",
]
PLACES = ["Bogotá", "Córdoba", "Mérida", "Kharkiv", "Lagos", "Nairobi", "São Paulo", "Ciudad Juárez", "Iași"]
TYPED = ["detencion", "amenazas cordoba", "garcia", "bench-0123", "ольга", "surveillance"]


def build(vault_dir: Path, cases: int, people: int) -> None:
    """Contacts first, then cases in batches, each with its defenders, assessments, actions and events."""
    rng = random.Random(SEED)
    today = date.today()
    opened, _ = vaultmod.create(vault_dir, PASSPHRASE)
    with opened:
        ids = _contacts(opened, rng, people)
        made = 0
        while made < cases:
            with opened.store.session("bench data") as session:
                for _ in range(min(BATCH, cases - made)):
                    _case(session, rng, ids, today)
                made = min(made + BATCH, cases)


def _contacts(opened: vaultmod.Vault, rng: random.Random, count: int) -> list[str]:
    ids: list[str] = []
    for start in range(0, count, BATCH):
        with opened.store.session("bench data") as session:
            batch = [
                Contact(
                    name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}",
                    codename=f"Bench-{n:05d}",
                    organisation=rng.choice(ORGS),
                )
                for n in range(start, min(start + BATCH, count))
            ]
            session.add_all(batch)
            session.flush()
            session.add_all(
                [
                    ContactFocusArea(contact_id=c.id, area=a)
                    for c in batch
                    for a in rng.sample(list(FocusArea), rng.randint(0, 3))
                ]
            )
            ids += [c.id for c in batch]
    return ids


def _case(session: Session, rng: random.Random, contact_ids: list[str], today: date) -> None:
    opened_on = today - timedelta(days=rng.randint(0, 700))
    closed = rng.random() < 0.15
    title = rng.choice(TITLES).format(place=rng.choice(PLACES), org=rng.choice(ORGS))
    case = ThreatCase(
        title=title,
        summary=f"{title}. Reported by the defender; details in the timeline.",
        status=CaseStatus.CLOSED if closed else rng.choice([s for s in CaseStatus if s != CaseStatus.CLOSED]),
        urgency=rng.choice(list(Urgency)),
        perpetrator=rng.choice(list(Perpetrator)),
        opened_on=opened_on,
        closed_on=today if closed else None,
        outcome="Resolved." if closed else "",
    )
    session.add(case)
    session.flush()
    rows: list[SQLModel] = [
        CaseDefender(case_id=case.id, contact_id=c) for c in rng.sample(contact_ids, rng.randint(1, 3))
    ]
    rows += [CaseThreatType(case_id=case.id, threat_type=t) for t in rng.sample(list(ThreatType), rng.randint(1, 3))]
    for _ in range(rng.randint(0, 3)):
        rows.append(
            RiskAssessment(
                case_id=case.id,
                assessed_on=opened_on + timedelta(days=rng.randint(0, 30)),
                threat=3,
                vulnerability=3,
                capacity=3,
                risk_level=rng.choice(list(RiskLevel)),
            )
        )
    for n in range(rng.randint(2, 8)):
        status = rng.choice([ActionStatus.PLANNED, ActionStatus.DOING, ActionStatus.NOT_APPLICABLE])
        rows.append(
            CaseAction(
                case_id=case.id,
                title=f"Action {n}",
                status=status,
                due_on=today + timedelta(days=rng.randint(-30, 60)) if rng.random() < 0.8 else None,
            )
        )
    start = datetime.combine(opened_on, datetime.min.time(), UTC)
    for n in range(rng.randint(3, 10)):
        rows.append(
            TimelineEvent(
                case_id=case.id, text=f"Event {n}.", occurred_at=start + timedelta(hours=rng.randint(0, 24 * 300))
            )
        )
    session.add_all(rows)


class FullCollections:
    """Counts Python's full (generation 2) garbage collections: one landing inside a
    call adds tens of ms that are the process's, not the query's."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            self.count += 1


def figures(vault_dir: Path) -> None:
    opened = vaultmod.unlock(vault_dir, vaultmod.Secret(PASSPHRASE), readonly=True)
    today = date.today()
    full = FullCollections()
    gc.callbacks.append(full)
    with opened:

        def timed(flt: CaseFilter, limit: int | None) -> float:
            with opened.store.session("bench") as session:
                start = time.perf_counter()
                case_list.list_cases(session, flt, today=today, limit=limit)
                return (time.perf_counter() - start) * 1000

        def report(label: str, filters: list[CaseFilter]) -> None:
            for limit, how in ((PAGE, f"first {PAGE}"), (None, "whole list")):
                before = full.count
                samples = [timed(flt, limit) for flt in filters]
                print(f"  {label:<24}{how:<12}{stats(samples)}  full GCs {full.count - before}")

        report("default view", [CaseFilter()] * 30)
        report(
            "each filter",
            [
                flt
                for flt in (
                    [CaseFilter(status=s) for s in CaseStatus]
                    + [CaseFilter(urgency=u) for u in Urgency]
                    + [CaseFilter(perpetrator=p) for p in Perpetrator]
                    + [CaseFilter(threat_type=t) for t in list(ThreatType)[:5]]
                    + [CaseFilter(focus_area=f) for f in list(FocusArea)[:5]]
                    + [
                        CaseFilter(include_closed=True),
                        CaseFilter(urgency=Urgency.EMERGENCY, focus_area=FocusArea.LABOUR),
                    ]
                )
                for _ in range(3)
            ],
        )
        prefixes = [word[:i] for word in TYPED for i in range(1, len(word) + 1)]
        report("each prefix typed", [CaseFilter(query=q) for q in prefixes])
        report("prefix, closed included", [CaseFilter(query=q, include_closed=True) for q in prefixes])
        with opened.store.session("bench") as session:
            shown = len(case_list.list_cases(session, CaseFilter(), today=today))
            every = len(case_list.list_cases(session, CaseFilter(include_closed=True), today=today))
        print(f"  ({shown:,} open cases of {every:,}; a page is the first {PAGE} rows, as a screen loads them)")
    gc.callbacks.remove(full)


def _count_label(session: Session, query: str, today: date) -> str:
    """What the list's count shows for a search: the screen loads a page of 100 at a time."""
    from hrd_tui.screens.threats import PAGE_SIZE

    found = len(case_list.list_cases(session, CaseFilter(query=query), today=today, limit=PAGE_SIZE + 1))
    if found > PAGE_SIZE:
        return f"{PAGE_SIZE}+ cases"
    return f"{found} case{'s' if found != 1 else ''}"


def screen_figures(vault_dir: Path, root: Path, words: list[str] = TYPED, opens: int = 10) -> None:
    """The real program in a real terminal (tmux, 80x24): key sent to the list redrawn."""
    if not installed():
        print("  screen: tmux not installed, skipped")
        return
    opened = vaultmod.unlock(vault_dir, vaultmod.Secret(PASSPHRASE), readonly=True)
    expected: list[tuple[str, str]] = []  # (key, the count line its result shows)
    with opened, opened.store.session("bench") as session:
        today = date.today()
        for word in words:
            expected += [(word[i - 1], _count_label(session, word[:i], today)) for i in range(1, len(word) + 1)]
            expected += [("BSpace", _count_label(session, word[:i], today)) for i in range(len(word) - 1, -1, -1)]
    with unlocked(vault_dir, root, "hrd-bench-cases", "[t Today]") as name:
        print(
            f"  screen, open the list:        {TERMINAL.seconds_to(name, 'a', '100+ cases', timeout=30.0) * 1000:6.1f} ms"
        )
        TERMINAL.send(name, "/")
        time.sleep(0.3)
        print(f"  screen, keystroke to redraw:  {stats(keystroke_latencies(name, expected, '100+ cases'))}")
        TERMINAL.send(name, "Enter")  # back to the list
        time.sleep(0.3)
        opened_at = []
        for _ in range(opens):
            opened_at.append(TERMINAL.seconds_to(name, "Enter", "Risk (g reassesses)", timeout=5.0) * 1000)
            TERMINAL.send(name, "Escape")
            TERMINAL.wait_for(name, "[a Threats]", timeout=5.0)
            TERMINAL.send(name, "Down")
            time.sleep(0.1)
        print(f"  screen, Enter to a case:      {stats(opened_at)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=2_000)
    parser.add_argument("--contacts", type=int, default=3_000)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run at tiny sizes (the test suite runs it): the figures mean little",
    )
    args = parser.parse_args()
    if args.quick:
        args.cases, args.contacts = 200, 300  # the screen's figures need more than a page of open cases
    root = Path(tempfile.mkdtemp(prefix="hrd-bench-cases-"))
    try:
        vault_dir = root / "vault"
        start = time.perf_counter()
        build(vault_dir, args.cases, args.contacts)
        print(f"built {args.cases:,} cases over {args.contacts:,} contacts in {time.perf_counter() - start:.1f} s")
        figures(vault_dir)
        words, opens = (TYPED[:1], 2) if args.quick else (TYPED, 10)
        screen_figures(vault_dir, root, words, opens)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
