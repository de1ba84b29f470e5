"""Names replaced by stand-ins inside free text, for exports that leave the vault.

A report names a person only when their naming consent says so (DOMAIN.md).
Leaving their name out of the "defendants" line is not enough: officers write
names into titles ("Prosecutor v. Ñúñez-Vidal"), notes and charges. So every
piece of free text in such an export goes through a :class:`Redactor`.

What counts as the name, and why it errs on the side of hiding too much:

* the whole name, and each part of it of three letters or more (a surname
  alone, or one half of a double-barrelled one), except particles such as
  "van" or "del" that are ordinary words too;
* any case, accents optional (``nunez`` finds ``Ñúñez``), any run of spaces
  or dashes between parts, and invisible format characters (a zero-width
  space) ignored, so a name cannot slip through by being typed differently;
* whole words only in scripts written with spaces (``Ana`` is not hidden in
  ``Banana``); anywhere in scripts written without them (Chinese, Japanese,
  Thai ...), where a name sits inside a run of other characters.

A name kept on purpose (a defendant who consented to be named) is matched
first as a whole, so a surname shared with a withheld co-defendant is hidden
only where it stands alone, and then as "[name withheld]", since it could be
either of them: over-hiding is the safe way to be wrong.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from sqlmodel import Session

from hrd_tui.models import Contact
from hrd_tui.sanitize import for_display
from hrd_tui.services import contacts, markdown
from hrd_tui.vocab import ConsentValue, ContactKind

#: Name parts that are also ordinary words: never matched on their own.
PARTICLES = frozenset({
    "abu", "al", "bin", "bint", "da", "das", "de", "del", "della", "den", "der", "des", "di", "do", "dos",
    "du", "el", "ibn", "la", "las", "le", "les", "los", "mac", "san", "santa", "st", "the", "van", "von", "y",
})
MIN_PART = 3
#: What a part of a name shared by several people (a family name) becomes on its own.
SHARED = "[name withheld]"
_SEPARATORS = re.compile(r"[\s\-]+")


def _fold(ch: str) -> str:
    """One character as matching sees it: no case, no accents, one kind of dash and space."""
    category = unicodedata.category(ch)
    if category in ("Cf", "Cc", "Mn"):
        return " " if ch in "\n\t\r" else ""
    if ch.isspace():
        return " "
    if category == "Pd":
        return "-"
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").casefold()


def fold(text: str) -> str:
    return "".join(_fold(ch) for ch in text)


def _unspaced(ch: str) -> bool:
    """Scripts written without spaces between words: CJK, Thai, Lao, Myanmar, Khmer."""
    code = ord(ch)
    return code >= 0x2E80 or 0x0E00 <= code <= 0x0EFF or 0x1000 <= code <= 0x109F or 0x1780 <= code <= 0x17FF


def _pattern(folded_name: str) -> str:
    body = r"[\s\-]+".join(re.escape(part) for part in _SEPARATORS.split(folded_name) if part)
    before = "" if _unspaced(folded_name[0]) else r"(?<!\w)"
    after = "" if _unspaced(folded_name[-1]) else r"(?!\w)"
    return before + body + after


def _key(folded: str) -> str:
    return _SEPARATORS.sub(" ", folded).strip()


def name_forms(name: str) -> list[str]:
    """The forms of ``name`` that count as naming the person, folded and with every run
    of spaces or dashes as one space: the whole name first, then its parts (a
    double-barrelled part whole, then each half)."""
    folded = " ".join(fold(name).split())  # spaces collapsed, dashes kept
    whole = _key(folded)
    if not whole:
        return []
    forms = [whole]
    for part in folded.split(" "):
        for piece in [part, *part.split("-")]:
            key = _key(piece)
            if len(key) >= MIN_PART and key not in PARTICLES and key not in forms:
                forms.append(key)
    return forms


_WORD = re.compile(r"\w+")
_SPACES_DASHES = re.compile(r"[\s\-]+")


def mentioned(text: str, people: Iterable[tuple[str, str, str]]) -> list[str]:
    """The keys of ``people`` ((key, name, codename) triples) that ``text`` names: by
    their name as a :class:`Redactor` finds it (whole, or a part of it on its own), or
    by their codename in any case, accents optional, with or without its dash.

    For a report that must hide every contact it mentions, not only the ones its
    records link to: quick for a whole vault's contacts, since a name is searched for
    only when each of its words is somewhere in the text. Errs towards finding too
    many (a codename found inside a longer word counts)."""
    folded = fold(text)
    words = set(_WORD.findall(folded))
    squeezed = _SPACES_DASHES.sub("", folded)
    found: list[str] = []
    for key, name, codename in people:
        code = _SPACES_DASHES.sub("", fold(codename))
        if code and code in squeezed:
            found.append(key)
            continue
        folded_name = fold(name)
        if not any(_unspaced(ch) for ch in folded_name) and not any(w in words for w in _WORD.findall(folded_name)):
            continue  # no word of the name is in the text: no form of it can match
        for form in name_forms(name):
            unspaced = any(_unspaced(ch) for ch in form)
            if not unspaced and not all(word in words for word in _WORD.findall(form)):
                continue  # a word of it is nowhere in the text: it cannot match
            if re.search(_pattern(form), folded):
                found.append(key)
                break
    return found


class Redactor:
    """Replaces each person's name in text with their stand-in.

    ``people`` is (name, stand-in) pairs; a stand-in of None keeps that name as
    written (consent to be named) while still protecting the others."""

    def __init__(self, people: Sequence[tuple[str, str | None]], *, whole_only: Collection[str] = ()) -> None:
        self._stand_ins: dict[str, str | None] = {}
        whole = set(whole_only)
        claims: dict[str, set[str]] = {}  # a part -> every name it belongs to
        for name, _ in people:
            for form in self._forms(name, whole)[1:]:
                claims.setdefault(form, set()).add(_key(fold(name)))
        for name, stand_in in sorted(people, key=lambda p: p[1] is not None):
            # Kept names first: a kept whole name is left as written. Its parts alone
            # are not kept, and a part shared by several people (a family name) stands
            # for none of them in particular: it gets the neutral stand-in.
            for n, form in enumerate(self._forms(name, whole)):
                if n == 0:
                    self._stand_ins.setdefault(form, stand_in)
                elif stand_in is not None:
                    self._stand_ins.setdefault(form, stand_in if len(claims.get(form, ())) <= 1 else SHARED)
        withheld = any(v is not None for v in self._stand_ins.values())
        forms = sorted(self._stand_ins, key=len, reverse=True)
        self._regex = re.compile("|".join(_pattern(f) for f in forms)) if withheld and forms else None

    @staticmethod
    def _forms(name: str, whole: set[str]) -> list[str]:
        """An organisation's name is matched whole: its words ("Port Calder Legal Aid
        Centre") are ordinary words and place names, hidden everywhere otherwise."""
        forms = name_forms(name)
        return forms[:1] if name in whole else forms

    def __call__(self, text: str) -> str:
        if self._regex is None or not text:
            return text
        folded: list[str] = []
        origin: list[int] = []  # folded position -> original position
        for i, ch in enumerate(text):
            f = _fold(ch)
            folded.append(f)
            origin.extend([i] * len(f))
        flat = "".join(folded)
        pieces: list[str] = []
        last = 0
        for match in self._regex.finditer(flat):
            stand_in = self._stand_ins.get(_key(match.group(0)))
            if stand_in is None:
                continue
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            while end < len(text) and folded[end] == "":
                end += 1  # a trailing accent or invisible character goes with the name
            between = text[last:start]
            if pieces and pieces[-1] == stand_in and not fold(between).strip(" -"):
                last = end  # "Marisol Quintero": two parts of one name, one stand-in
                continue
            pieces += [between, stand_in]
            last = end
        pieces.append(text[last:])
        return "".join(pieces)


# -- who is named in a report, and how ------------------------------------------------------
#: Contacts that are organisations, not people: their names are matched whole only.
ORGANISATION_KINDS = frozenset({ContactKind.CSO, ContactKind.COALITION, ContactKind.INTERNATIONAL_CSO,
                                ContactKind.LIKE_MINDED_MISSION, ContactKind.UN_MULTILATERAL, ContactKind.BUSINESS})


def is_organisation(contact: Contact) -> bool:
    return contact.kind in ORGANISATION_KINDS

@dataclass(frozen=True)
class Naming:
    """How one person appears in a report: ``shown`` is their name when they consented
    to be named (or real names were asked for), else a stand-in."""

    contact: Contact
    consent: ConsentValue  # the naming consent in force
    shown: str
    withheld: str | None = None  # why the name is withheld: "no naming consent" or "anonymised"


def report_naming(session: Session, people: Sequence[Contact], *, real_names: bool = False,
                  noun: str = "Defendant") -> list[Naming]:
    """Naming consent decides, per person: "named" -> the name; "anonymised" -> the
    codename; "never" (the default when nothing is recorded) -> "<noun> 1", "<noun> 2"
    ... in the order given: nothing that could be traced back, not even a codename.
    ``real_names`` writes every name as stored."""
    found: list[Naming] = []
    unnamed = 0
    for person in people:
        consent = contacts.naming_consent(session, person.id)
        if real_names or consent == ConsentValue.NAMED:
            found.append(Naming(person, consent, person.name))
        elif consent == ConsentValue.ANONYMISED:
            found.append(Naming(person, consent, person.codename, "anonymised"))
        else:
            unnamed += 1
            found.append(Naming(person, consent, f"{noun} {unnamed}", "no naming consent"))
    return found


def _codename_key(codename: str) -> str:
    return " ".join(re.split(r"[\s\-]+", codename.strip().casefold()))


def _codename_pattern(codename: str) -> str:
    """A codename as typed in free text: any case, any run of spaces or dashes between its parts."""
    parts = [re.escape(p) for p in re.split(r"[\s\-]+", codename.strip()) if p]
    return r"(?<!\w)" + r"[\s\-]*".join(parts) + r"(?!\w)"


@dataclass
class ReportText:
    """Vault text into a Markdown report: names replaced, then escaped for Markdown.

    A person with no naming consent appears as "Defendant 1", not even by codename:
    officers write codenames into notes too, so those are replaced as well."""

    naming: Sequence[Naming]
    lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.redact = Redactor([(n.contact.name, None if n.withheld is None else n.shown) for n in self.naming],
                               whole_only={n.contact.name for n in self.naming if is_organisation(n.contact)})
        self.shown = {n.contact.id: n.shown for n in self.naming}
        self.codenames = {_codename_key(n.contact.codename): n.shown
                          for n in self.naming if n.withheld and n.shown != n.contact.codename}
        forms = sorted(self.codenames, key=len, reverse=True)
        self._codename_re = (re.compile("|".join(_codename_pattern(f) for f in forms), re.IGNORECASE)
                             if forms else None)

    def _codename(self, match: re.Match[str]) -> str:
        return self.codenames.get(_codename_key(match.group(0)), SHARED)

    def clean(self, value: object) -> str:
        text = for_display("" if value is None else str(value))
        if self._codename_re is not None:
            text = self._codename_re.sub(self._codename, text)
        return self.redact(text)

    def inline(self, value: object) -> str:
        return markdown.inline(self.clean(value))

    def block(self, value: object, indent: str = "") -> str:
        return markdown.block(self.clean(value), indent)

    def cell(self, value: object) -> str:
        return markdown.cell(self.clean(value))

    def person(self, contact_id: str | None) -> str | None:
        """How a linked contact is written (None: not one of the report's people)."""
        return markdown.inline(self.shown[contact_id]) if contact_id in self.shown else None


def withheld_summary(naming: Sequence[Naming], *, real_names: bool, nobody: str, everyone: str, where: str) -> str:
    """The last section of a report: what was withheld and why. ``nobody`` when no one
    is linked; ``everyone`` names the people for the all-named and real-names lines
    ("every defendant"); ``where`` says where a withheld name was replaced."""
    if not naming:
        return nobody
    if real_names:
        return (f"Real names: {everyone} is named as stored, whatever their naming consent. "
                "This copy can endanger them: keep it as safe as the vault.")
    withheld = [n for n in naming if n.withheld]
    if not withheld:
        return f"No names withheld: {everyone} consented to be named."
    listed = ", ".join(f"{markdown.inline(n.shown)} ({n.withheld})" for n in withheld)
    return (f"{len(withheld)} name{'s' if len(withheld) != 1 else ''} withheld: {listed}. "
            f"Each withheld name (and each part of it) is replaced by the stand-in wherever it appeared{where}")
