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
import atexit
import compileall
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASSPHRASE = "bench startup passphrase 2026"
#: A person takes at least this long to type a passphrase; the app uses the time
#: to load the vault's modules in the background.
TYPING_SECONDS = 2.0


TMUX_SERVER = f"hrd-bench-startup-{os.getpid()}"  # its own server: see bench_contacts.TMUX_SERVER
atexit.register(lambda: subprocess.run(["tmux", "-L", TMUX_SERVER, "kill-server"], capture_output=True))


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", TMUX_SERVER, *args], capture_output=True, text=True).stdout


#: What each program draws once its prompt is up: a label and the field's placeholder
#: (Textual draws an Input's placeholder a frame after the first: both wait for it).
BARE_DRAWN = ("bare prompt", "bare field")
UNLOCK_DRAWN = ("the vault is locked", "type, then Enter")
TODAY_DRAWN = ("Follow-ups due",)


def until(session: str, texts: tuple[str, ...], timeout: float = 30.0) -> float:
    """Poll the terminal until every one of ``texts`` shows; the moment it did (perf_counter)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        screen = tmux("capture-pane", "-p", "-t", session)
        if all(text in screen for text in texts):
            return time.perf_counter()
        time.sleep(0.005)
    raise RuntimeError(f"{texts!r} did not appear in {timeout} s:\n{screen}")


def timed_start(command: str, drawn: tuple[str, ...], session: str) -> float:
    start = time.perf_counter()
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)
    return until(session, drawn) - start


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def figure(label: str, samples: list[float]) -> str:
    return (f"  {label:<42} median {statistics.median(samples) * 1000:6.0f} ms  "
            f"p95 {p95(samples) * 1000:6.0f} ms")


def compile_package() -> str:
    """Byte-compile hrd-tui's own modules, as pip does when it installs the package.

    A checkout run with PYTHONDONTWRITEBYTECODE set (as this project's workstations
    are) would otherwise compile every hrd_tui module from source at each start,
    some 30 ms an officer never pays; the bare app's Textual is compiled already.
    """
    places = [*importlib.util.find_spec("hrd_tui").submodule_search_locations,
              *importlib.util.find_spec("hrd_tui.screens").submodule_search_locations]
    ok = all(compileall.compile_dir(place, quiet=2) for place in places)
    return "byte-compiled as installed" if ok else "NOT all byte-compiled (read-only?): figures include compiling"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="two runs, test KDF: a smoke run")
    args = parser.parse_args()
    runs, typing = (2, 0.5) if args.quick else (args.runs, TYPING_SECONDS)
    if not shutil.which("tmux"):
        sys.exit("tmux is needed")
    hrd = Path(sys.executable).with_name("hrd-tui")
    root = Path(tempfile.mkdtemp(prefix="hrd-bench-startup-"))
    vault_dir, settings = root / "vault", root / "config"
    env = {"XDG_CONFIG_HOME": str(settings)} | ({"HRD_TUI_TEST_KDF": "1"} if args.quick else {})
    # tmux starts a session with its server's environment, not ours: say what we mean.
    env_prefix = "env -u HRD_TUI_TEST_KDF " + " ".join(f"{k}={v}" for k, v in env.items())
    (root / "pw").write_text(PASSPHRASE + "\n")
    cli = [str(hrd), "--vault", str(vault_dir), "--passphrase-file", str(root / "pw")]
    run_env = {k: v for k, v in os.environ.items() if k != "HRD_TUI_TEST_KDF"} | env
    subprocess.run([*cli, "init"], check=True, capture_output=True, env=run_env)
    info = subprocess.run([*cli, "info"], check=True, capture_output=True, text=True, env=run_env).stdout
    compiled = compile_package()
    kdf = next((line.split(None, 3)[-1] for line in info.splitlines() if line.startswith("key slot: passphrase")), "?")
    bare: list[float] = []
    prompt: list[float] = []
    today: list[float] = []
    session = f"hrd-bench-startup-{os.getpid()}"
    # A session that outlives the timed ones: the server must not be exiting (its last
    # session killed) just as the next timed one starts.
    tmux("new-session", "-d", "-s", "keep", "sleep 86400")

    def bare_run() -> None:
        bare.append(timed_start(f"{sys.executable} {HERE / 'bare_app.py'}", BARE_DRAWN, session + "b"))
        tmux("kill-session", "-t", session + "b")

    try:
        for i in range(runs):
            if i % 2 == 0:  # which starts first alternates: neither always meets a warm cache first
                bare_run()
            prompt.append(timed_start(f"{env_prefix} {hrd} --vault {vault_dir}", UNLOCK_DRAWN, session))
            tmux("send-keys", "-t", session, PASSPHRASE)
            time.sleep(typing)
            start = time.perf_counter()
            tmux("send-keys", "-t", session, "Enter")
            today.append(until(session, TODAY_DRAWN) - start)
            tmux("kill-session", "-t", session)
            if i % 2 == 1:
                bare_run()
            time.sleep(0.3)
    finally:  # a session left by a failed run: kill-session on a gone one does nothing
        for name in (session, session + "b"):
            tmux("kill-session", "-t", name)
        shutil.rmtree(root, ignore_errors=True)
    ratio = statistics.median(prompt) / statistics.median(bare)
    print(f"runs: {runs} each, interleaved; terminal 80x24 in tmux; this vault's KDF: {kdf}; hrd-tui {compiled}"
          + ("  (--quick: a smoke run)" if args.quick else ""))
    print(figure("bare Textual app, start -> prompt drawn", bare))
    print(figure("hrd-tui, start -> unlock prompt drawn", prompt))
    print(f"  {'ratio hrd-tui / bare (medians)':<42} {ratio:6.2f} x   (p95s: {p95(prompt) / p95(bare):.2f} x)")
    print(figure("hrd-tui, Enter -> today view drawn", today))
    print(f"  {'PASS' if ratio <= 1.3 else 'MISS'}  unlock prompt within 1.3x of the bare app")


if __name__ == "__main__":
    main()
