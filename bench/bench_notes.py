"""Quick-note benchmark: typing and saving lines with 100,000 notes in the vault.

Run: python bench/bench_notes.py [--notes 100000] [--quick]

Builds an encrypted vault (HRD_TUI_TEST_KDF=1: the unlock KDF is not what is
measured) with N trial notes over 200 hearings of 50 trials; today's hearing
holds 500 of them. Then measures:

  * the service: committing one note line (trials.add_note in its own
    transaction, with the history and search-index hooks), 300 times;
  * the real program in a real terminal (tmux at 80x24, `w` opens today's
    hearing): each key typed into the note line until it shows, and each Enter
    until the saved line shows in the log; beside a bare Textual app's echo
    through the same path, for reference.

Targets (printed as PASS/MISS, never asserted): keystroke to screen < 50 ms,
commit p95 < 20 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

os.environ["HRD_TUI_TEST_KDF"] = "1"

from bench_contacts import ALPHABET, TERMINAL, echo_baseline, stats, unlocked  # noqa: E402  (same folder)
from helpers.terminal import installed  # noqa: E402  (tests/, on the path since bench_contacts)

from hrd_tui import vault as vaultmod  # noqa: E402
from hrd_tui.models import TrialNote  # noqa: E402
from hrd_tui.services import trials  # noqa: E402
from hrd_tui.vocab import NoteTag  # noqa: E402

SEED = 20261128
PASSPHRASE = "bench passphrase"
BATCH = 5000
WORDS = (
    "witness",
    "judge",
    "prosecutor",
    "defence",
    "recess",
    "evidence",
    "testimony",
    "handcuffs",
    "public",
    "gallery",
    "interpreter",
    "objection",
    "sustained",
    "adjourned",
    "медленно",
    "شاهد",
    "法官",
)


def build(vault_dir: Path, count: int) -> str:
    """The vault; returns today's hearing id."""
    rng = random.Random(SEED)
    now = datetime.now().astimezone()
    # Today's hearing started half an hour ago, or at midnight in the first half hour of
    # a day (half an hour before 00:19 is yesterday: the note screen would find no hearing).
    today_start = max(now - timedelta(minutes=30), now.replace(hour=0, minute=0, second=0, microsecond=0))
    opened, _ = vaultmod.create(vault_dir, PASSPHRASE)
    with opened:
        hearings: list[str] = []
        with opened.store.session("bench trials") as session:
            for t in range(50):
                trial = trials.create_trial(
                    session, {"title": f"Bench trial {t}", "case_number": f"B/{t}", "court": "Court"}
                )
                for h in range(4):
                    start = now - timedelta(days=400 - t * 8 - h) if (t, h) != (49, 3) else today_start
                    hearings.append(trials.add_hearing(session, trial, {"starts_at": start}).id)
        today_id = hearings[-1]
        weights = [1.0] * (len(hearings) - 1)
        rest = max(0, count - 500)
        made = 0
        while made < count:
            with opened.store.session("bench notes") as session:
                batch = []
                for n in range(made, min(made + BATCH, count)):
                    hearing = today_id if n >= rest else hearings[rng.choices(range(len(weights)), weights)[0]]
                    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 18)))
                    batch.append(TrialNote(hearing_id=hearing, text=text, tag=rng.choice([None, *NoteTag])))
                session.add_all(batch)
                made += len(batch)
        return today_id


def service_figures(vault_dir: Path, hearing_id: str, runs: int = 300) -> None:
    opened = vaultmod.unlock(vault_dir, vaultmod.Secret(PASSPHRASE))
    commits = []
    with opened:
        for n in range(runs):
            start = time.perf_counter()
            with opened.store.session("bench note") as session:
                trials.add_note(session, trials.base.get(session, trials.Hearing, hearing_id), f"t: bench line {n}")
            commits.append((time.perf_counter() - start) * 1000)
    ordered = sorted(commits)
    p95 = ordered[int(len(ordered) * 0.95)]
    print(
        f"  service, one note committed:  p50 {statistics.median(commits):5.1f} ms  p95 {p95:5.1f} ms  "
        f"max {ordered[-1]:5.1f} ms  [{'PASS' if p95 < 20 else 'MISS'} < 20 ms]"
    )


def screen_figures(vault_dir: Path, root: Path, lines: int = 12, echo: str = ALPHABET) -> None:
    if not installed():
        print("  screen: tmux not installed, skipped")
        return
    # Not "f1 Help" for the unlocked app: the unlock screen shows that too.
    with unlocked(vault_dir, root, "hrd-bench-notes", "[t Today]", timeout=60) as name:
        shown = TERMINAL.seconds_to(name, "w", "type, then Enter", timeout=30.0)
        print(
            f"  screen, w to the note screen: {shown * 1000:6.1f} ms (today's hearing, with every line the service run added)"
        )
        keys, commits = [], []
        for n in range(lines):
            typed = f"zq{n:02d}xline"  # "zq": in no other text on the screen
            TERMINAL.send(name, typed[0])
            time.sleep(0.1)
            for i in range(1, len(typed)):
                keys.append(TERMINAL.seconds_to(name, typed[i], typed[: i + 1], timeout=5.0) * 1000)
                time.sleep(0.03)
            # The same handler saves, adds the line to the log and empties the input.
            commits.append(TERMINAL.seconds_to(name, "Enter", "type, then Enter", timeout=5.0) * 1000)
            time.sleep(0.1)
        print(f"  screen, keystroke to screen:  {stats(keys)}")
        print(f"  screen, Enter to saved line:  {stats(commits)}")
        floor = echo_baseline(echo)
        print(
            f"  (bare Textual, key shown in a second widget: p50 {statistics.median(floor):6.1f} ms; the note line"
            " is the field itself, so a key shows sooner)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run at tiny sizes (the test suite runs it): the figures mean little",
    )
    args = parser.parse_args()
    if args.quick:
        args.notes = 1_000
    root = Path(tempfile.mkdtemp(prefix="hrd-bench-notes-"))
    try:
        start = time.perf_counter()
        hearing_id = build(root / "vault", args.notes)
        print(f"built {args.notes:,} notes in {time.perf_counter() - start:.1f} s")
        commits, lines, echo = (30, 2, ALPHABET[:3]) if args.quick else (300, 12, ALPHABET)
        service_figures(root / "vault", hearing_id, commits)
        screen_figures(root / "vault", root, lines, echo)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
