"""Contact import and export (CSV, vCard) on the real encrypted store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from sqlalchemy import func
from sqlmodel import Session, select

from hrd_tui import vault
from hrd_tui.models import Contact, ContactFocusArea, RecordVersion
from hrd_tui.sanitize import clean_codename, clean_name, codename_key
from hrd_tui.services import contact_io, contacts
from hrd_tui.services.contact_io import ContactFileError

MARKER = "Zyxwvut Marker-Name"

HOSTILE = [
    "[bold]loud[/bold] [red]x",
    "[link=https://evil.example]click[/link]",
    "clip\x1b]52;c;ZXZpbA==\x07board",
    "title\x1b]0;pwned\x07 \x1b[2J\x1b[31m",
    "\u202egnp.exe\u202c and \u2066isolate\u2069",
    "zero\u200bwidth\u200d\ufeffjoiner",
    "محمد عبد الله الحسن",
    "Ольга Кузнецова",
    "王秀英 김서연",
    "🙂👍🏽 family 👨‍👩‍👧",
    'quote " comma , semi ; back \\ slash',
    "  lead and trail  ",
    "\ttab\tinside",
    "C1 \x85 \x9b controls \x7f DEL \x00 NUL",
    '=HYPERLINK("https://evil")',
    "x" * 10_000,
    "王" * 300 + "🙂" * 100 + "é" * 100,  # multi-byte characters across vCard's 75-octet folds
]
CSV_ONLY = ["line\nbreak", "windows\r\nline\rbreaks"]  # vCard has no carriage return: CR comes back as LF


@pytest.fixture
def other(tmp_path: Path) -> Iterator[vault.Vault]:
    opened, _code = vault.create(tmp_path / "other", PASSPHRASE)
    try:
        yield opened
    finally:
        opened.close()


def count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def fill(session: Session, hostile: list[str]) -> None:
    contacts.create_contact(
        session,
        {
            "name": MARKER,
            "codename": "Cedar-101",
            "kind": "lawyer",
            "organisation": "Legal Aid; Centre, Lagos",
            "role": "counsel",
            "country": "Nigeria",
            "region": "Lagos, State",
            "languages": ["en", "yo"],
            "tags": ["a;b", "back\\slash", "plain"],
            "email": "marker@example.org",
            "phone": "+234 (0) 803-555-0101",
            "direct_contact_safe": False,
            "last_contact_on": date(2024, 5, 1),
            "cadence_days": 30,
            "next_follow_up_on": date(2024, 6, 1),
            "notes": "Met at the hearing.\nPrefers Signal.",
        },
        ["land_environment", "women_girls", "access_to_justice"],
    )
    contacts.create_contact(session, {"name": "Plain Person", "codename": "Aster-202"})
    for i, text in enumerate(hostile):
        contacts.create_contact(
            session,
            {
                "name": text,
                "codename": f"H-{i:02d} {text[:150]}",
                "organisation": text,
                "role": text[:500],
                "country": text[:200],
                "region": text[:200],
                "notes": text,
                "tags": [text.strip(" \t")],
                "languages": [text[:20].strip(" \t")],
                "email": text[:320],
                "phone": text[:64],
            },
            ["labour"],
        )


def round_trip(source: vault.Vault, target: vault.Vault, fmt: contact_io.Format, hostile: list[str]) -> None:
    export = contact_io.export_csv if fmt == "csv" else contact_io.export_vcard
    with source.store.session() as s:
        fill(s, hostile)
    with source.store.session() as s:
        first = export(s, real_names=True)
    if fmt == "vcard":
        assert max(len(line.encode()) for line in first.split("\r\n")) <= 75  # folded, never inside a character
    with target.store.session() as s:
        plan = contact_io.preview(s, first, fmt)
        assert plan.invalid == [] and plan.duplicates == []
        result = contact_io.apply(s, plan, "skip")
        assert result == contact_io.ImportResult(created=len(hostile) + 2)
    with target.store.session() as s:
        assert export(s, real_names=True) == first  # byte-identical
        by_codename = {c.codename: c for c in s.exec(select(Contact))}
        marker = by_codename["Cedar-101"]
        assert (marker.name, marker.tags, marker.direct_contact_safe, marker.cadence_days) == (
            MARKER,
            ["a;b", "back\\slash", "plain"],
            False,
            30,
        )
        assert [a.value for a in contacts.focus_areas(s, marker.id)] == [
            "land_environment",
            "women_girls",
            "access_to_justice",
        ]
        for i, text in enumerate(hostile):
            # Names and codenames lose their invisible characters on the way in (sanitize.strip_invisible).
            contact = by_codename[clean_codename(f"H-{i:02d} {text[:150]}")]
            assert (contact.name, contact.organisation, contact.notes) == (clean_name(text), text, text)
    # The same file into the vault it came from, merging: nothing changes, no history is written.
    with source.store.session() as s:
        versions = count(s, RecordVersion)
        plan = contact_io.preview(s, first, fmt)
        assert len(plan.duplicates) == len(hostile) + 2 and {r.matched_on for r in plan.duplicates} == {"codename"}
        assert contact_io.apply(s, plan, "merge") == contact_io.ImportResult(merged=len(hostile) + 2)
    with source.store.session() as s:
        assert count(s, RecordVersion) == versions
        assert count(s, Contact) == len(hostile) + 2
        assert export(s, real_names=True) == first


def test_csv_round_trip_is_byte_identical_hostile_text_included(opened: vault.Vault, other: vault.Vault) -> None:
    round_trip(opened, other, "csv", HOSTILE + CSV_ONLY)


def test_vcard_round_trip_is_byte_identical_hostile_text_included(opened: vault.Vault, other: vault.Vault) -> None:
    round_trip(opened, other, "vcard", HOSTILE)


def test_vcard_turns_a_carriage_return_into_a_line_feed(opened: vault.Vault, other: vault.Vault) -> None:
    with opened.store.session() as s:
        contacts.create_contact(s, {"name": "CR", "codename": "C-1", "notes": "a\r\nb\rc"})
        text = contact_io.export_vcard(s, real_names=True)
    with other.store.session() as s:
        contact_io.apply(s, contact_io.preview(s, text, "vcard"), "skip")
        assert s.exec(select(Contact.notes)).one() == "a\nb\nc"


@pytest.mark.parametrize("fmt", ["csv", "vcard"])
def test_default_export_is_codenames_only_and_imports_without_touching_real_names(
    opened: vault.Vault, other: vault.Vault, fmt: contact_io.Format
) -> None:
    export = contact_io.export_csv if fmt == "csv" else contact_io.export_vcard
    with opened.store.session() as s:
        fill(s, [])
        redacted = export(s)
    for secret in (MARKER, "marker@example.org", "803-555-0101", "Prefers Signal"):
        assert secret not in redacted
    assert "Cedar-101" in redacted and "Legal Aid" in redacted and "women_girls" in redacted
    # Into a fresh vault: the codename stands in for the name, with a remark.
    with other.store.session() as s:
        plan = contact_io.preview(s, redacted, fmt)
        assert all("name left blank: the codename is used" in r.notes for r in plan.rows)
        contact_io.apply(s, plan, "skip")
    with other.store.session() as s:
        assert sorted(s.exec(select(Contact.name))) == ["Aster-202", "Cedar-101"]
    # Back into the vault it came from, merging: the real names stay.
    with opened.store.session() as s:
        versions = count(s, RecordVersion)
        plan = contact_io.preview(s, redacted, fmt)
        assert contact_io.apply(s, plan, "merge").merged == 2
    with opened.store.session() as s:
        assert sorted(s.exec(select(Contact.name))) == sorted([MARKER, "Plain Person"])
        assert count(s, RecordVersion) == versions


VCARD_4 = """BEGIN:VCARD\r
VERSION:4.0\r
FN:Simon Perreault\r
N:Perreault;Simon;;;ing. jr,M.Sc.\r
KIND:individual\r
LANG;PREF=1:fr\r
LANG;PREF=2:en\r
ORG;TYPE=work:Viagenie\r
TITLE:Research engineer\r
ADR;TYPE=work:;Suite D2-630;2875 Laurier;Quebec;QC;G1V 2M2;Canada\r
TEL;VALUE=uri;TYPE="work,voice";PREF=1:tel:+1-418-656-9254\r
TEL;VALUE=uri;TYPE="work,cell,voice,video,text":tel:+1-418-262-6501\r
EMAIL;TYPE=work:simon.perreault@viagenie.ca\r
EMAIL;TYPE=home:simon@example.com\r
EMAIL:third@example.com\r
CATEGORIES:internet,ietf\r
NOTE:Met at IETF 118.\\nFollow up.\r
END:VCARD\r
BEGIN:VCARD
VERSION:3.0
FN:Amina Okafor
N:Okafor;Amina;;;
X-HRD-CODENAME:Juniper-7
X-HRD-KIND:Journalist or media
X-HRD-FOCUS:journalism_media;Digital rights
X-HRD-DIRECT-CONTACT-SAFE:no
X-HRD-LAST-CONTACT:2024-02-29
X-HRD-CADENCE-DAYS:14
END:VCARD
"""


def test_vcard_4_and_3_from_other_programs(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        plan = contact_io.preview(s, VCARD_4, "vcard")
        assert plan.invalid == []
        simon, amina = plan.rows
        assert "2 more e-mail addresses left out: only the first is imported" in simon.notes
        assert "1 more phone numbers left out: only the first is imported" in simon.notes
        assert contact_io.apply(s, plan, "skip").created == 2
    with opened.store.session() as s:
        rows = {c.name: c for c in s.exec(select(Contact))}
        simon = rows["Simon Perreault"]
        assert (simon.email, simon.phone, simon.organisation, simon.role) == (
            "simon.perreault@viagenie.ca",
            "+1-418-656-9254",
            "Viagenie",
            "Research engineer",
        )
        assert (simon.country, simon.region, simon.languages, simon.tags) == (
            "Canada",
            "QC",
            ["fr", "en"],
            ["internet", "ietf"],
        )
        assert simon.notes == "Met at IETF 118.\nFollow up." and simon.codename  # generated
        amina = rows["Amina Okafor"]
        assert (amina.codename, amina.kind.value, amina.direct_contact_safe) == ("Juniper-7", "journalist", False)
        assert (amina.last_contact_on, amina.cadence_days) == (date(2024, 2, 29), 14)
        assert [a.value for a in contacts.focus_areas(s, amina.id)] == ["journalism_media", "digital_rights"]


def test_row_errors_name_the_row_and_the_field_and_the_valid_rows_still_import(opened: vault.Vault) -> None:
    text = (
        "codename,name,kind,email,last_contact_on,cadence_days,direct_contact_safe,focus_areas,phone,notes\n"
        "Good-1,First Good,defender,,,,,,,\n"
        "Bad-2,Bad Kind,activist,,,,,,,\n"
        "Bad-3,Bad Date,,,2024-13-01,,,,,\n"
        "Bad-4,Bad Cadence,,,,every week,maybe,,,\n"
        f"Bad-5,Long Mail,,{'m' * 321},,,,,,\n"
        "Bad-6,Bad Focus,,,,0,,labour;astrology,,\n"
        f"Bad-7,Long Phone,,,,,,,{'1' * 65},{'n' * 1_000_001}\n"
        f"{'c' * 201},{'x' * 10_001},,,,,,,,\n"
        "Good-9,Second Good,Lawyer,,,,yes,Women and girls,,\n"
    )
    with opened.store.session() as s:
        plan = contact_io.preview(s, text, "csv")
        issues = [str(i) for i in plan.issues]
        assert issues == [
            "row 3, kind: unknown value(s): activist",
            "row 4, last_contact_on: 2024-13-01: there is no month 13 (months are 01 to 12)",
            "row 5, cadence_days: not a whole number: every week",
            "row 5, direct_contact_safe: not true or false (true/false, yes/no, 1/0): maybe",
            "row 6, email: is too long: at most 320 characters",
            "row 7, focus_areas: unknown value(s): astrology",
            "row 7, cadence_days: must be 1 or more",
            "row 8, phone: is too long: at most 64 characters",
            "row 8, notes: is too long: at most 1,000,000 characters",
            "row 9, name: is too long: at most 10,000 characters",
            "row 9, codename: is too long: at most 200 characters",
        ]
        assert [r.row for r in plan.new] == [2, 10]
        assert plan.summary_lines()[0] == "9 rows: 2 new, 0 duplicates of existing contacts, 7 with errors"
        assert contact_io.apply(s, plan, "merge") == contact_io.ImportResult(created=2, invalid=7)
    with opened.store.session() as s:
        assert sorted(s.exec(select(Contact.codename))) == ["Good-1", "Good-9"]
        good = s.exec(select(Contact).where(Contact.codename == "Good-9")).one()
        assert good.kind.value == "lawyer" and [a.value for a in contacts.focus_areas(s, good.id)] == ["women_girls"]


def test_a_broken_card_is_that_cards_error_only(opened: vault.Vault) -> None:
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:One\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN Two has no colon\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Three\nEMAIL:three@example.org\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Four, cut short\n"
    )
    with opened.store.session() as s:
        plan = contact_io.preview(s, text, "vcard")
        assert [str(i) for i in plan.issues] == [
            "card 2, card: not a valid vCard (it starts on line 5): a line could not be read",
            "card 4, card: not a valid vCard (it starts on line 14): END:VCARD is missing",
        ]
        assert [r.data["name"] for r in plan.valid] == ["One", "Three"]


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ("", "csv", "The file is empty"),
        ("Alice,alice@example.org\n", "csv", "No header row"),
        ("codename,name,colour,size\nA,B,red,1\n", "csv", "Unknown column(s): colour, size."),
        ("kind,email\nlawyer,a@b\n", "csv", "needs a codename or a name column"),
        ("name,Name\nA,B\n", "csv", "named twice: name"),
        ("FN:Alice\nEMAIL:a@b\n", "vcard", "Not a vCard file"),
    ],
)
def test_whole_file_problems_are_one_clear_error(
    opened: vault.Vault, text: str, fmt: contact_io.Format, message: str
) -> None:
    with opened.store.session() as s, pytest.raises(ContactFileError) as exc:
        contact_io.preview(s, text, fmt)
    assert message in str(exc.value)
    assert exc.value.exit_code == 11


def test_detect_format() -> None:
    assert contact_io.detect_format("people.CSV", "BEGIN:VCARD") == "csv"
    assert contact_io.detect_format("people.vcf", "") == "vcard"
    assert contact_io.detect_format("people.txt", "\ufeff\r\nbegin:vcard\r\n") == "vcard"
    assert contact_io.detect_format("export", "codename,name\n") == "csv"
    with pytest.raises(contact_io.UsageError, match="--format"):
        contact_io.detect_format("notes.txt", "hello")


def test_duplicates_by_codename_email_phone_name_and_earlier_rows(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        existing = contacts.create_contact(
            s,
            {
                "name": "José  García",
                "codename": "Heron-1",
                "email": "Jose@Example.org",
                "phone": "+1 (555) 010-9999",
                "tags": ["old"],
                "languages": ["es"],
                "last_contact_on": date(2024, 5, 1),
            },
            ["labour"],
        )
        existing_id = existing.id
    text = (
        "codename,name,email,phone,tags,languages,focus_areas,last_contact_on,role\n"
        "Heron-1,,,,,,,,\n"  # 2: codename
        ",Someone,jose@EXAMPLE.org,,,,,,\n"  # 3: e-mail, any case
        ",Other,,+15550109999,,,,,\n"  # 4: phone, digits only
        ",jose garcia,,,new;old,fr,women_girls,2024-01-01,director\n"  # 5: name, accents, case and spaces
        "Fresh-5,Fresh Person,fresh@example.org,,t1,,,,\n"  # 6: new
        ",Someone Else,FRESH@example.org,,t2,,labour,,\n"  # 7: earlier row 6
        ",Third,,,,,,,\n"  # 8: new
    )
    with opened.store.session() as s:
        versions = count(s, RecordVersion)
        plan = contact_io.preview(s, text, "csv")
        assert [(r.row, r.matched_on, r.duplicate_of, r.duplicate_label) for r in plan.duplicates] == [
            (2, "codename", existing_id, "Heron-1"),
            (3, "email", existing_id, "Heron-1"),
            (4, "phone", existing_id, "Heron-1"),
            (5, "name", existing_id, "Heron-1"),
            (7, "earlier row 6", None, "Fresh-5"),
        ]
        assert plan.rows[1].describe_duplicate() == "duplicates contact Heron-1 (same e-mail)"
        assert plan.rows[5].describe_duplicate() == "duplicates row 6 (same e-mail)"
        assert [r.row for r in plan.new] == [6, 8]
        assert (
            plan.summary_lines()[0]
            == "7 rows: 2 new, 4 duplicates of existing contacts, 1 duplicate of earlier rows, 0 with errors"
        )
        assert count(s, RecordVersion) == versions  # the preview wrote nothing
        assert contact_io.apply(s, plan, "merge") == contact_io.ImportResult(created=2, merged=5)
    with opened.store.session() as s:
        merged = s.get(Contact, existing_id)
        assert merged.name == "jose garcia" and merged.codename == "Heron-1"  # non-empty values win; codename kept
        assert merged.email == "jose@EXAMPLE.org" and merged.phone == "+15550109999" and merged.role == "director"
        assert merged.tags == ["old", "new"] and merged.languages == ["es", "fr"]  # unioned
        assert merged.last_contact_on == date(2024, 5, 1)  # the later date is kept
        assert [a.value for a in contacts.focus_areas(s, existing_id)] == ["women_girls", "labour"]
        history = s.exec(
            select(RecordVersion).where(RecordVersion.entity == "contact", RecordVersion.entity_id == existing_id)
        ).all()
        assert history and history[0].data["name"] == "José  García" and history[0].data["email"] == "Jose@Example.org"
        fresh = s.exec(select(Contact).where(Contact.codename == "Fresh-5")).one()
        assert fresh.email == "FRESH@example.org" and fresh.tags == ["t1", "t2"]
        assert [a.value for a in contacts.focus_areas(s, fresh.id)] == ["labour"]
        assert count(s, Contact) == 3


def test_skip_leaves_existing_contacts_alone(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        contacts.create_contact(s, {"name": "Ana", "codename": "Ana-1", "email": "ana@example.org"})
    text = (
        "name,email,role\nAna Other,ANA@example.org,spokesperson\nNew One,new@example.org,\nNew Two,new@example.org,\n"
    )
    with opened.store.session() as s:
        versions = count(s, RecordVersion)
        plan = contact_io.preview(s, text, "csv")
        assert contact_io.apply(s, plan, "skip") == contact_io.ImportResult(created=1, skipped=2)
    with opened.store.session() as s:
        assert count(s, RecordVersion) == versions
        assert sorted(s.exec(select(Contact.name))) == ["Ana", "New One"]
        assert s.exec(select(Contact.role).where(Contact.codename == "Ana-1")).one() is None


def test_preview_writes_nothing(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        contacts.create_contact(s, {"name": "Existing", "codename": "E-1"})
    rows = "".join(f",Person {i},,,\n" for i in range(50)) + "E-1,Existing again,,,\n"
    with opened.store.session() as s:
        before = (count(s, Contact), count(s, ContactFocusArea), count(s, RecordVersion))
        plan = contact_io.preview(s, "codename,name,email,phone,focus_areas\n" + rows, "csv")
        assert len(plan.new) == 50 and len({r.data["codename"] for r in plan.new}) == 50
        assert not s.new and not s.dirty
    with opened.store.session() as s:
        assert (count(s, Contact), count(s, ContactFocusArea), count(s, RecordVersion)) == before


def test_generated_codenames_never_collide_even_when_the_short_ones_run_out() -> None:
    taken = {codename_key(f"{w}-{n}") for w in contacts.CODENAME_WORDS for n in range(100, 1000)}
    assert len(taken) == 18_000
    fresh = contact_io.new_codename(taken)
    assert codename_key(fresh) not in taken and len(fresh.split("-")[1]) == 4


def test_list_cells_escape_semicolons_and_trim_spaces(opened: vault.Vault) -> None:
    text = 'name,tags,languages\nA,"x\\;y; z ;;C:\\path\\",en ; fr\n'
    with opened.store.session() as s:
        plan = contact_io.preview(s, text, "csv")
        assert plan.rows[0].data["tags"] == ["x;y", "z", "C:\\path\\"]
        assert plan.rows[0].data["languages"] == ["en", "fr"]


def test_a_codename_match_with_a_different_name_is_flagged(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        contacts.create_contact(s, {"name": "Ana Pérez", "codename": "Heron-123", "email": "ana@example.org"})
    text = "codename,name,email\nHeron-123,ana perez,\nHeron-123,Boris Other,boris@example.org\n"
    with opened.store.session() as s:
        same, other = contact_io.preview(s, text, "csv").rows
        assert same.matched_on == other.matched_on == "codename"
        assert same.notes == []
        assert other.notes == [
            "same codename as contact Heron-123, but a different e-mail and name: "
            "make sure it is the same person before merging"
        ]
