"""Start-up figures, in a real terminal (tmux, 80x24): printed, never asserted.

* process start -> the unlock prompt drawn (its title and the passphrase field), for
  hrd-tui and for a bare Textual app that draws one input (bare_app.py), interleaved
  run by run (which starts first alternates); aim: hrd-tui within 1.3x of the bare
  app (the vault's modules are imported only after the prompt is drawn);
* Enter on the passphrase -> the today view drawn (Argon2id with this machine's
  calibrated parameters, opening SQLCipher, schema check, drafts), the
  passphrase having been typed over TYPING_SECONDS as a person would.

Each figure is the median and the p95 of the runs. hrd-tui is the installed
console script beside this Python (the package as CI installs it).

Run: python bench/bench_startup.py [--runs 15] [--quick]
(--quick: two runs on a vault with the test KDF, HRD_TUI_TEST_KDF=1: a smoke run
whose figures mean little.)
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The tests' helpers (tests/helpers): the same tmux driver and CLI runner as the
# end-to-end tests. A checkout's tests/ folder, beside this one.
sys.path.insert(0, str(HERE.parent / "tests"))

from helpers.cli import run_hrd  # noqa: E402
from helpers.terminal import Tmux, hrd_command, installed  # noqa: E402

PASSPHRASE = "bench startup passphrase 2026"
#: A person takes at least this long to type a passphrase; the app uses the time
#: to load the vault's modules in the background.
TYPING_SECONDS = 2.0


#: Its own tmux server (see bench_contacts.TERMINAL), polled every 5 ms.
TERMINAL = Tmux(name=f"hrd-bench-startup-{os.getpid()}", poll=0.005)


#: What each program draws once its prompt is up: a label and the field's placeholder
#: (Textual draws an Input's placeholder a frame after the first: both wait for it).
BARE_DRAWN = ("bare prompt", "bare field")
UNLOCK_DRAWN = ("the vault is locked", "type, then Enter")
TODAY_DRAWN = ("Follow-ups due",)


def timed_start(command: str, drawn: tuple[str, ...], name: str) -> tuple[str, float]:
    """A new terminal running ``command``: its session, and the seconds until ``drawn`` shows."""
    start = time.perf_counter()
    session = TERMINAL.start(command, name)
    return session, TERMINAL.moment(session, *drawn, timeout=30.0) - start


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def figure(label: str, samples: list[float]) -> str:
    return f"  {label:<42} median {statistics.median(samples) * 1000:6.0f} ms  p95 {p95(samples) * 1000:6.0f} ms"


def compile_package() -> str:
    """Byte-compile hrd-tui's own modules, as pip does when it installs the package.

    A checkout run with PYTHONDONTWRITEBYTECODE set (as this project's workstations
    are) would otherwise compile every hrd_tui module from source at each start,
    some 30 ms an officer never pays; the bare app's Textual is compiled already.
    """
    places = [
        *importlib.util.find_spec("hrd_tui").submodule_search_locations,
        *importlib.util.find_spec("hrd_tui.screens").submodule_search_locations,
    ]
    ok = all(compileall.compile_dir(place, quiet=2) for place in places)
    return "byte-compiled as installed" if ok else "NOT all byte-compiled (read-only?): figures include compiling"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="two runs, test KDF: a smoke run")
    args = parser.parse_args()
    runs, typing = (2, 0.5) if args.quick else (args.runs, TYPING_SECONDS)
    if not installed():
        sys.exit("tmux is needed")
    root = Path(tempfile.mkdtemp(prefix="hrd-bench-startup-"))
    vault_dir, settings = root / "vault", root / "config"
    env = {"XDG_CONFIG_HOME": str(settings)} | ({"HRD_TUI_TEST_KDF": "1"} if args.quick else {})
    (root / "pw").write_text(PASSPHRASE + "\n")
    cli = ["--vault", str(vault_dir), "--passphrase-file", str(root / "pw")]
    run_hrd(*cli, "init", env=env, unset=("HRD_TUI_TEST_KDF",), check=True)
    info = run_hrd(*cli, "info", env=env, unset=("HRD_TUI_TEST_KDF",), check=True).stdout
    compiled = compile_package()
    kdf = next((line.split(None, 3)[-1] for line in info.splitlines() if line.startswith("key slot: passphrase")), "?")
    bare: list[float] = []
    prompt: list[float] = []
    today: list[float] = []
    hrd = hrd_command(vault_dir, env, unset=("HRD_TUI_TEST_KDF",))
    # A session that outlives the timed ones: the server must not be exiting (its last
    # session killed) just as the next timed one starts.
    TERMINAL.start("sleep 86400", "keep")

    def bare_run() -> None:
        session, seconds = timed_start(f"{sys.executable} {HERE / 'bare_app.py'}", BARE_DRAWN, "bare")
        TERMINAL.kill(session)
        bare.append(seconds)

    try:
        for i in range(runs):
            if i % 2 == 0:  # which starts first alternates: neither always meets a warm cache first
                bare_run()
            session, seconds = timed_start(hrd, UNLOCK_DRAWN, "hrd")
            prompt.append(seconds)
            TERMINAL.send(session, PASSPHRASE)
            time.sleep(typing)
            today.append(TERMINAL.seconds_to(session, "Enter", *TODAY_DRAWN, timeout=30.0))
            TERMINAL.kill(session)
            if i % 2 == 1:
                bare_run()
            time.sleep(0.3)
    finally:  # sessions a failed run left, before their vault goes
        TERMINAL.kill_server()
        shutil.rmtree(root, ignore_errors=True)
    ratio = statistics.median(prompt) / statistics.median(bare)
    print(
        f"runs: {runs} each, interleaved; terminal 80x24 in tmux; this vault's KDF: {kdf}; hrd-tui {compiled}"
        + ("  (--quick: a smoke run)" if args.quick else "")
    )
    print(figure("bare Textual app, start -> prompt drawn", bare))
    print(figure("hrd-tui, start -> unlock prompt drawn", prompt))
    print(f"  {'ratio hrd-tui / bare (medians)':<42} {ratio:6.2f} x   (p95s: {p95(prompt) / p95(bare):.2f} x)")
    print(figure("hrd-tui, Enter -> today view drawn", today))
    print(f"  {'PASS' if ratio <= 1.3 else 'MISS'}  unlock prompt within 1.3x of the bare app")


if __name__ == "__main__":
    main()
