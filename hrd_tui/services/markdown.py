"""Vault text inside a Markdown export, unable to change the document's structure.

An export is read in a terminal, an editor and a Markdown viewer. Text typed
into the vault (a note, a name, someone else's checklist template) is untrusted
in all three, so every piece of it goes through one of the helpers here:

* control characters are dropped and bidirectional overrides made visible
  (sanitize.for_display), so nothing drives the terminal it is shown on;
* a line that would open a block (``#`` heading, ``>`` quote, list marker,
  code fence, ``---`` rule or setext underline, ``|`` table row, ``[x]:`` link
  definition) has its first character backslash-escaped, and leading spaces
  (an indented code block) are dropped, so a note can neither add a heading to
  the report nor end the list it sits in;
* ``<`` is escaped everywhere: an inline ``<!--`` would hide the rest of the
  report in a viewer, and a tag can hide or restyle text;
* in a table cell, line breaks become spaces and ``|`` is escaped, so a value
  stays in its cell.

A backslash already in the text just before an escaped character is doubled,
so it cannot cancel the escape. Inline emphasis (``*``, ``_``, backticks) is
left alone: it cannot move text out of its place, and escaping it would make
the file worse to read as plain text.
"""

from __future__ import annotations

import re

from hrd_tui.sanitize import for_display

# What opens a block at the start of a line (leading spaces are removed first):
# ATX heading, block quote, bullet (-, +, * then a space or the end), ordered
# list (1. or 1)), code fence, setext underline, thematic break, table row,
# link reference definition.
_BLOCK_START = re.compile(
    r"#|>|[-+*](?=\s|$)|\d{1,9}(?=[.)])|`{3,}|~{3,}|=+\s*$|-+\s*$|[-*_](?=(?:\s*[-*_]){2,}\s*$)|\||\["
)
_LT = re.compile(r"(\\*)<")
_CELL_SPECIAL = re.compile(r"(\\*)([|<])")


def _escape_line(line: str) -> str:
    line = _LT.sub(lambda m: m.group(1) * 2 + "\\<", line.strip())
    match = _BLOCK_START.match(line)
    if not match:
        return line
    opener = match.group(0)
    if opener[0].isdigit():  # "12. x" -> "12\. x": the escape goes before the dot
        return f"{opener}\\{line[match.end() :]}"
    return "\\" + line


def inline(value: object) -> str:
    """One line of vault text, for a heading, a list item or a sentence."""
    return _escape_line(for_display(value, single_line=True))


def block(value: object, indent: str = "") -> str:
    """Vault text that may have several lines (a note, the charges): each line
    escaped, blank lines dropped, and the lines after the first indented by
    ``indent`` so that they stay inside the list item they belong to."""
    lines = [_escape_line(line) for line in for_display(value).splitlines()]
    return ("\n" + indent).join(line for line in lines if line)


def cell(value: object) -> str:
    """A table cell: one line, ``|`` and ``<`` escaped; a blank value shows as ``-``."""
    text = for_display(value, single_line=True).strip()
    return _CELL_SPECIAL.sub(lambda m: m.group(1) * 2 + "\\" + m.group(2), text) or "-"


def table(header: tuple[str, str], rows: list[tuple[str, object]]) -> list[str]:
    """A two-column table (field, value); every value goes through :func:`cell`."""
    lines = [f"| {header[0]} | {header[1]} |", "| --- | --- |"]
    lines += [f"| {cell(name)} | {cell(value)} |" for name, value in rows]
    return lines
