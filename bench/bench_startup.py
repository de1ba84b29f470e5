"""Start-up figures, in a real terminal (tmux, 80x24): printed, never asserted.

* process start -> the unlock prompt drawn, for hrd-tui and for a bare Textual
  app that draws one input (bare_app.py); aim: hrd-tui within 1.3x of the bare app
  (heavy modules are imported only after unlock);
* Enter on the passphrase -> the today view drawn (Argon2id with this machine's
  calibrated parameters, opening SQLCipher, schema check, drafts), the
  passphrase having been typed over TYPING_SECONDS as a person would.

Run: python bench/bench_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
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


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout


def until(session: str, text: str, timeout: float = 30.0) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if text in tmux("capture-pane", "-p", "-t", session):
            return time.perf_counter()
        time.sleep(0.005)
    raise RuntimeError(f"{text!r} did not appear in {timeout} s")


def timed_start(command: str, marker: str, session: str) -> float:
    start = time.perf_counter()
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)
    return until(session, marker) - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not shutil.which("tmux"):
        sys.exit("tmux is needed")
    hrd = Path(sys.executable).with_name("hrd-tui")
    root = Path(tempfile.mkdtemp(prefix="hrd-bench-startup-"))
    vault_dir, settings = root / "vault", root / "config"
    (root / "pw").write_text(PASSPHRASE + "\n")
    subprocess.run([str(hrd), "--vault", str(vault_dir), "--passphrase-file", str(root / "pw"), "init"],
                   check=True, capture_output=True)
    info = subprocess.run([str(hrd), "--vault", str(vault_dir), "--passphrase-file", str(root / "pw"), "info"],
                          check=True, capture_output=True, text=True).stdout
    kdf = next((line.split(None, 3)[-1] for line in info.splitlines() if line.startswith("key slot: passphrase")), "?")
    bare, prompt, today = [], [], []
    try:
        for i in range(args.runs):
            session = f"hrd-bench-{i}"
            bare.append(timed_start(f"{sys.executable} {HERE / 'bare_app.py'}", "bare prompt", session + "b"))
            tmux("kill-session", "-t", session + "b")
            env = f"env XDG_CONFIG_HOME={settings}"
            prompt.append(timed_start(f"{env} {hrd} --vault {vault_dir}", "the vault is locked", session))
            tmux("send-keys", "-t", session, PASSPHRASE)
            time.sleep(TYPING_SECONDS)
            start = time.perf_counter()
            tmux("send-keys", "-t", session, "Enter")
            today.append(until(session, "Coming in its own milestone") - start)
            tmux("kill-session", "-t", session)
            time.sleep(0.3)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    med = statistics.median
    print(f"runs: {args.runs} (median, min-max), terminal 80x24 in tmux; this vault's KDF: {kdf}")
    print(f"  bare Textual app, start -> prompt drawn   {med(bare) * 1000:7.0f} ms  ({min(bare) * 1000:.0f}-{max(bare) * 1000:.0f})")
    print(f"  hrd-tui, start -> unlock prompt drawn      {med(prompt) * 1000:7.0f} ms  ({min(prompt) * 1000:.0f}-{max(prompt) * 1000:.0f})")
    print(f"  ratio hrd-tui / bare                       {med(prompt) / med(bare):7.2f} x   (aim: <= 1.3x)")
    print(f"  hrd-tui, Enter -> today view drawn         {med(today) * 1000:7.0f} ms  ({min(today) * 1000:.0f}-{max(today) * 1000:.0f})")
    print(f"  {'PASS' if med(prompt) / med(bare) <= 1.3 else 'MISS'}  unlock prompt within 1.3x of the bare app")


if __name__ == "__main__":
    main()
