"""Starting the app: ``hrd-tui`` with no command, and ``hrd-tui demo``.

Textual is imported only here, and only when the app starts.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from hrd_tui import paths
from hrd_tui.cli.common import err
from hrd_tui.errors import UsageError

DEMO_PASSPHRASE = "demo"


def cmd_demo(args: argparse.Namespace) -> int:
    import hrd_tui.services  # noqa: F401 - registers what every vault holds (hrd_tui.vault_hooks)
    from hrd_tui import demo, vault

    vault_dir = Path(args.vault).expanduser() if args.vault else paths.default_demo_dir()
    if vault.exists(vault_dir):
        opened = vault.unlock(vault_dir, vault.Secret(DEMO_PASSPHRASE))
        created = False
    else:
        err(f"creating a demo vault at {vault_dir} (fictional data; passphrase: {DEMO_PASSPHRASE})...")
        opened, _code = vault.create(vault_dir, DEMO_PASSPHRASE)
        created = True
    with opened:
        with opened.store.session("filling the demo vault") as session:
            filled = demo.populate(session)
    state = "created and filled" if created or filled else "already there; nothing added"
    print(f"Demo vault at {vault_dir}: {state}. Passphrase: {DEMO_PASSPHRASE}", flush=True)
    if args.create_only:
        return 0
    return start_app(vault_dir)


def scrub_ui_environment(environ: dict[str, str] | os._Environ[str]) -> list[str]:
    """Turn off Textual's log file and devtools: they record every message,
    what is typed (the passphrase included) among them. Returns what was removed."""
    removed = []
    if environ.pop("TEXTUAL_LOG", None) is not None:
        removed.append("TEXTUAL_LOG")
    features = [f for f in environ.get("TEXTUAL", "").split(",") if f.strip()]
    kept = [f for f in features if f.strip() not in ("devtools", "debug")]
    if kept != features:
        removed.append("TEXTUAL=" + ",".join(sorted(set(features) - set(kept))))
        environ["TEXTUAL"] = ",".join(kept)
    return removed


def start_app(vault_dir: Path) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("The app needs a terminal; for scripts use the commands (see hrd-tui --help).")
    for name in scrub_ui_environment(os.environ):
        err(f"warning: ignoring {name}: Textual's logging would record what is typed.")
    from hrd_tui.app import make_app  # Textual is imported only when the app starts

    make_app(vault_dir).run()
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    return start_app(paths.resolve_vault_dir(args.vault))
