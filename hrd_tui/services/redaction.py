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

Names as names, never an ordinary word inside ordinary text. A part of a name that
is also an ordinary word (:data:`ORDINARY_WORDS`: "Will", "Hope", "Grace", "Test",
"Person") is the name only where it is written as a name, with a capital: "Mr Person
said", "Person's", "Will signed"; written in lower case it is the word ("I will go",
"we hope", "Dup codename test"), and left as it is. That holds for a whole name made
only of such words too ("Hope Grace", not "we hope grace prevails"). A capital at the
start of a sentence says nothing either way, and there the name is assumed: a
reviewer sees a sentence that reads oddly, but nobody sees a name that reads like a
word. Months and weekdays (:data:`CALENDAR_WORDS`) are capitalised as words too, so
in a report "March" alone is the month, the name only after a title ("Ms March") or
with the other parts of the name; on screen (discreet mode: ``calendar_as_names``)
a capitalised "March" is hidden too, since hiding a little too much on screen costs
nothing. Every other part is hidden in any case, as before ("saw nunez" too): the
list only spares words, it can make no name visible that is not such a word, and a
word missing from it is hidden as before (safe, if clumsy). Hiding a common word
would also tell a reader what the name is ("Dup codename a defender": the defender
is called Test).

A name kept on purpose (a defendant who consented to be named) is matched
first as a whole, so a surname shared with a withheld co-defendant is hidden
only where it stands alone, and then as "[name withheld]", since it could be
either of them: over-hiding is the safe way to be wrong.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial

from sqlmodel import Session, func, select

from hrd_tui.models import Contact, RecordVersion
from hrd_tui.sanitize import for_display
from hrd_tui.services import contacts, markdown
from hrd_tui.vocab import ConsentValue, ContactKind

#: Name parts that are also ordinary words: never matched on their own.
PARTICLES = frozenset(
    {
        "abu",
        "al",
        "bin",
        "bint",
        "da",
        "das",
        "de",
        "del",
        "della",
        "den",
        "der",
        "des",
        "di",
        "do",
        "dos",
        "du",
        "el",
        "ibn",
        "la",
        "las",
        "le",
        "les",
        "los",
        "mac",
        "san",
        "santa",
        "st",
        "the",
        "van",
        "von",
        "y",
    }
)
MIN_PART = 3
#: Name parts that are also ordinary English words (folded): alone, the name only where
#: written with a capital (see the module's docstring). Given names and surnames that
#: are words, and words that officers' notes use; a part not listed is hidden in any case.
ORDINARY_WORDS = frozenset(
    """
    will hope grace faith joy charity mercy patience prudence constance honor honour glory
    blessing blessed precious gift innocent comfort favour favor wisdom knowledge justice liberty
    freedom peace unity harmony melody destiny trinity verity serenity bliss promise memory miracle
    victory beauty happy sunny honey candy sugar love loyal noble earnest amen
    rose lily daisy iris ivy holly hazel heather olive pearl ruby amber crystal jade violet
    dawn eve autumn summer winter spring sky rain storm snow star sun moon
    river brook glen dale hill hills wood woods field fields ford lane stone rock cliff bush marsh
    moor lake pond well wells bell bells hall church chapel castle tower bridge bridges street gate
    gates park parks house court palace garden gardens land north south east west
    king prince princess queen duke earl lord knight bishop pope abbot dean chancellor marshal
    marshall sheriff major judge sergeant page hunter fisher baker cook cooper carter mason miller
    turner walker parker porter potter weaver wright butler clerk shepherd farmer gardener
    slater thatcher carpenter barber banks bank bond booth cross
    brown black white green gray grey gold silver young long short little small strong hardy wise
    good best bright sharp swift quick rich rice price cash money
    bill mark frank grant jack rob pat sue nick drew chase chuck gene art ray sterling
    hunt rush wade dash
    test person people man woman child guy case trial state union law rule order
    day night light way ward worth key lock hook ring
""".split()
)
#: Words capitalised in ordinary English too: alone, in a report, the name only after a title.
CALENDAR_WORDS = frozenset(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
""".split()
)
#: A title before a name: "Ms March", "Dr. Hope".
_TITLE_BEFORE = re.compile(
    r"(?<!\w)(?:mr|mrs|ms|mx|miss|dr|prof|professor|sir|dame|madam|madame|mme|mlle|"
    r"sr|sra|srta|don|dona|doña|judge|justice|minister|senator|deputy|president|"
    r"general|colonel|captain|major|officer|inspector|advocate|attorney|counsel|"
    r"father|sister|brother|imam|rabbi|pastor|reverend|rev)\.?\s+\Z",
    re.IGNORECASE,
)
#: What a part of a name shared by several people (a family name) becomes on its own.
SHARED = "[name withheld]"
_SEPARATORS = re.compile(r"[\s\-]+")


@lru_cache(maxsize=65536)
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
#: Longest run of words looked up as a whole in mentioned(); longer names are searched.
MAX_RUN = 5
_SPACES_DASHES = re.compile(r"[\s\-]+")


def mentioned(text: str, people: Iterable[tuple[str, str, str]]) -> list[str]:
    """The keys of ``people`` ((key, name, codename) triples) that ``text`` names: by
    their name as a :class:`Redactor` finds it (whole, or a part of it on its own), or
    by their codename in any case, accents optional, with or without its dash.

    For a report that must hide every contact it mentions, not only the ones its
    records link to: quick for a whole vault's contacts, since a name is searched for
    only when each of its words is somewhere in the text. Errs towards finding too
    many (a codename found inside a longer word counts, and so does a part of a name
    that is an ordinary word in lower case, which the Redactor then leaves as it is)."""
    folded = fold(text)
    tokens = _WORD.findall(folded)
    words = set(tokens)
    # Runs of consecutive words: a name of several words can only be there if its
    # words stand together somewhere (checked in a set, not by searching the text).
    runs = {tuple(tokens[i : i + n]) for n in range(2, MAX_RUN + 1) for i in range(len(tokens) - n + 1)}
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
            form_words = tuple(_WORD.findall(form))
            if not unspaced and not all(word in words for word in form_words):
                continue  # a word of it is nowhere in the text: it cannot match
            if not unspaced and len(form_words) <= MAX_RUN:
                if len(form_words) == 1 or form_words in runs:  # a whole word, or words side by side
                    found.append(key)
                    break
                continue  # its words never stand together
            if re.search(_pattern(form), folded):
                found.append(key)
                break
    return found


#: Words after which a described person loses their own article: "the Heron-101 hearings"
#: reads "the land-rights defender hearings", not "the a land-rights defender hearings".
#: Not "that", "this", "her" or "his": before a name they are as often a conjunction or a pronoun.
_DETERMINER_BEFORE = re.compile(r"(?<!\w)(?:the|a|an|its|our|their|your|my|whose|each|every)\s+\Z", re.IGNORECASE)
#: The start of a sentence inside a text (after its end mark, or a new line): a capital there.
#: The start of the text is left as it is: a report puts every text after a label ("Summary: ").
_SENTENCE_BEFORE = re.compile(r"(?:(\S*)([.!?])[\"')\]]*\s+|\n\s*)\Z")
#: Words whose full stop ends no sentence ("Prosecutor v. X", "Dr. X"); so does an initial ("J. X").
_ABBREVIATIONS = frozenset(
    {
        "v",
        "vs",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "nos",
        "prof",
        "gen",
        "col",
        "lt",
        "sgt",
        "hon",
        "jr",
        "sr",
        "cf",
        "e.g",
        "i.e",
        "etc",
        "art",
        "para",
        "approx",
    }
)


def _starts_sentence(before: str) -> bool:
    found = _SENTENCE_BEFORE.search(before)
    if found is None:
        return False
    if found.group(2) != ".":
        return True  # a new line, "!" or "?"
    word = re.sub(r"^\W+", "", found.group(1)).casefold()
    return len(word) > 1 and word not in _ABBREVIATIONS


def fitted(before: str, description: str) -> str:
    """A description that stands in for a name ("a land-rights defender", "an official")
    fitted to the words ``before`` it: without its article after a determiner, with a
    capital at the start of a sentence. Anything not starting with "a" or "an" is left as it is."""
    article, _, rest = description.partition(" ")
    if article.casefold() not in ("a", "an") or not rest:
        return description
    if _DETERMINER_BEFORE.search(before):
        return rest
    if _starts_sentence(before):
        return description[:1].upper() + description[1:]
    return description


@lru_cache(maxsize=4096)
def _alternation(forms: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for these name forms, longest first (so a whole name wins over its parts)."""
    return re.compile("|".join(_pattern(f) for f in forms))


class Redactor:
    """Replaces each person's name in text with their stand-in.

    ``people`` is (name, stand-in) pairs; a stand-in of None keeps that name as
    written (consent to be named) while still protecting the others. ``fit``, given
    the text before a name and its stand-in, says how the stand-in is written there.
    A name made of ordinary words is replaced only where written as a name (the
    module's docstring); ``calendar_as_names`` counts a capitalised month or weekday
    as the name too (for the screen, where hiding too much costs nothing)."""

    def __init__(
        self,
        people: Sequence[tuple[str, str | None]],
        *,
        whole_only: Collection[str] = (),
        fit: Callable[[str, str], str] | None = None,
        calendar_as_names: bool = False,
    ) -> None:
        self._fit = fit
        self._calendar_as_names = calendar_as_names
        self._stand_ins: dict[str, str | None] = {}
        whole = set(whole_only)
        forms_of = {name: self._forms(name, whole) for name, _ in people}  # once each: a vault has thousands
        claims: dict[str, set[str]] = {}  # a part -> every name it belongs to
        for forms in forms_of.values():
            for form in forms[1:]:
                claims.setdefault(form, set()).add(forms[0])
        for name, stand_in in sorted(people, key=lambda p: p[1] is not None):
            # Kept names first: a kept whole name is left as written. Its parts alone
            # are not kept, and a part shared by several people (a family name) stands
            # for none of them in particular: it gets the neutral stand-in.
            for n, form in enumerate(forms_of[name]):
                if n == 0:
                    self._stand_ins.setdefault(form, stand_in)
                elif stand_in is not None:
                    self._stand_ins.setdefault(form, stand_in if len(claims.get(form, ())) <= 1 else SHARED)
        self._withheld = any(v is not None for v in self._stand_ins.values())
        # Forms that are ordinary words: replaced only where they stand as a name.
        self._as_word = {form: _word_kind(form) for form in self._stand_ins if _word_kind(form)}
        # Indexed by a word of each form: a text is searched only for the names whose
        # every word is in it (a report runs thousands of texts past every contact).
        self._by_word: dict[str, list[str]] = {}
        self._by_char: dict[str, list[tuple[str, str]]] = {}  # unspaced forms by first character: (first word, form)
        self._memo: dict[str, str] = {}  # the same cells come back on every redraw
        self._words: dict[str, tuple[str, ...]] = {}
        for form in self._stand_ins:
            words = self._words[form] = tuple(_WORD.findall(form))
            if any(_unspaced(ch) for ch in form) or not words:
                self._by_char.setdefault(form[0], []).append((form.split(" ")[0], form))
            else:
                self._by_word.setdefault(words[0], []).append(form)

    @staticmethod
    def _forms(name: str, whole: set[str]) -> list[str]:
        """An organisation's name is matched whole: its words ("Port Calder Legal Aid
        Centre") are ordinary words and place names, hidden everywhere otherwise."""
        forms = name_forms(name)
        return forms[:1] if name in whole else forms

    def _candidates(self, flat: str) -> tuple[str, ...]:
        words = set(_WORD.findall(flat))
        found = {
            form for word in words for form in self._by_word.get(word, ()) if all(w in words for w in self._words[form])
        }
        found.update(form for ch in set(flat) for first, form in self._by_char.get(ch, ()) if first in flat)
        return tuple(sorted(found, key=lambda f: (-len(f), f)))

    #: Texts remembered with their result (a screen redraws the same cells on every key).
    MEMO_SIZE = 20_000

    def __call__(self, text: str) -> str:
        if not self._withheld or not text:
            return text
        done = self._memo.get(text)
        if done is None:
            if len(self._memo) >= self.MEMO_SIZE:
                self._memo.clear()
            done = self._memo[text] = self._replace(text)
        return done

    def _replace(self, text: str) -> str:
        folded: list[str] = []
        origin: list[int] = []  # folded position -> original position
        for i, ch in enumerate(text):
            f = _fold(ch)
            folded.append(f)
            origin.extend([i] * len(f))
        flat = "".join(folded)
        candidates = self._candidates(flat)
        if not candidates:
            return text
        pieces: list[str] = []
        last = 0
        previous: str | None = None  # the stand-in written last
        pattern = _alternation(candidates)
        at = 0
        while (match := pattern.search(flat, at)) is not None:
            at = match.end()
            key = _key(match.group(0))
            stand_in = self._stand_ins.get(key)
            if stand_in is None:
                continue  # a name kept as written: its parts there are kept too
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            if key in self._as_word and not self._as_name(self._as_word[key], text, start):
                # An ordinary word here, not the name: a later word of it may still be one
                # ("we hope Grace": not "hope grace", but "Grace").
                word = _WORD.match(flat, match.start())
                at = word.end() if word else match.start() + 1
                continue
            while end < len(text) and folded[end] == "":
                end += 1  # a trailing accent or invisible character goes with the name
            between = text[last:start]
            if previous == stand_in and not fold(between).strip(" -"):
                last = end  # "Marisol Quintero": two parts of one name, one stand-in
                continue
            pieces += [between, self._fit(text[:start], stand_in) if self._fit else stand_in]
            previous, last = stand_in, end
        pieces.append(text[last:])
        return "".join(pieces)

    def _as_name(self, kind: str, text: str, start: int) -> bool:
        """Whether the ordinary word at ``start`` of ``text`` stands as a name there."""
        if kind == "calendar" and not self._calendar_as_names:
            return _TITLE_BEFORE.search(text, max(0, start - 16), start) is not None
        return not text[start].islower()  # a capital, or a script without case


def _word_kind(form: str) -> str:
    """ "calendar" for a form that is a month or weekday, "word" for one made only of
    ordinary words, "" for a name that is no word (hidden in any case)."""
    if form in CALENDAR_WORDS:
        return "calendar"
    words = form.split(" ")
    return "word" if all(w in ORDINARY_WORDS or w in CALENDAR_WORDS for w in words) else ""


def as_codenames(people: Sequence[tuple[str, str]]) -> Callable[[str], str]:
    """Free text with these people's names (name, codename) written as their codenames,
    for discreet mode; with nobody, the text as written."""
    if not people:
        return lambda value: value
    return Redactor(list(people), calendar_as_names=True)


def contacts_fingerprint(session: Session) -> tuple[object, ...]:
    """Changes whenever a contact is added, removed or edited: two reads from the ends
    of indexes, so a screen can ask it often and rebuild names only on change."""
    count = session.exec(select(func.count()).select_from(Contact)).one()
    # Every edit and deletion adds a row to the history (history.py): its newest rowid
    # moves with them, and is read from the end of one index, not by scanning contacts.
    newest = session.exec(select(func.max(RecordVersion.id))).one()
    return (count, newest)


def discreet_names(session: Session) -> Callable[[str], str]:
    """Discreet mode's one rule for free text: every contact's name, and every part of
    it (accents and case folded, as search does), written as their codename, in any
    text from the vault, whatever the consent to be named (the screen may be seen by
    anyone in the room). Organisations are matched by their whole name only. A part
    that is an ordinary word is the name where written with a capital, a month or a
    weekday included (the screen hides a little more than a report): "I will go" stays,
    since rewriting it would show which word the name is."""
    rows = session.exec(select(Contact.name, Contact.codename, Contact.kind)).all()
    people = [(name, codename) for name, codename, _ in rows if name and codename]
    if not people:
        return lambda value: value
    whole = {name for name, _, kind in rows if kind in ORGANISATION_KINDS}
    return Redactor(people, whole_only=whole, calendar_as_names=True)


# -- who is named in a report, and how ------------------------------------------------------
#: Contacts that are organisations, not people: their names are matched whole only.
ORGANISATION_KINDS = frozenset(
    {
        ContactKind.CSO,
        ContactKind.COALITION,
        ContactKind.INTERNATIONAL_CSO,
        ContactKind.LIKE_MINDED_MISSION,
        ContactKind.UN_MULTILATERAL,
        ContactKind.BUSINESS,
    }
)


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


def report_naming(
    session: Session, people: Sequence[Contact], *, real_names: bool = False, noun: str = "Defendant"
) -> list[Naming]:
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


@lru_cache(maxsize=4096)
def _codename_alternation(keys: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(_codename_pattern(k) for k in keys), re.IGNORECASE)


@dataclass
class ReportText:
    """Vault text into a Markdown report: names replaced, then escaped for Markdown.

    A person with no naming consent appears as "Defendant 1", not even by codename:
    officers write codenames into notes too, so those are replaced as well."""

    naming: Sequence[Naming]
    lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._described = {n.shown for n in self.naming if n.withheld}  # stand-ins fitted to the sentence
        self.redact = Redactor(
            [(n.contact.name, None if n.withheld is None else n.shown) for n in self.naming],
            whole_only={n.contact.name for n in self.naming if is_organisation(n.contact)},
            # Not the bound self._fit: the Redactor would hold the ReportText that holds
            # it, a cycle that keeps a report's thousands of contacts (and their ORM
            # state) alive until a full collection, which holds the interpreter for
            # 40-90 ms while the app waits (bench_reports' stall figure).
            fit=partial(_fit_described, self._described),
        )
        self.shown = {n.contact.id: n.shown for n in self.naming}
        self.codenames = {
            _codename_key(n.contact.codename): n.shown
            for n in self.naming
            if n.withheld and n.shown != n.contact.codename
        }
        self.index_codenames()

    def index_codenames(self) -> None:
        """Codenames by a word of theirs, and written without separators: a text is
        searched only for the codenames it may hold (a report has thousands of texts)."""
        self._codes_by_word: dict[str, list[str]] = {}
        for key in self.codenames:
            parts = key.split(" ")
            self._codes_by_word.setdefault(parts[0], []).append(key)
            if len(parts) > 1:
                self._codes_by_word.setdefault("".join(parts), []).append(key)

    def _codename_re(self, text: str) -> re.Pattern[str] | None:
        words = set(_WORD.findall(text.casefold()))
        found = {
            key
            for word in words
            for key in self._codes_by_word.get(word, ())
            if "".join(key.split(" ")) in words or all(part in words for part in key.split(" "))
        }
        if not found:
            return None
        return _codename_alternation(tuple(sorted(found, key=lambda f: (-len(f), f))))

    def _fit(self, before: str, stand_in: str) -> str:
        return _fit_described(self._described, before, stand_in)

    def _codename(self, match: re.Match[str]) -> str:
        return self._fit(match.string[: match.start()], self.codenames.get(_codename_key(match.group(0)), SHARED))

    def clean(self, value: object) -> str:
        text = for_display("" if value is None else str(value))
        pattern = self._codename_re(text) if self.codenames else None
        if pattern is not None:
            text = pattern.sub(self._codename, text)
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


def _fit_described(described: Collection[str], before: str, stand_in: str) -> str:
    """A stand-in that describes the person (\"a journalist\") fitted to the sentence
    before it; any other stand-in as it is."""
    return fitted(before, stand_in) if stand_in in described else stand_in


def withheld_summary(naming: Sequence[Naming], *, real_names: bool, nobody: str, everyone: str, where: str) -> str:
    """The last section of a report: what was withheld and why. ``nobody`` when no one
    is linked; ``everyone`` names the people for the all-named and real-names lines
    ("every defendant"); ``where`` says where a withheld name was replaced."""
    if not naming:
        return nobody
    if real_names:
        return (
            f"Real names: {everyone} is named as stored, whatever their naming consent. "
            "This copy can endanger them: keep it as safe as the vault."
        )
    withheld = [n for n in naming if n.withheld]
    if not withheld:
        return f"No names withheld: {everyone} consented to be named."
    listed = ", ".join(f"{markdown.inline(n.shown)} ({n.withheld})" for n in withheld)
    return (
        f"{len(withheld)} name{'s' if len(withheld) != 1 else ''} withheld: {listed}. "
        "Each withheld name (and each part of it; one that is also an ordinary word where it is written as a "
        f"name, with a capital) is replaced by the stand-in wherever it appeared{where}"
    )
