"""The post's own resources (issue 19, part D), in a real vault: added, corrected, retired
and reinstated with every change in the history; the shipped list read-only and synced
without touching them; retired ones not offered for new referrals; ids that never clash."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import FROZEN_DAY, PASSPHRASE

from hrd_tui import vault
from hrd_tui.errors import NotFound, ValidationError
from hrd_tui.models import Resource
from hrd_tui.services import contacts, handover, history, reference, resources, threats
from hrd_tui.vocab import ResourceOrigin

SHELTER = {
    "name": "Casa Refugio",
    "kind": "shelter",
    "funds": "  Up to three weeks' safe stay for a defender and family.  ",
    "eligibility": "Defenders at imminent risk in the capital region.",
    "how_to_refer": "Through the coordinator, in person.",
    "contact_notes": "Ask for M. at the back door; Signal only.",
    "as_of": date(2026, 11, 20),
}


def test_a_post_resource_is_added_beside_the_shipped_ones_and_marked_as_the_posts(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        added = resources.add(s, SHELTER)
        assert added.id.startswith("post-") and added.origin == ResourceOrigin.POST
        assert added.funds == "Up to three weeks' safe stay for a defender and family."  # trimmed at the edge
    rows = resources.views(opened.store)
    whose = {r.name: r.whose for r in rows}
    assert whose["Casa Refugio"] == "post's own" and whose["Lifeline Embattled CSO Assistance Fund"] == "shipped"
    assert [r.name for r in rows] == sorted(r.name for r in rows)  # side by side, by name
    shelter = next(r for r in rows if r.post)
    assert shelter.choice_label == "Casa Refugio (post's own)" and shelter.kind_label == "Shelter or safe house"
    assert "as of 2026-11-20" in shelter.details() and "Contact notes: Ask for M." in shelter.details()


def test_input_is_checked_at_the_edge(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        with pytest.raises(ValidationError, match="name: is required"):
            resources.add(s, {**SHELTER, "name": "  "})
        with pytest.raises(ValidationError, match="kind: 'bank' is not a kind"):
            resources.add(s, {**SHELTER, "kind": "bank"})
        with pytest.raises(ValidationError, match="retired_on: retire or reinstate it instead"):
            resources.add(s, {**SHELTER, "retired_on": FROZEN_DAY})
        with pytest.raises(ValidationError, match="id: unknown field"):
            resources.add(s, {**SHELTER, "id": "lifeline"})


def test_the_shipped_list_is_read_only(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        lifeline = s.get(Resource, "lifeline")
        assert lifeline is not None
        for attempt in (
            lambda: resources.edit(s, lifeline, {"name": "Mine now"}),
            lambda: resources.retire(s, lifeline, FROZEN_DAY),
        ):
            with pytest.raises(ValidationError, match="a shipped resource is read-only"):
                attempt()
        assert lifeline.name == "Lifeline Embattled CSO Assistance Fund" and lifeline.retired_on is None
        usaid = s.get(Resource, "usaid-civil-society")
        assert usaid is not None and usaid.as_of == date(2026, 12, 3)  # the file's date of its outside fact


def test_sync_never_touches_the_posts_resources(opened: vault.Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    with opened.store.session() as s:
        post_id = resources.add(s, SHELTER).id
    with opened.store.session() as s:
        reference.sync(s)
        kept = s.get(Resource, post_id)
        assert kept is not None and kept.name == "Casa Refugio" and kept.contact_notes.startswith("Ask for M.")
    bad = [*reference.resource_entries(), {"id": "post-1234", "name": "From the file"}]
    monkeypatch.setattr(reference, "resource_entries", lambda: bad)
    with opened.store.session() as s, pytest.raises(ValueError, match="takes the post's own prefix"):
        reference.sync(s)


def test_no_shipped_id_can_clash_with_a_posts() -> None:
    assert not [e["id"] for e in reference.resource_entries() if e["id"].startswith("post-")]


def test_every_change_is_in_the_history_and_a_retired_one_can_be_reinstated(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        shelter = resources.add(s, SHELTER)
        resources.edit(s, shelter, {"eligibility": "Defenders at imminent risk anywhere in the country."})
        resources.retire(s, shelter, FROZEN_DAY)
        with pytest.raises(ValidationError, match="already retired"):
            resources.retire(s, shelter, FROZEN_DAY)
        resources.reinstate(s, shelter)
        changed = [(c.field, c.before, c.after) for c in history.changes(s, shelter)]
    assert ("retired_on", FROZEN_DAY.isoformat(), None) in changed
    assert ("retired_on", None, FROZEN_DAY.isoformat()) in changed
    assert ("eligibility", SHELTER["eligibility"], "Defenders at imminent risk anywhere in the country.") in changed


def test_a_retired_resource_takes_no_new_referral_and_is_not_offered(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        who = contacts.create_contact(s, {"name": "Ana", "codename": "Kite"})
        case = threats.open_case(s, {"title": "Threats", "opened_on": FROZEN_DAY}, [who], plan=False)
        shelter = resources.add(s, SHELTER)
        early = threats.add_referral(s, case, {"resource_id": shelter.id, "purpose": "relocation"})
        resources.retire(s, shelter, FROZEN_DAY)
        with pytest.raises(ValidationError, match="resource_id: Casa Refugio was retired on .*: it takes no new"):
            threats.add_referral(s, case, {"resource_id": shelter.id, "purpose": "relocation"})
        threats.update_referral(s, early, {"outcome": "Stayed two weeks."})  # one already made goes on
        ids = (shelter.id, early.id)
    offered = {r.id for r in threats.resource_views(opened.store)}
    assert ids[0] not in offered and "lifeline" in offered
    assert ids[0] in {r.id for r in threats.resource_views(opened.store, keep=[ids[0]])}  # what an edit names
    assert ids[0] in {r.id for r in resources.views(opened.store, retired=True)}
    assert ids[0] not in {r.id for r in resources.views(opened.store)}


def test_a_resource_is_named_by_its_key_or_the_start_of_its_id(opened: vault.Vault) -> None:
    with opened.store.session() as s:
        shelter = resources.add(s, SHELTER)
        start = shelter.id.removeprefix("post-")[:6]
        assert resources.resolve(s, "lifeline").id == "lifeline"
        assert resources.resolve(s, start).id == shelter.id
        assert resources.resolve(s, "POST-" + start).id == shelter.id
        assert resources.short_id(shelter.id) == shelter.id[:13]
        with pytest.raises(NotFound):
            resources.resolve(s, "nowhere")


def _bundle(source: vault.Vault, path: Path) -> str:
    with source.store.session("exporting a bundle") as s:
        return handover.export_bundle(s, path, vault_id=source.header.vault_id)


def _merge(target: vault.Vault, path: Path, passphrase: str, choices: dict[str, str] | None = None) -> Any:
    bundle = handover.read_bundle(path, passphrase)
    with target.store.session("importing a bundle") as s:
        preview = handover.plan_import(s, bundle)
        conflicts = [c.key for c in preview.conflicts]
        return conflicts, handover.apply_import(s, preview, choices or {}, default=None)  # type: ignore[arg-type]


def test_a_handover_carries_the_posts_resources_and_a_differing_one_is_a_conflict(
    opened: vault.Vault, tmp_path: Path
) -> None:
    """The post's own resources travel in every bundle; a shipped one is this vault's own
    copy of the file (kept); a post's one edited in both vaults is decided field by field."""
    with opened.store.session() as s:
        shelter_id = resources.add(s, SHELTER).id
    successor, _ = vault.create(tmp_path / "successor", PASSPHRASE)
    with successor:
        _merge(successor, tmp_path / "one.hrdb", _bundle(opened, tmp_path / "one.hrdb"))
        with successor.store.session() as s:
            got = s.get(Resource, shelter_id)
            assert got is not None and (got.origin, got.contact_notes) == (
                ResourceOrigin.POST,
                SHELTER["contact_notes"],
            )
        with opened.store.session() as s:
            resources.edit(s, resources.resolve(s, shelter_id), {"how_to_refer": "Through the new coordinator."})
            resources.retire(s, resources.resolve(s, shelter_id), FROZEN_DAY)
        with successor.store.session() as s:
            resources.edit(s, resources.resolve(s, shelter_id), {"how_to_refer": "Call first."})
        passphrase = _bundle(opened, tmp_path / "two.hrdb")
        key = f"resources/{shelter_id}"
        with successor.store.session() as s:
            preview = handover.plan_import(s, handover.read_bundle(tmp_path / "two.hrdb", passphrase))
        assert [c.label for c in preview.conflicts] == ["the post's resource 'Casa Refugio'"]
        conflicts, _ = _merge(successor, tmp_path / "two.hrdb", passphrase, {key: "theirs"})
        assert conflicts == [key]  # the shipped ones, identical or not, are never a conflict
        with successor.store.session() as s:
            got = resources.resolve(s, shelter_id)
            assert (got.how_to_refer, got.retired_on) == ("Through the new coordinator.", FROZEN_DAY)
            earlier = [c.before for c in history.changes(s, got) if c.field == "how_to_refer"]
            assert "Call first." in earlier  # the value replaced stays in the history


def test_contact_notes_never_reach_a_report_or_a_case_export(opened: vault.Vault) -> None:
    from hrd_tui.services import reports
    from hrd_tui.services.case_export import export_case_markdown
    from hrd_tui.vocab import ReportType

    with opened.store.session() as s:
        who = contacts.create_contact(s, {"name": "Ana", "codename": "Kite"})
        case = threats.open_case(s, {"title": "Threats", "opened_on": FROZEN_DAY}, [who], plan=False)
        shelter = resources.add(s, SHELTER)
        threats.add_referral(
            s,
            case,
            {"resource_id": shelter.id, "purpose": "relocation", "status": "sent", "shared": ["identity"]}
            | {"emergency_justification": "Detained; could not be asked."},
        )
        exported = export_case_markdown(s, case.id, real_names=True)
    assert "Casa Refugio" in exported and "back door" not in exported
    for kind in ReportType:
        text = reports.draft_report(opened.store, kind, FROZEN_DAY.replace(day=1), FROZEN_DAY)
        assert "back door" not in text


def test_contact_notes_are_hidden_in_discreet_mode(opened: vault.Vault) -> None:
    """They hold names and numbers of people who are not contacts, which the names filter
    cannot turn into codenames: discreet mode leaves them out of the detail altogether."""
    with opened.store.session() as s:
        shown = resources.view(resources.add(s, SHELTER))
    assert "Ask for M." in shown.details()
    hidden = shown.details(discreet=True)
    assert "Ask for M." not in hidden and "Contact notes: hidden in discreet mode" in hidden
