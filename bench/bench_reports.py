"""Reports and the civic-space trend at a busy post's size.

Run: python bench/bench_reports.py [--contacts 10000] [--observations 3000] [--quick]

Builds an encrypted vault (HRD_TUI_TEST_KDF=1: unlocking is not what is measured)
with the contacts and cases of bench_contacts.py and a year of civic-space
observations (fixed seed), each linked to a contact and one in five sensitive.
Then times:

  * monitoring.trend over the last 12 months (drawn when `g` is pressed);
  * monitoring.list_observations, the default view and a search;
  * reports.render_report for each type over a quarter and over a year (what the
    reports screen's F2 and `hrd-tui report` both run).

Targets (printed as PASS/MISS, never asserted): trend and list under 50 ms; a
report under 5 s (a draft is asked for a few times a month, not per keystroke).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("HRD_TUI_TEST_KDF", "1")
sys.path.insert(0, str(Path(__file__).parent))

from bench_contacts import PASSPHRASE, build  # noqa: E402
from sqlmodel import select  # noqa: E402

from hrd_tui import vault as vaultmod  # noqa: E402
from hrd_tui.models import CivicObservation, Contact, ObservationLink  # noqa: E402
from hrd_tui.services import monitoring, reports  # noqa: E402
from hrd_tui.vocab import CivicCategory, ReportType  # noqa: E402

SEED = 8


def add_observations(vault_dir: Path, count: int) -> None:
    rng = random.Random(SEED)
    today = date.today()
    opened = vaultmod.unlock(vault_dir, vaultmod.Secret(PASSPHRASE))
    with opened:
        with opened.store.session("bench") as session:
            people = list(session.exec(select(Contact.id).limit(2000)))
        for start in range(0, count, 500):
            with opened.store.session("bench observations") as session:
                batch = [CivicObservation(
                    observed_on=today - timedelta(days=rng.randint(0, 364)), category=rng.choice(list(CivicCategory)),
                    description=f"Observation {n}: {rng.choice(['raid', 'arrest', 'smear', 'dialogue', 'permit'])} "
                                f"reported in the capital", location="Riverside" if rng.random() < 0.5 else None,
                    location_sensitive=rng.random() < 0.2) for n in range(start, min(start + 500, count))]
                session.add_all(batch)
                session.flush()
                session.add_all([ObservationLink(observation_id=o.id, contact_id=rng.choice(people)) for o in batch])


def timed(fn, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def line(label: str, samples: list[float], target_ms: float) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    verdict = "PASS" if p95 < target_ms else "MISS"
    return (f"  {label:<28} n={len(samples):3d}  p50 {statistics.median(samples):8.1f} ms  p95 {p95:8.1f} ms  "
            f"[{verdict} < {target_ms:.0f} ms]")


def figures(vault_dir: Path) -> None:
    today = date.today()
    opened = vaultmod.unlock(vault_dir, vaultmod.Secret(PASSPHRASE), readonly=True)
    with opened, opened.store.session("bench") as session:
        print(line("trend, 12 months", timed(lambda: monitoring.trend(session, today), 20), 50))
        print(line("observations, first 100", timed(lambda: monitoring.list_observations(
            session, monitoring.ObservationFilter(), limit=100), 20), 50))
        print(line("observations, search 'raid'", timed(lambda: monitoring.list_observations(
            session, monitoring.ObservationFilter(query="raid"), limit=100), 20), 50))
        for days, label in ((90, "quarter"), (364, "year")):
            for kind in ReportType:
                samples = timed(lambda k=kind, d=days: reports.render_report(session, k, today - timedelta(days=d), today), 3)
                print(line(f"report {kind.value}, a {label}", samples, 5000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--observations", type=int, default=3_000)
    parser.add_argument("--quick", action="store_true", help="a smoke run at tiny sizes (the test suite runs it): "
                        "the figures mean little")
    args = parser.parse_args()
    if args.quick:
        args.contacts, args.observations = 300, 200
    root = Path(tempfile.mkdtemp(prefix="hrd-bench-reports-"))
    try:
        vault_dir = root / "vault"
        start = time.perf_counter()
        build(vault_dir, args.contacts)
        add_observations(vault_dir, args.observations)
        print(f"built {args.contacts:,} contacts and {args.observations:,} observations "
              f"in {time.perf_counter() - start:.1f} s")
        figures(vault_dir)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
