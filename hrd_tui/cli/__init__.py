"""The command line: ``hrd-tui [--vault DIR] COMMAND``.

A passphrase never comes from argv (it would show in ``ps`` and shell
history): it is asked on the terminal, or read from ``--passphrase-file``
(``-`` for standard input) by scripts. Every failure is one line on stderr and
a documented exit code (errors.py); no traceback reaches the terminal, since a
traceback can carry vault data.

The package, module by module:

* ``table``: every command's name, help and arguments, and the "module:function"
  that runs it; ``parser`` builds the argument parser from it. Neither imports a
  command module, so ``--help``, ``COMMAND --help`` and an argument error stay light.
* ``common``: what the command modules share (messages, asking for secrets and
  answers, opening the vault, writing an output file).
* the commands, by group: ``start`` (the app, the demo), ``vault`` (init, info,
  check, backup), ``keys`` (passwd, rekey, bind-workstation), ``export``,
  ``report``, ``importing`` (import), ``handover``, ``purge``, ``wipe`` (wipe,
  wipe-after). Each imports the vault and the services inside its commands.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable

from hrd_tui import paths
from hrd_tui.cli.common import err
from hrd_tui.cli.parser import build_parser
from hrd_tui.cli.table import PACKAGE
from hrd_tui.errors import HrdError

DEBUG_ENV = "HRD_TUI_DEBUG"


def command_function(target: str) -> Callable[..., int]:
    """The function a "module:function" target of the table names (its module imported now)."""
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(f"{PACKAGE}.{module}"), function)  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    paths.harden_process()
    args = build_parser().parse_args(argv)
    try:
        return command_function(args.target)(args)
    except HrdError as exc:
        err(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        err("interrupted; nothing half-written was kept.")
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if os.environ.get(DEBUG_ENV) == "1":
            raise
        err(
            f"internal error ({type(exc).__name__}); details are not printed because they may hold vault data. "
            f"Run with {DEBUG_ENV}=1 to see them."
        )
        return 70


__all__ = ["DEBUG_ENV", "build_parser", "command_function", "main"]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
