"""The argument parser, built from the table of commands (hrd_tui.cli.table).

It imports no command module: each command is named by its "module:function"
target, set on the parsed arguments as ``target`` and imported by
hrd_tui.cli.main only when it runs.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from hrd_tui import paths
from hrd_tui.cli.table import COMMANDS, DEFAULT_TARGET


class Parser(argparse.ArgumentParser):
    """argparse, minus the habit of echoing what was typed: a mistyped command
    line may hold a passphrase, which must not reach the terminal or a log."""

    def error(self, message: str) -> NoReturn:
        if "invalid choice" in message:
            message = "unknown command (see 'hrd-tui --help')"
        elif message.startswith("unrecognized arguments"):
            message = "unrecognized arguments (passphrases are never given on the command line; see --passphrase-file)"
        self.print_usage(sys.stderr)
        self.exit(2, f"hrd-tui: error: {message}\n")


def _global_options(parser: argparse.ArgumentParser, default: object) -> None:
    """The options every command takes, before the command or after it."""
    parser.add_argument(
        "--vault",
        metavar="DIR",
        default=default,
        help=f"the vault directory (default: ${paths.VAULT_ENV} or {paths.default_vault_dir()})",
    )
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        default=default,
        help="read the passphrase from FILE ('-' for standard input) instead of asking",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="hrd-tui",
        allow_abbrev=False,  # "--passphrase SECRET" must not pass as --passphrase-file
        description="A secure terminal workbench for Human Rights Officers. With no command, starts the app.",
        epilog="Passphrases are never taken from the command line. Exit codes are listed in the README.",
    )
    _global_options(parser, default=None)
    # The same options after the command too ("hrd-tui info --passphrase-file F"): there they
    # are left unset unless given (SUPPRESS), so a value given before the command stands.
    after = Parser(add_help=False, allow_abbrev=False)  # a parent of each command's parser, of their class
    _global_options(after, default=argparse.SUPPRESS)
    parser.set_defaults(target=DEFAULT_TARGET)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=Parser)
    for command in COMMANDS:
        p = sub.add_parser(
            command.name, help=command.help, description=command.help, allow_abbrev=False, parents=[after]
        )
        p.set_defaults(target=command.target)
        command.arguments(p)
    return parser
