"""Make untrusted text safe to put on a terminal (SECURITY.md, requirement 6).

Textual and Rich strip only a few control characters, so a name holding
``ESC]52;...`` could write the officer's clipboard and ``ESC]0;`` the window
title. Every widget that shows vault text goes through :func:`for_display`:
C0 controls (except newline and tab), DEL and C1 controls are dropped, and the
bidirectional overrides and isolates that can disguise text are shown as
visible placeholders. Markup is never parsed: callers build literal Content.
"""

from __future__ import annotations

import re

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI = {
    "\u202a": "<LRE>", "\u202b": "<RLE>", "\u202c": "<PDF>", "\u202d": "<LRO>", "\u202e": "<RLO>",
    "\u2066": "<LRI>", "\u2067": "<RLI>", "\u2068": "<FSI>", "\u2069": "<PDI>",
}
_BIDI_RE = re.compile("[" + "".join(_BIDI) + "]")


def for_display(text: object, *, single_line: bool = False) -> str:
    value = _CONTROLS.sub("", str(text))
    value = _BIDI_RE.sub(lambda m: _BIDI[m.group(0)], value)
    if single_line:
        value = value.replace("\n", " ").replace("\t", " ")
    return value
