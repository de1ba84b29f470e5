"""Handover between officers: encrypted bundles written by one real vault and imported
into another (SQLCipher, key slots, migrations, the real Argon2id with the test
parameters). No mocks: every bundle is a file on disk, every import a transaction."""

from __future__ import annotations

import json
import os
import re
import stat
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import FROZEN_DAY, PASSPHRASE, find_markers
from sqlmodel import Session, select

from hrd_tui import demo, keyslots, vault, wallclock
from hrd_tui.errors import HrdError, NotFound, UnlockFailed, ValidationError
from hrd_tui.models import (
    EXPORT_TABLES,
    ConsentRecord,
    Contact,
    Draft,
    Hearing,
    Referral,
    Relationship,
    SecureChannel,
    TrialNote,
)
from hrd_tui.services import checklists, contacts, handover, history, search, threats, trials
from hrd_tui.services.export import export_document
from hrd_tui.services.handover import sealing, segments
from hrd_tui.services.handover import tables as carried_tables
from hrd_tui.services.handover.applying import ImportResult
from hrd_tui.services.handover.document import Bundle
from hrd_tui.services.handover.errors import BundleError, BundleTooNew, BundleUnlockFailed
from hrd_tui.services.handover.planning import ImportPlan
from hrd_tui.services.handover.sealing import MAGIC
from hrd_tui.services.handover.selection import Selection

DAY = date(2026, 3, 10)


# -- helpers ----------------------------------------------------------------------


@pytest.fixture
def a(tmp_path: Path) -> Iterator[vault.Vault]:
    opened, _ = vault.create(tmp_path / "vault-a", PASSPHRASE)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def b(tmp_path: Path) -> Iterator[vault.Vault]:
    opened, _ = vault.create(tmp_path / "vault-b", PASSPHRASE)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def export(v: vault.Vault, path: Path, selection: Selection | None = None) -> str:
    with v.store.session("exporting a bundle") as s:
        return handover.export_bundle(s, path, selection=selection, vault_id=v.header.vault_id)


def plan(v: vault.Vault, path: Path, passphrase: str) -> ImportPlan:
    bundle = handover.read_bundle(path, passphrase)
    with v.store.session("previewing an import") as s:
        return handover.plan_import(s, bundle)


def import_bundle(
    v: vault.Vault, path: Path, passphrase: str, choices: dict[str, Any] | None = None, default: str | None = None
) -> ImportResult:
    """What the CLI does: read, preview, apply; one transaction for the preview and the import."""
    bundle = handover.read_bundle(path, passphrase)
    with v.store.session("importing a bundle") as s:
        preview = handover.plan_import(s, bundle)
        return handover.apply_import(s, preview, choices or {}, default=default)  # type: ignore[arg-type]


def tables(v: vault.Vault) -> dict[str, dict[tuple[Any, ...], dict[str, Any]]]:
    """Every record of the vault by table and primary key (the plain export's shape)."""
    with v.store.session("reading") as s:
        doc = export_document(s, v.header.vault_id)
    found: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
    for name, model in EXPORT_TABLES.items():
        pk = [c.name for c in model.__table__.primary_key.columns]  # type: ignore[attr-defined]
        found[name] = {tuple(row[c] for c in pk): row for row in doc[name]}
    return found


def without(row: dict[str, Any], *fields: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in fields}


def person(s: Session, name: str, codename: str, **fields: Any) -> Contact:
    return contacts.create_contact(s, {"name": name, "codename": codename, **fields})


def consent(s: Session, contact: Contact, scope: str, value: str) -> None:
    contacts.record_consent(s, contact, {"scope": scope, "value": value, "given_on": DAY, "how": "in person"})


def counts(v: vault.Vault) -> dict[str, int]:
    return vault.count_rows(v)


def header_of(data: bytes) -> tuple[dict[str, Any], int]:
    end = data.index(b"\n", len(MAGIC))
    return json.loads(data[len(MAGIC) : end]), end + 1


def rewrite_header(data: bytes, **changes: Any) -> bytes:
    header, start = header_of(data)
    header.update(changes)
    line = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("ascii")
    return MAGIC + line + b"\n" + data[start:]


# -- round trip ---------------------------------------------------------------------


def test_whole_vault_round_trip_keeps_the_receivers_records(a: vault.Vault, b: vault.Vault, out: Path) -> None:
    with a.store.session() as s:
        assert demo.populate(s)
    with b.store.session() as s:
        own = person(s, "Ольга Жукова", "Birch-1", notes="B's own contact")
        consent(s, own, "naming", "never")
        own_id = own.id
    before_b = tables(b)
    passphrase = export(a, out / "all.hrdb")
    result = import_bundle(b, out / "all.hrdb", passphrase)

    of_a, of_b = tables(a), tables(b)
    assert result.total_inserted > 200 and not result.took_theirs and not result.kept_mine
    for name in carried_tables.CARRIED:
        assert of_a[name], f"the demo leaves {name} empty: the round trip would prove nothing"
        for key, row in of_a[name].items():
            assert key in of_b[name], f"{name} {key} did not arrive"
            # A shipped resource is each vault's own copy of the file, made when it was created.
            own_copy = ("created_at",) if name == "resources" and row["origin"] == "shipped" else ()
            bookkeeping = ("updated_at", "loaded_at", *own_copy)
            assert without(of_b[name][key], *bookkeeping) == without(row, *bookkeeping), name
        for key, row in before_b[name].items():  # the receiver's own records are all still there, unchanged
            assert of_b[name][key] == row, f"B's own {name} {key} was changed"
    assert of_b["contacts"][(own_id,)]["notes"] == "B's own contact"
    # Drafts and the sender's history do not travel.
    assert of_a["drafts"] and not of_b["drafts"]
    assert not [v for v in of_b["record_versions"].values() if v["entity_id"] in {k[0] for k in of_a["contacts"]}]
    # Imported records are searchable, so the receiving officer finds them.
    irina = next(r for r in of_a["contacts"].values() if r["codename"] == "Lantern-202")
    with b.store.session() as s:
        assert any(hit.ref == irina["id"] for hit in search.search(s, "Ирина"))
    # A second import of the same bundle finds everything already there.
    again = plan(b, out / "all.hrdb", passphrase)
    assert again.new_counts == {} and again.conflicts == []
    assert sum(again.identical.values()) == sum(len(of_a[name]) for name in carried_tables.CARRIED)


def test_bundle_leaves_drafts_and_history_out(a: vault.Vault, out: Path) -> None:
    with a.store.session() as s:
        demo.populate(s)
        assert s.exec(select(Draft)).first() is not None
    bundle = handover.read_bundle(out / "x.hrdb", export(a, out / "x.hrdb"))
    assert "drafts" not in bundle.tables and "record_versions" not in bundle.tables
    assert bundle.selection is None and bundle.vault_id == a.header.vault_id
    assert bundle.counts()["contacts"] == 12


# -- selections ----------------------------------------------------------------------


def test_a_case_carries_its_defenders_and_their_consent_and_nobody_else(
    a: vault.Vault, b: vault.Vault, out: Path
) -> None:
    with a.store.session() as s:
        defender = person(s, "Zoë Ærøskøbing-Łukasz", "Kite-1")
        consent(s, defender, "act_on_behalf", "granted")
        consent(s, defender, "naming", "anonymised")
        contacts.add_channel(s, defender, {"kind": "signal", "handle": "+999 555 0001", "preferred": True})
        other = person(s, "Ярослав Невідомий", "Moss-2", email="yaroslav@example.org")
        consent(s, other, "naming", "named")
        contacts.add_channel(s, other, {"kind": "wire", "handle": "@moss-two"})
        contacts.log_interaction(
            s,
            {"kind": "meeting", "occurred_at": wallclock.local_now() - timedelta(days=2), "summary": "Met both"},
            [defender, other],
        )
        case = threats.open_case(
            s, {"title": "Threats against Kite-1"}, [defender], ["intimidation"], first_event="Calls at night"
        )
        threats.assess_risk(s, case, {"threat": 4, "vulnerability": 3, "capacity": 2})
        threats.add_source(s, case, {"description": "Kite-1 in person", "reliability": "B", "credibility": "2"})
        other_case = threats.open_case(s, {"title": "Moss-2 raided"}, [other], ["physical_attack"])
        ids = {"defender": defender.id, "other": other.id, "case": case.id, "other_case": other_case.id}

    passphrase = export(a, out / "case.hrdb", Selection(cases=[ids["case"]]))
    bundle = handover.read_bundle(out / "case.hrdb", passphrase)
    t = bundle.tables
    assert [r["id"] for r in t["contacts"]] == [ids["defender"]]
    assert len(t["consent_records"]) == 2 and {r["contact_id"] for r in t["consent_records"]} == {ids["defender"]}
    assert [r["id"] for r in t["threat_cases"]] == [ids["case"]]
    assert len(t["case_actions"]) > 5 and len(t["risk_assessments"]) == 1 and len(t["sources"]) == 1
    assert len(t["timeline_events"]) >= 4 and len(t["case_threat_types"]) == 1
    assert t["secure_channels"] == [] and t["interactions"] == []  # a case carries no channel, no meeting
    text = json.dumps(bundle.tables, ensure_ascii=False)
    for trace in (
        ids["other"],
        ids["other_case"],
        "Moss-2",
        "Ярослав",
        "yaroslav@example.org",
        "@moss-two",
        "Met both",
    ):
        assert trace not in text, trace

    result = import_bundle(b, out / "case.hrdb", passphrase)
    assert result.inserted["contacts"] == 1
    of_b = tables(b)
    assert (ids["case"],) in of_b["threat_cases"] and (ids["defender"],) in of_b["contacts"]
    assert len([r for r in of_b["consent_records"].values() if r["contact_id"] == ids["defender"]]) == 2
    assert (ids["other"],) not in of_b["contacts"]


def test_contacts_carry_their_channels_relations_and_meetings_among_themselves(a: vault.Vault, out: Path) -> None:
    with a.store.session() as s:
        x = person(s, "Xóchitl Pérez", "Aster-1")
        y = person(s, "Юрий Ли", "Basalt-2")
        z = person(s, "Zainab Outsider", "Comet-3")
        contacts.add_channel(s, x, {"kind": "signal", "handle": "x-signal", "preferred": True})
        contacts.add_channel(s, z, {"kind": "signal", "handle": "z-signal"})
        consent(s, y, "contact", "granted")
        consent(s, z, "contact", "granted")
        contacts.relate(s, {"from_contact_id": x.id, "to_contact_id": y.id, "kind": "member_of"})
        contacts.relate(s, {"from_contact_id": x.id, "to_contact_id": z.id, "kind": "family_of"})
        met = contacts.log_interaction(
            s,
            {"kind": "meeting", "occurred_at": wallclock.local_now() - timedelta(days=1), "summary": "x and z"},
            [x, z],
            [{"description": "call back", "due_on": DAY}],
        )
        contacts.log_interaction(
            s, {"kind": "call", "occurred_at": wallclock.local_now() - timedelta(days=1), "summary": "z alone"}, [z]
        )
        ids = {"x": x.id, "y": y.id, "z": z.id, "met": met.id}
    bundle = handover.read_bundle(out / "c.hrdb", export(a, out / "c.hrdb", Selection(contacts=[ids["x"], ids["y"]])))
    t = bundle.tables
    assert {r["id"] for r in t["contacts"]} == {ids["x"], ids["y"]}
    assert [r["handle"] for r in t["secure_channels"]] == ["x-signal"]
    assert [(r["from_contact_id"], r["to_contact_id"]) for r in t["contact_relationships"]] == [(ids["x"], ids["y"])]
    assert [r["id"] for r in t["interactions"]] == [ids["met"]]
    assert t["interaction_participants"] == [{"interaction_id": ids["met"], "contact_id": ids["x"]}]
    assert [r["description"] for r in t["follow_ups"]] == ["call back"]
    assert [r["contact_id"] for r in t["consent_records"]] == [ids["y"]]
    text = json.dumps(bundle.tables, ensure_ascii=False)
    for trace in (ids["z"], "Zainab", "Comet-3", "z-signal", "z alone"):
        assert trace not in text, trace


def test_a_trial_carries_defendants_hearings_notes_and_the_fair_trial_checklist(
    a: vault.Vault, b: vault.Vault, out: Path
) -> None:
    with a.store.session() as s:
        defendant = person(s, "Ngozi Ádébáyọ̀", "Ember-4")
        consent(s, defendant, "naming", "anonymised")
        trial = trials.create_trial(s, {"title": "Prosecutor v. Ádébáyọ̀", "case_number": "CR-17/2026"}, [defendant])
        hearing = trials.add_hearing(s, trial, {"starts_at": datetime(2026, 3, 10, 9, 0).astimezone()})
        first = trials.add_note(s, hearing, "a: observers kept out 20 minutes")
        trials.correct_note(s, first, "a: observers kept out 25 minutes")
        run = trials.fair_trial_run(s, hearing)
        assert run is not None
        item = checklists.template_of(s, run).items[0]["id"]
        trials.attach_note(s, first, run, item)
        checklists.set_item(s, run, item, note="late")
        ids = {"trial": trial.id, "defendant": defendant.id, "run": run.id, "hearing": hearing.id}
    passphrase = export(a, out / "t.hrdb", Selection(trials=[ids["trial"]]))
    bundle = handover.read_bundle(out / "t.hrdb", passphrase)
    t = bundle.tables
    assert [r["id"] for r in t["contacts"]] == [ids["defendant"]] and len(t["consent_records"]) == 1
    assert [r["id"] for r in t["hearings"]] == [ids["hearing"]] and len(t["trial_notes"]) == 2
    assert [r["id"] for r in t["checklist_runs"]] == [ids["run"]] and t["checklist_item_states"]
    assert t["trial_defendants"] == [{"trial_id": ids["trial"], "contact_id": ids["defendant"]}]

    # The correction listed before the line it corrects still imports (parents first).
    with a.store.session() as s:
        doc = handover.bundle_document(s, selection=Selection(trials=[ids["trial"]]))
    doc["trial_notes"].sort(key=lambda r: r["corrects_id"] is None)
    assert doc["trial_notes"][0]["corrects_id"] is not None
    reordered = out / "reordered.hrdb"
    reordered.write_bytes(handover.seal_document(doc, passphrase))
    import_bundle(b, reordered, passphrase)
    with b.store.session() as s:
        notes = trials.note_log(s, ids["hearing"])
        assert [line.text for line in notes] == ["observers kept out 25 minutes"]
        assert s.get(Hearing, ids["hearing"]) is not None
        assert len(list(s.exec(select(TrialNote).where(TrialNote.hearing_id == ids["hearing"])))) == 2


def test_a_link_to_someone_left_out_is_emptied_and_said(a: vault.Vault, b: vault.Vault, out: Path) -> None:
    with a.store.session() as s:
        defender = person(s, "Dário Çelik", "Fjord-5")
        informant = person(s, "Ифигения Source", "Sparrow-5")
        case = threats.open_case(s, {"title": "Raid"}, [defender], plan=False)
        source = threats.add_source(s, case, {"description": "a neighbour", "contact_id": informant.id})
        ids = {"case": case.id, "source": source.id, "informant": informant.id}
    passphrase = export(a, out / "case.hrdb", Selection(cases=[ids["case"]]))
    bundle = handover.read_bundle(out / "case.hrdb", passphrase)
    assert ids["informant"] not in {r["id"] for r in bundle.tables["contacts"]}
    assert "Ифигения" not in json.dumps(bundle.tables, ensure_ascii=False)
    result = import_bundle(b, out / "case.hrdb", passphrase)
    assert any("source" in note and "left empty" in note for note in result.notes)
    assert tables(b)["sources"][(ids["source"],)]["contact_id"] is None
    # When the whole vault follows, the link shows as a conflict, by codename.
    whole = out / "all.hrdb"
    preview = plan(b, whole, export(a, whole))
    [conflict] = preview.conflicts
    assert (
        conflict.table == "sources" and conflict.label == "source of case of Fjord-5 (opened " + str(FROZEN_DAY) + ")"
    )
    assert conflict.lines()[1] == "  contact id: mine (empty) | theirs Sparrow-5"


def test_a_selection_must_name_something_that_exists(a: vault.Vault, out: Path) -> None:
    with pytest.raises(ValidationError):
        export(a, out / "none.hrdb", Selection())
    with pytest.raises(NotFound):
        export(a, out / "none.hrdb", Selection(cases=["0" * 32]))
    assert not (out / "none.hrdb").exists()


# -- conflicts ---------------------------------------------------------------------


@pytest.fixture
def diverged(a: vault.Vault, b: vault.Vault, out: Path) -> dict[str, Any]:
    """The same contact, handed over, then edited differently in both vaults."""
    with a.store.session() as s:
        k = person(s, "Ana Lúcia Ñandú", "Heron-7", role="Organiser", notes="first meeting")
        contact_id = k.id
    import_bundle(b, out / "first.hrdb", export(a, out / "first.hrdb"))
    with a.store.session() as s:
        contacts.update_contact(s, s.get(Contact, contact_id), {"notes": "seen by A"})
    with b.store.session() as s:
        contacts.update_contact(s, s.get(Contact, contact_id), {"notes": "seen by B", "role": "Coordinator"})
    passphrase = export(a, out / "second.hrdb")
    return {"id": contact_id, "key": f"contacts/{contact_id}", "path": out / "second.hrdb", "passphrase": passphrase}


def test_a_second_import_lists_the_conflict_with_its_fields(b: vault.Vault, diverged: dict[str, Any]) -> None:
    preview = plan(b, diverged["path"], diverged["passphrase"])
    assert [c.key for c in preview.conflicts] == [diverged["key"]]
    conflict = preview.conflicts[0]
    assert conflict.label == "contact Heron-7"
    assert {d.field: (d.mine, d.theirs) for d in conflict.diffs} == {
        "notes": ("seen by B", "seen by A"),
        "role": ("Coordinator", "Organiser"),
    }
    assert conflict.lines() == [
        f"contact Heron-7 ({diverged['key']})",
        "  role: mine 'Coordinator' | theirs 'Organiser'",
        "  notes: mine 'seen by B' | theirs 'seen by A'",
    ]
    assert preview.new_counts == {}
    # No name in the label, the repr or the summary: the diff shows only what differs.
    for text in (repr(preview), repr(conflict), "\n".join(preview.summary())):
        assert "Ana Lúcia" not in text and "seen by" not in text


def test_theirs_takes_the_senders_value_and_keeps_mine_in_history(b: vault.Vault, diverged: dict[str, Any]) -> None:
    result = import_bundle(b, diverged["path"], diverged["passphrase"], {diverged["key"]: "theirs"})
    assert result.took_theirs == [diverged["key"]] and result.total_inserted == 0
    with b.store.session() as s:
        k = s.get(Contact, diverged["id"])
        assert (k.notes, k.role) == ("seen by A", "Organiser")
        earlier = [v.data for v in history.versions(s, "contact", diverged["id"])]
        assert any(d["notes"] == "seen by B" and d["role"] == "Coordinator" for d in earlier)
    assert plan(b, diverged["path"], diverged["passphrase"]).conflicts == []


def test_mine_keeps_the_receivers_value(b: vault.Vault, diverged: dict[str, Any]) -> None:
    result = import_bundle(b, diverged["path"], diverged["passphrase"], {diverged["key"]: "mine"})
    assert result.kept_mine == [diverged["key"]] and result.took_theirs == []
    with b.store.session() as s:
        assert (s.get(Contact, diverged["id"]).notes, s.get(Contact, diverged["id"]).role) == (
            "seen by B",
            "Coordinator",
        )
    assert [c.key for c in plan(b, diverged["path"], diverged["passphrase"]).conflicts] == [diverged["key"]]
    # With default="mine" no choice is needed.
    assert import_bundle(b, diverged["path"], diverged["passphrase"], default="mine").kept_mine == [diverged["key"]]


@pytest.fixture
def apart(a: vault.Vault, b: vault.Vault, out: Path) -> dict[str, Any]:
    """The same contact, handed over, then edited in different fields: A the role, B the phone."""
    with a.store.session() as s:
        contact_id = person(s, "Ana Lúcia Ñandú", "Heron-7", role="Organiser", phone="+1 555 0100").id
    import_bundle(b, out / "first.hrdb", export(a, out / "first.hrdb"))
    with a.store.session() as s:
        contacts.update_contact(s, s.get(Contact, contact_id), {"role": "Coordinator"})
    with b.store.session() as s:
        contacts.update_contact(s, s.get(Contact, contact_id), {"phone": "+1 555 0199"})
    passphrase = export(a, out / "second.hrdb")
    return {"id": contact_id, "key": f"contacts/{contact_id}", "path": out / "second.hrdb", "passphrase": passphrase}


def test_each_field_takes_its_own_side_so_both_officers_keep_their_edits(b: vault.Vault, apart: dict[str, Any]) -> None:
    conflict = plan(b, apart["path"], apart["passphrase"]).conflicts[0]
    assert {d.field: (d.mine, d.theirs) for d in conflict.diffs} == {
        "role": ("Organiser", "Coordinator"),
        "phone": ("+1 555 0199", "+1 555 0100"),
    }
    result = import_bundle(b, apart["path"], apart["passphrase"], {apart["key"]: {"role": "theirs", "phone": "mine"}})
    assert result.mixed == [apart["key"]] and result.took_theirs == [] and result.kept_mine == []
    with b.store.session() as s:
        k = s.get(Contact, apart["id"])
        assert (k.role, k.phone) == ("Coordinator", "+1 555 0199")  # A's edit and B's
    assert plan(b, apart["path"], apart["passphrase"]).conflicts[0].fields == ("phone",)


def test_the_value_not_taken_and_the_source_are_in_the_history(b: vault.Vault, apart: dict[str, Any]) -> None:
    """Taken: the earlier value is a version marked as the merge's; not taken: the bundle's
    value is kept as declined, with the same source. Changes after the import are the officer's."""
    import_bundle(b, apart["path"], apart["passphrase"], {apart["key"]: {"role": "theirs", "phone": "mine"}})
    source = f"handover merge from second.hrdb (exported {FROZEN_DAY})"
    with b.store.session() as s:
        kept = history.versions(s, "contact", apart["id"])
        merged = [(v.kind, v.source, v.data.get("role"), v.data.get("phone")) for v in kept if v.source == source]
        assert merged == [
            (history.EARLIER, source, "Organiser", "+1 555 0199"),  # before the role was taken
            (history.DECLINED, source, None, "+1 555 0100"),
        ]  # the phone not taken
        assert next(v for v in kept if v.kind == history.DECLINED).data == {"phone": "+1 555 0100"}
        assert "change_source" not in s.info
        contacts.update_contact(s, s.get(Contact, apart["id"]), {"role": "Chair"})
    with b.store.session() as s:
        assert history.versions(s, "contact", apart["id"])[-1].source == ""


def test_a_field_left_out_takes_the_default_or_is_refused(b: vault.Vault, apart: dict[str, Any]) -> None:
    before = tables(b)
    with pytest.raises(ValidationError) as refused:
        import_bundle(b, apart["path"], apart["passphrase"], {apart["key"]: {"role": "theirs"}})
    assert "phone differ" in str(refused.value) and "role" not in refused.value.errors[apart["key"]]
    with pytest.raises(ValidationError, match="not a field that differs"):
        import_bundle(b, apart["path"], apart["passphrase"], {apart["key"]: {"name": "theirs"}}, default="mine")
    with pytest.raises(ValidationError, match="for each field"):
        import_bundle(b, apart["path"], apart["passphrase"], {apart["key"]: {"role": "both"}}, default="mine")
    assert tables(b) == before
    result = import_bundle(b, apart["path"], apart["passphrase"], {apart["key"]: {"role": "theirs"}}, default="mine")
    assert result.mixed == [apart["key"]]
    with b.store.session() as s:
        assert (s.get(Contact, apart["id"]).role, s.get(Contact, apart["id"]).phone) == ("Coordinator", "+1 555 0199")


def test_whole_values_are_kept_for_a_view_that_scrolls(b: vault.Vault, diverged: dict[str, Any]) -> None:
    """The preview cuts a value; the diff also carries it whole, lines and all."""
    long = "seen by B " + "x" * 100 + "\n(C)"
    with b.store.session() as s:
        contacts.update_contact(s, s.get(Contact, diverged["id"]), {"notes": long, "kind": "journalist"})
    diffs = {d.field: d for d in plan(b, diverged["path"], diverged["passphrase"]).conflicts[0].diffs}
    assert diffs["notes"].mine_shown.endswith("...'") and "(C)" not in diffs["notes"].mine_shown
    assert (diffs["notes"].mine_whole, diffs["notes"].theirs_whole) == (long, "seen by A")
    # As the form shows them: a vocabulary's label, not its code.
    assert (diffs["kind"].mine_whole, diffs["kind"].theirs_whole) == ("Journalist or media", "Human rights defender")


def test_unresolved_or_unknown_choices_are_refused_and_nothing_is_written(
    b: vault.Vault, diverged: dict[str, Any]
) -> None:
    before = tables(b)
    with pytest.raises(ValidationError) as refused:
        import_bundle(b, diverged["path"], diverged["passphrase"])
    assert diverged["key"] in refused.value.errors and "choose mine or theirs" in str(refused.value)
    with pytest.raises(ValidationError):
        import_bundle(b, diverged["path"], diverged["passphrase"], {"contacts/nope": "theirs"}, default="mine")
    with pytest.raises(ValidationError):
        import_bundle(b, diverged["path"], diverged["passphrase"], {diverged["key"]: "both"})
    assert tables(b) == before


def test_a_preview_made_stale_by_an_edit_is_refused(b: vault.Vault, diverged: dict[str, Any]) -> None:
    bundle = handover.read_bundle(diverged["path"], diverged["passphrase"])
    with b.store.session() as s:
        preview = handover.plan_import(s, bundle)
    with b.store.session() as s:
        contacts.update_contact(s, s.get(Contact, diverged["id"]), {"notes": "edited after the preview"})
    with pytest.raises(HrdError, match="changed since"), b.store.session() as s:
        handover.apply_import(s, preview, {diverged["key"]: "theirs"})
    with b.store.session() as s:
        assert s.get(Contact, diverged["id"]).notes == "edited after the preview"


@pytest.mark.parametrize("prefer", ["mine", "theirs"])
def test_records_made_twice_independently_meet_without_breaking_unique_rules(
    a: vault.Vault, b: vault.Vault, out: Path, prefer: str
) -> None:
    with a.store.session() as s:
        x, y = person(s, "Xavier Ólafsson", "Quartz-8"), person(s, "Yara Ödegaard", "Sparrow-9")
        contacts.add_channel(s, x, {"kind": "signal", "handle": "old", "preferred": True})
        ids = {"x": x.id, "y": y.id}
    import_bundle(b, out / "1.hrdb", export(a, out / "1.hrdb"))
    # Both officers link the same two people the same way, each in their own vault,
    # and A moves X to a new preferred channel.
    for v, note in ((a, "A's note"), (b, "B's note")):
        with v.store.session() as s:
            contacts.relate(
                s, {"from_contact_id": ids["x"], "to_contact_id": ids["y"], "kind": "member_of", "note": note}
            )
    with a.store.session() as s:
        contacts.add_channel(s, s.get(Contact, ids["x"]), {"kind": "wire", "handle": "new", "preferred": True})
    path = out / "2.hrdb"
    passphrase = export(a, path)
    preview = plan(b, path, passphrase)
    assert {c.table for c in preview.conflicts} == {"contact_relationships", "secure_channels"}
    assert preview.new_counts == {"secure_channels": 1}
    result = import_bundle(b, path, passphrase, default=prefer)
    with b.store.session() as s:
        links = list(s.exec(select(Relationship).where(Relationship.from_contact_id == ids["x"])))
        assert [r.note for r in links] == [f"{'A' if prefer == 'theirs' else 'B'}'s note"]
        preferred = [
            c.handle for c in s.exec(select(SecureChannel).where(SecureChannel.contact_id == ids["x"])) if c.preferred
        ]
    assert preferred == (["new"] if prefer == "theirs" else ["old"])
    if prefer == "mine":
        assert any("not preferred" in note for note in result.notes)


def test_a_new_contact_whose_codename_is_taken_gets_another(a: vault.Vault, b: vault.Vault, out: Path) -> None:
    with a.store.session() as s:
        theirs_id = person(s, "Théo Ångström", "Heron-101").id
    with b.store.session() as s:
        mine_id = person(s, "Мария Иванова", "Heron-101").id
    path = out / "x.hrdb"
    passphrase = export(a, path)
    result = import_bundle(b, path, passphrase)
    with b.store.session() as s:
        assert s.get(Contact, mine_id).codename == "Heron-101"
        renamed = s.get(Contact, theirs_id).codename
    assert renamed != "Heron-101" and any(renamed in note for note in result.notes)
    # Importing the same bundle again is not a conflict anyone could resolve: a note only.
    again = plan(b, path, passphrase)
    assert again.conflicts == [] and any(renamed in note for note in again.notes)


# -- reading bundles: every failure is one clear error --------------------------------


@pytest.fixture
def sent(a: vault.Vault, out: Path) -> tuple[Path, str]:
    with a.store.session() as s:
        demo.populate(s)
    path = out / "sent.hrdb"
    return path, export(a, path)


def test_a_wrong_passphrase_reads_like_a_damaged_bundle(sent: tuple[Path, str], b: vault.Vault, out: Path) -> None:
    path, passphrase = sent
    before = counts(b)
    with pytest.raises(BundleUnlockFailed) as wrong:
        import_bundle(b, path, handover.new_bundle_passphrase())
    data = bytearray(path.read_bytes())
    data[header_of(bytes(data))[1] + 40] ^= 0x01  # in the document (a damaged attachment says so: its own test)
    (out / "flipped.hrdb").write_bytes(bytes(data))
    with pytest.raises(BundleUnlockFailed) as damaged:
        import_bundle(b, out / "flipped.hrdb", passphrase)
    assert str(wrong.value) == str(damaged.value) and "\n" not in str(wrong.value)
    assert isinstance(wrong.value, UnlockFailed) and wrong.value.exit_code == 3
    assert counts(b) == before


def test_a_truncated_bundle_says_so_and_imports_nothing(sent: tuple[Path, str], b: vault.Vault, out: Path) -> None:
    path, passphrase = sent
    data = path.read_bytes()
    _, start = header_of(data)
    before = counts(b)
    cuts = {
        "magic": 5,
        "header": len(MAGIC) + 20,
        "end of header": start,
        "middle": (start + len(data)) // 2,
        "last byte": len(data) - 1,
    }
    for where, size in cuts.items():
        cut = out / f"cut-{size}.hrdb"
        cut.write_bytes(data[:size])
        with pytest.raises(BundleError, match="truncated") as err:
            import_bundle(b, cut, passphrase)
        assert "\n" not in str(err.value), where
    (out / "empty.hrdb").write_bytes(b"")
    with pytest.raises(BundleError, match="empty"):
        import_bundle(b, out / "empty.hrdb", passphrase)
    assert counts(b) == before


def test_other_files_are_not_bundles(b: vault.Vault, out: Path, sent: tuple[Path, str]) -> None:
    path, passphrase = sent
    for name, content in (
        ("plain.json", b'{"contacts": []}'),
        ("db", (b.dir / "vault.db").read_bytes()[:4096]),
        ("hdr", (b.dir / "vault.hdr").read_bytes()),
    ):
        (out / name).write_bytes(content)
        with pytest.raises(BundleError, match="not an hrd-tui bundle"):
            handover.read_bundle(out / name, passphrase)
    (out / "extra.hrdb").write_bytes(path.read_bytes() + b"x")
    with pytest.raises(BundleError, match="after its end"):
        handover.read_bundle(out / "extra.hrdb", passphrase)


def test_a_newer_format_or_schema_is_refused(sent: tuple[Path, str], a: vault.Vault, out: Path) -> None:
    path, passphrase = sent
    (out / "v3.hrdb").write_bytes(rewrite_header(path.read_bytes(), version=3))
    with pytest.raises(BundleTooNew, match="format version 3"):
        handover.read_bundle(out / "v3.hrdb", passphrase)
    with a.store.session() as s:
        doc = handover.bundle_document(s)
    (out / "future.hrdb").write_bytes(handover.seal_document({**doc, "schema_revision": "9999_future"}, passphrase))
    with pytest.raises(BundleTooNew, match="newer hrd-tui"):
        handover.read_bundle(out / "future.hrdb", passphrase)
    (out / "doc2.hrdb").write_bytes(handover.seal_document({**doc, "version": 2}, passphrase))
    with pytest.raises(BundleTooNew):
        handover.read_bundle(out / "doc2.hrdb", passphrase)


def test_absurd_or_weak_parameters_are_refused_before_any_work(
    sent: tuple[Path, str], out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, passphrase = sent
    header, _ = header_of(path.read_bytes())
    absurd = {**header["kdf"], "memory_kib": 64 * 1024 * 1024, "time_cost": 3}
    (out / "absurd.hrdb").write_bytes(rewrite_header(path.read_bytes(), kdf=absurd))
    started = time.perf_counter()
    with pytest.raises(BundleError, match="absurd"):
        handover.read_bundle(out / "absurd.hrdb", passphrase)
    assert time.perf_counter() - started < 0.5
    # The test parameters are refused outside tests, as a vault header's are.
    monkeypatch.delenv(keyslots.TEST_KDF_ENV)
    with pytest.raises(BundleError, match="below the safety floor"):
        handover.read_bundle(path, passphrase)
    assert handover.default_params() == keyslots.KdfParams(3, 64 * 1024, 4)


def test_the_header_holds_only_how_to_open_it(sent: tuple[Path, str]) -> None:
    path, _ = sent
    data = path.read_bytes()
    header, start = header_of(data)
    assert data.startswith(MAGIC)
    assert set(header) == {"format", "version", "kdf", "cipher", "compression", "length"}
    assert header["format"] == "hrd-tui-bundle" and header["version"] == 2  # the demo's attachments follow
    assert {k: header["kdf"][k] for k in ("time_cost", "memory_kib", "parallelism")} == keyslots.TEST_PARAMS
    assert header["kdf"]["name"] == "argon2id" and header["cipher"]["name"] == "aes-256-gcm"
    files = handover.read_bundle(path, _).tables["attachments"]
    assert header["length"] == len(data) - start - sum(segments.sealed_size(r["size"]) for r in files)
    # The header is bound to the ciphertext: changing a parameter (even to valid ones) breaks it.
    tampered = path.with_name("tampered.hrdb")
    tampered.write_bytes(rewrite_header(data, compression="zlib", kdf={**header["kdf"], "time_cost": 2}))
    with pytest.raises(BundleUnlockFailed):
        handover.read_bundle(tampered, _)


# -- files and secrets -------------------------------------------------------------------

MARKERS = [
    "José Ñúñez-Vidal",
    "Ирина Волкова",
    "ليلى حداد",
    "陳美玲",
    "Ñandú-Þórsdóttir",
    "Жанна Ёлкина",
    "Heron-101",
    "Calder Basin",
]


def test_no_plaintext_in_the_bundle_or_beside_it(a: vault.Vault, out: Path) -> None:
    with a.store.session() as s:
        demo.populate(s)
        person(s, "Ñandú-Þórsdóttir", "Garnet-1", notes="Жанна Ёлкина said so")
    path = out / "all.hrdb"
    passphrase = export(a, path)
    text = json.dumps(handover.read_bundle(path, passphrase).tables, ensure_ascii=False)
    assert all(m in text for m in MARKERS)  # the markers are in the bundle's content ...
    assert find_markers([out], MARKERS) == []  # ... and nowhere in its bytes
    assert [p.name for p in out.iterdir()] == ["all.hrdb"]  # no temp file left beside it


def test_the_bundle_is_private_and_never_overwrites(a: vault.Vault, out: Path) -> None:
    old = os.umask(0o000)
    try:
        export(a, out / "x.hrdb")
    finally:
        os.umask(old)
    assert stat.S_IMODE((out / "x.hrdb").stat().st_mode) == 0o600
    (out / "keep.txt").write_bytes(b"precious")
    with pytest.raises(HrdError, match="already exists"):
        export(a, out / "keep.txt")
    assert (out / "keep.txt").read_bytes() == b"precious"


def test_the_passphrase_is_strong_and_easy_to_read_aloud(sent: tuple[Path, str]) -> None:
    path, passphrase = sent
    shape = re.compile(r"(?:[0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}")
    samples = [handover.new_bundle_passphrase() for _ in range(400)] + [passphrase]
    assert all(shape.fullmatch(p) for p in samples)
    assert len(set(samples)) == len(samples)
    used = set("".join(samples).replace("-", ""))
    assert used == set(sealing.PASSPHRASE_ALPHABET) and not used & set("ILOU")  # no look-alikes
    assert len(sealing.PASSPHRASE_ALPHABET) == 32 and sealing.PASSPHRASE_BITS >= 128
    # Read back as people type it: lower case, spaces, O for 0 and I/L for 1.
    typed = passphrase.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert isinstance(handover.read_bundle(path, typed), Bundle)


def test_repr_shows_no_data(sent: tuple[Path, str], b: vault.Vault) -> None:
    path, passphrase = sent
    bundle = handover.read_bundle(path, passphrase)
    preview = plan(b, path, passphrase)
    for text in (repr(bundle), repr(preview)):
        assert "Ирина" not in text and "José" not in text


def test_a_merge_never_rewrites_a_consent_decision_or_what_a_sent_referral_passed_on(
    a: vault.Vault, b: vault.Vault, out: Path
) -> None:
    """'theirs' on every field: the bundle's outcome is taken, but a consent decision
    stays as recorded here and a sent referral keeps its resource and what it shared (the
    consent gate stood there); the officer reads why, and the bundle's values are in the
    history as declined."""
    with a.store.session() as s:
        who = person(s, "Ana Lúcia Ñandú", "Heron-7")
        case = threats.open_case(s, {"title": "Case"}, [who], ["intimidation"], plan=False)
        contacts.record_consent(
            s,
            who,
            {
                "scope": "referral",
                "value": "granted",
                "given_on": DAY,
                "resource_ids": ["lifeline"],
                "shared": ["identity"],
            },
        )
        referral = threats.add_referral(
            s, case, {"resource_id": "lifeline", "purpose": "medical", "shared": ["identity"], "status": "sent"}
        )
        ids = {"referral": referral.id, "consent": referral.consent_record_id}
    import_bundle(b, out / "first.hrdb", export(a, out / "first.hrdb"))
    with a.store.raw() as conn:  # what the services refuse, as a bundle could carry it
        conn.execute(
            "UPDATE referral SET resource_id = 'freedom-house', shared = '[\"health\"]', outcome = 'Funded.' "
            "WHERE id = ?",
            (ids["referral"],),
        )
        conn.execute(
            'UPDATE consent_record SET resource_ids = \'["lifeline", "freedom-house"]\' WHERE id = ?',
            (ids["consent"],),
        )
    result = import_bundle(b, out / "second.hrdb", export(a, out / "second.hrdb"), default="theirs")
    assert any("a sent referral keeps the resource" in n and "resource_id, shared kept here" in n for n in result.notes)
    assert any("a consent decision is kept as it was recorded" in n for n in result.notes)
    with b.store.session() as s:
        kept = s.get(Referral, ids["referral"])
        assert (kept.resource_id, kept.shared, kept.outcome) == ("lifeline", ["identity"], "Funded.")
        assert s.get(ConsentRecord, ids["consent"]).resource_ids == ["lifeline"]
