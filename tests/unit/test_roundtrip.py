"""Every entity of the domain survives a close and reopen of the encrypted store."""

from __future__ import annotations

from pathlib import Path

from conftest import PASSPHRASE

from hrd_tui import demo, vault
from hrd_tui.models import EXPORT_TABLES
from hrd_tui.services import reference
from hrd_tui.services.export import export_document
from hrd_tui.vocab import VOCABULARIES


def test_every_table_round_trips(vault_dir: Path, opened: vault.Vault) -> None:
    with opened.store.session() as s:
        assert demo.populate(s) is True
    with opened.store.session() as s:
        before = export_document(s, opened.header.vault_id)
    opened.close()
    with vault.unlock(vault_dir, vault.Secret(PASSPHRASE)) as again:
        with again.store.session() as s:
            assert demo.populate(s) is False  # a second call adds nothing
        with again.store.session() as s:
            after = export_document(s, again.header.vault_id)
    empty = [name for name in EXPORT_TABLES if not before[name]]
    assert empty == [], f"the demo leaves these tables empty: {empty}"
    for name in EXPORT_TABLES:
        assert after[name] == before[name], name


def test_taxonomy_labels_match_the_vocabularies() -> None:
    labels = reference.taxonomy_labels()
    for name, enum in VOCABULARIES.items():
        assert set(labels[name]) == {m.value for m in enum}, name
        assert all(entry["label"].strip() for entry in labels[name].values())
        assert all(len(entry.get("short", "x")) <= 11 for entry in labels[name].values()), name


def test_resources_have_what_a_referral_needs() -> None:
    entries = reference.resource_entries()
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids)) >= 9
    for entry in entries:
        assert entry["name"] and entry["funds"] and entry["eligibility"] and entry["how_to_refer"], entry["id"]
