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
import unicodedata

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI = {
    "\u202a": "<LRE>",
    "\u202b": "<RLE>",
    "\u202c": "<PDF>",
    "\u202d": "<LRO>",
    "\u202e": "<RLO>",
    "\u2066": "<LRI>",
    "\u2067": "<RLI>",
    "\u2068": "<FSI>",
    "\u2069": "<PDI>",
}
_BIDI_RE = re.compile("[" + "".join(_BIDI) + "]")


def for_display(text: object, *, single_line: bool = False) -> str:
    value = _CONTROLS.sub("", str(text))
    value = _BIDI_RE.sub(lambda m: _BIDI[m.group(0)], value)
    if single_line:
        value = value.replace("\n", " ").replace("\t", " ")
    return value


# -- invisible characters in names -------------------------------------------------
# Format characters (Unicode category Cf: zero-width spaces and joiners, U+2060-2064,
# the byte-order mark, bidi marks, overrides and isolates, soft hyphens, tag
# characters ...) draw nothing, so "Ana\u200b Núñez" looks like "Ana Núñez" and slips
# past duplicate detection, and a bidi override makes a name read backwards. They are
# taken out of names and codenames as they come in (forms, CLI import, handover).
_JOINERS = frozenset("\u200c\u200d")


#: Scripts that never spell with joiners: one there is only a disguise.
_NO_JOINER_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")


def plural(n: int, word: str, many: str = "") -> str:
    """``n`` and the word for that many: "1 contact", "2 contacts", "0 people"."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def _is_letter(ch: str) -> bool:
    """A letter or mark of a script that may spell with zero-width (non-)joiners."""
    return unicodedata.category(ch)[0] in "LM" and not unicodedata.name(ch, "").startswith(_NO_JOINER_SCRIPTS)


def strip_invisible(text: str, *, keep_joiners: bool = False) -> str:
    """``text`` without its format (Cf) characters.

    With ``keep_joiners`` (for names), a zero-width non-joiner or joiner between two
    letters (not Latin, Greek or Cyrillic) stays: Persian, Arabic and the Indic scripts spell with them (the ZWNJ in
    "\u0645\u06cc\u200c\u0631\u0648\u06cc" is part of the word). Duplicate detection compares names with none at all.
    """
    if text.isprintable():  # no Cf character (the common case, in C)
        return text
    out: list[str] = []
    for i, ch in enumerate(text):
        if unicodedata.category(ch) != "Cf":
            out.append(ch)
        elif (
            keep_joiners
            and ch in _JOINERS
            and out
            and _is_letter(out[-1])
            and i + 1 < len(text)
            and _is_letter(text[i + 1])
        ):
            out.append(ch)
    return "".join(out)


def clean_name(value: object) -> object:
    """A name as stored: invisible characters out, joiners inside a word kept."""
    return strip_invisible(value, keep_joiners=True) if isinstance(value, str) else value


def clean_codename(value: object) -> object:
    """A codename as stored: no invisible character at all, no space around it."""
    return strip_invisible(value).strip() if isinstance(value, str) else value


def codename_key(value: str) -> str:
    """What makes two codenames the same one: ``heron-101 `` and ``Héron-101`` would
    send a new case to the wrong person, so uniqueness and look-ups compare this
    (invisible characters out, trimmed, accents dropped, case folded)."""
    decomposed = unicodedata.normalize("NFKD", strip_invisible(value).strip())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
