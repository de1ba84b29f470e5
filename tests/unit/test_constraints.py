"""Every rule the schema holds is checked by a service first (issue 22): 'UNIQUE constraint
failed: trial_defendant.trial_id' and 'CHECK constraint failed: ck_contact_relationship_not_self'
reached the officer. The test walks every UNIQUE, CHECK and composite-key rule in
hrd_tui.models.metadata and maps each to an attempt to break it through the services: each
is refused with a message under a field (a ValidationError in plain words) or, where
nothing is wrong in what was meant (a defender typed twice), done without breaking it.
A new constraint without a check here fails the walk."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import CheckConstraint, Index, PrimaryKeyConstraint, UniqueConstraint
from sqlmodel import SQLModel

from hrd_tui import vault
from hrd_tui.errors import ValidationError
from hrd_tui.models import Report, Resource, Source, metadata
from hrd_tui.models.attachments import CHUNK_SIZE
from hrd_tui.services import (
    accountability,
    attachments,
    base,
    checklists,
    consent,
    contacts,
    demarches,
    monitoring,
    plan,
    report_layouts,
    threats,
    trials,
)

DAY = date(2026, 11, 20)
LAYOUT = """schema = 1
id = "tip-2030"
report = "tip"
edition = 2030
title = "TIP, 2030"

[[section]]
heading = "Prosecution"
level = 2
receives = ["prosecution"]
"""
TEMPLATE = """schema = 1
id = "my-visit"
version = 1
title = "Prison visit"

[[item]]
id = "permission"
text = "Ask for permission"
"""


def constraint_names() -> set[str]:
    names = set()
    for table in metadata.tables.values():
        for c in table.constraints:
            if isinstance(c, CheckConstraint) and not str(c.name).endswith("_vocab"):
                names.add(str(c.name))
            elif isinstance(c, UniqueConstraint) or (isinstance(c, PrimaryKeyConstraint) and len(c.columns) > 1):
                names.add(str(c.name))
        names |= {str(i.name) for i in table.indexes if isinstance(i, Index) and i.unique}
        names |= {f"{table.name}.{col.name} unique" for col in table.columns if col.unique}
    return names


def _world(s: Any) -> dict[str, Any]:
    a = contacts.create_contact(s, {"name": "Ana", "codename": "Heron-101"})
    b = contacts.create_contact(s, {"name": "Boris", "codename": "Cedar-202"})
    case = threats.open_case(s, {"title": "Case", "opened_on": DAY}, [a], plan=False)
    trial = trials.create_trial(s, {"title": "Trial"}, [a])
    hearing = trials.add_hearing(s, trial, {"starts_at": datetime(2026, 11, 20, 9, tzinfo=UTC)})
    obs = monitoring.add_observation(s, {"observed_on": DAY, "category": "dialogue", "description": "x"})
    return {"a": a, "b": b, "case": case, "trial": trial, "hearing": hearing, "obs": obs}


def _same_codename(s: Any, w: dict[str, Any]) -> None:
    contacts.create_contact(s, {"name": "Other", "codename": " heron-101"})


def _twice(s: Any, w: dict[str, Any]) -> None:
    """A defender, defendant or participant typed twice is one: done, without a second row."""
    a = w["a"]
    case = threats.open_case(
        s, {"title": "Twice", "opened_on": DAY}, [a, a], ["intimidation", "intimidation"], plan=False
    )
    threats.update_case(s, case, {}, [a, a, w["b"]])
    assert [c.id for c in threats.defenders_of(s, case.id)] == sorted(
        [a.id, w["b"].id], key=lambda i: a.codename if i == a.id else w["b"].codename
    )
    trial = trials.create_trial(s, {"title": "Twice"}, [a, a])
    trials.update_trial(s, trial, {}, [a, a])
    assert len(trials.defendants_of(s, trial.id)) == 1
    contacts.log_interaction(s, {"kind": "meeting", "occurred_at": datetime(2026, 11, 20, 9, tzinfo=UTC)}, [a, a])
    contacts.create_contact(s, {"name": "C", "codename": "Wren-3"}, ["land_environment", "land_environment"])
    assert contacts.by_codenames(s, ["Heron-101", "heron-101"], "x") == [a]


def _action_gate(s: Any, w: dict[str, Any]) -> None:
    threats.add_action(s, w["case"], {"title": "Call the ministry", "on_behalf": True, "status": "done"})


def _referral_gate(s: Any, w: dict[str, Any]) -> None:
    threats.add_referral(
        s,
        w["case"],
        {"resource_id": "lifeline", "purpose": "legal_fees", "shared": ["identity"], "status": "sent"},
    )


def _linked_twice(s: Any, w: dict[str, Any]) -> None:
    """A case or a trial typed twice on an interaction is one link (issue 19)."""
    case, trial = w["case"].id[:8], w["trial"].id[:8]
    it = demarches.log(s, w["a"].id, {"kind": "meeting", "cases": [case, case], "trials": [trial, trial]}, today=DAY)
    demarches.correct(s, it.id, w["a"].id, {"cases": [case, case], "trials": [trial, trial]}, today=DAY)
    assert len(demarches.view(s, it).cases) == 1 and len(demarches.view(s, it).trials) == 1


#: Each rule of the schema, and an attempt to break it through the services.
ATTEMPTS: dict[str, Callable[[Any, dict[str, Any]], None]] = {
    "pk_checklist_template": lambda s, w: [checklists.import_template(s, TEMPLATE, "t.toml") for _ in range(2)],
    "ck_contact_cadence_positive": lambda s, w: contacts.update_contact(s, w["a"], {"cadence_days": 0}),
    "ck_contact_name_not_blank": lambda s, w: contacts.create_contact(s, {"name": "  ", "codename": "X-1"}),
    "uq_contact_codename": _same_codename,
    "contact.codename unique": _same_codename,
    "contact.codename_key unique": _same_codename,
    "ix_contact_codename_key": _same_codename,
    "ck_report_period": lambda s, w: base.create(
        s, Report, {"type": "regular", "period_start": DAY, "period_end": DAY - timedelta(days=1)}
    ),
    "ck_threat_case_closed_has_date": lambda s, w: threats.update_case(s, w["case"], {"closed_on": DAY}),
    "pk_case_defender": _twice,
    "pk_case_threat_type": _twice,
    "pk_contact_focus_area": _twice,
    "pk_interaction_participant": _twice,
    "pk_trial_defendant": _twice,
    "pk_interaction_case": _linked_twice,
    "pk_interaction_trial": _linked_twice,
    "ck_interaction_demarche_official_message": lambda s, w: demarches.log(
        s, w["a"].id, {"kind": "demarche", "message": "Raised the case."}, today=DAY
    ),
    "ck_consent_record_value_fits_scope": lambda s, w: contacts.record_consent(
        s, w["a"], {"scope": "naming", "value": "granted", "given_on": DAY}
    ),
    "ck_consent_record_ends_after_given": lambda s, w: consent.record_decision(
        s,
        w["a"],
        {
            "scope": "referral",
            "value": "granted",
            "resource_ids": ["lifeline", "freedom-house"],
            "shared": ["identity"],
            "given_on": DAY,
            "ends_on": DAY - timedelta(1),
        },
        today=DAY,
    ),
    "uq_contact_relationship_triple": lambda s, w: [
        contacts.relate(s, {"from_contact_id": w["a"].id, "to_contact_id": w["b"].id, "kind": "member_of"})
        for _ in range(2)
    ],
    "ck_contact_relationship_not_self": lambda s, w: contacts.relate(
        s, {"from_contact_id": w["a"].id, "to_contact_id": w["a"].id, "kind": "member_of"}
    ),
    "ck_risk_assessment_threat_range": lambda s, w: threats.assess_risk(
        s, w["case"], {"assessed_on": DAY, "threat": 6, "vulnerability": 3, "capacity": 3}
    ),
    "ck_risk_assessment_vulnerability_range": lambda s, w: threats.assess_risk(
        s, w["case"], {"assessed_on": DAY, "threat": 3, "vulnerability": 0, "capacity": 3}
    ),
    "ck_risk_assessment_capacity_range": lambda s, w: threats.assess_risk(
        s, w["case"], {"assessed_on": DAY, "threat": 3, "vulnerability": 3, "capacity": 9}
    ),
    "ck_secure_channel_retired_not_preferred": lambda s, w: contacts.add_channel(
        s, w["a"], {"kind": "signal", "preferred": True, "retired_on": DAY}
    ),
    "uq_secure_channel_preferred": lambda s, w: [
        contacts.add_channel(s, w["a"], {"kind": "signal", "preferred": True}) for _ in range(2)
    ],
    "ck_source_one_owner": lambda s, w: base.create(
        s, Source, {"case_id": w["case"].id, "observation_id": w["obs"].id, "description": "x", "received_on": DAY}
    ),
    "ck_case_action_consent_gate": _action_gate,
    "ck_resource_post_id_prefix": lambda s, w: base.create(
        s, Resource, {"id": "lifeline-copy", "name": "A copy", "origin": "post"}
    ),
    "ck_accountability_step_one_owner": lambda s, w: accountability.add_step(
        s, {"step": "charged", "source": "x"}, case_id=w["case"].id, observation_id=w["obs"].id
    ),
    "ck_hearing_counts_nonneg": lambda s, w: trials.update_hearing(s, w["hearing"], {"press_count": -1}),
    "ck_hearing_ends_after_start": lambda s, w: trials.update_hearing(
        s, w["hearing"], {"ends_at": datetime(2026, 11, 20, 8, tzinfo=UTC)}
    ),
    "ck_observation_link_one_target": lambda s, w: monitoring.add_observation(
        s,
        {"observed_on": DAY, "category": "dialogue", "description": "y"},
        links=[{"contact_id": w["a"].id, "case_id": w["case"].id}],
    ),
    "ck_referral_requested_nonneg": lambda s, w: threats.add_referral(
        s,
        w["case"],
        {
            "resource_id": "lifeline",
            "purpose": "legal_fees",
            "shared": ["identity"],
            "amount_requested": -5,
        },
    ),
    "ck_referral_granted_nonneg": lambda s, w: threats.add_referral(
        s,
        w["case"],
        {
            "resource_id": "lifeline",
            "purpose": "legal_fees",
            "shared": ["identity"],
            "amount_granted": -5,
        },
    ),
    "ck_referral_consent_gate": _referral_gate,
    # A referral to a mechanism (issue 19): no money, a stage only there, always with its day.
    "ck_referral_mechanism_no_amounts": lambda s, w: threats.add_referral(
        s, w["case"], {"resource_id": "oecd-ncp", "purpose": "oecd_specific_instance", "amount_requested": 5}
    ),
    "ck_referral_stage_mechanism": lambda s, w: threats.add_referral(
        s, w["case"], {"resource_id": "lifeline", "purpose": "legal_fees", "stage": "submitted", "stage_on": DAY}
    ),
    "ck_referral_stage_has_date": lambda s, w: threats.add_referral(
        s,
        w["case"],
        {
            "resource_id": "oecd-ncp",
            "purpose": "oecd_specific_instance",
            "shared": ["case_facts"],
            "status": "sent",
            "stage": "submitted",
            "stage_on": None,
            "emergency_justification": "No time to ask",
        },
    ),
    "ck_checklist_run_one_attachment": lambda s, w: checklists.start_run(
        s, "fair-trial", {"case_id": w["case"].id, "trial_id": w["trial"].id}
    ),
    "ck_checklist_run_period": lambda s, w: checklists.start_run(s, "fair-trial", {"period_start": DAY}),
    "uq_checklist_item_state_run_item": lambda s, w: checklists.import_template(
        s, TEMPLATE + TEMPLATE[TEMPLATE.index("[[item]]") :], "twice.toml"
    ),
    # A post's report layout (issue 19, part E): never the regular report's, one per key.
    "ck_report_layout_type": lambda s, w: report_layouts.import_layout(s, LAYOUT.replace("tip", "regular"), "r.toml"),
    "uq_report_layout_key": lambda s, w: _layout_twice(s),
    "ck_plan_setting_due": lambda s, w: plan.set_item(s, "threat-immediate:credible-sources", None, 3651),
    "uq_plan_setting_template_item": lambda s, w: [
        plan.set_item(s, "threat-immediate:credible-sources", "DCM", days) for days in (1, 2)
    ],
    "report_layout.key unique": lambda s, w: _layout_twice(s),
    # Evidence files (issue 20): the owner is one record by its kind, never none or two; an
    # empty file is refused; the hash is always 64 hex (a bundle's must match); the chunks
    # are numbered in order as they stream in (two of them: done without breaking it).
    "ck_attachment_one_owner": lambda s, w: attachments.resolve_owner(s, "planet:1a2b3c4d"),
    "ck_attachment_size": lambda s, w: _attach(s, w, b""),
    "ck_attachment_sha256": lambda s, w: _attach(s, w, b"summons", expect_sha256="abc"),
    "ux_attachment_chunk_seq": lambda s, w: _attach(s, w, b"x" * (CHUNK_SIZE + 1)),
}


def _attach(s: Any, w: dict[str, Any], data: bytes, **options: Any) -> None:
    owner = attachments.Owner("case", w["case"].id)
    attachments.add_stream(s, io.BytesIO(data), "summons.txt", owner, **options)


def _layout_twice(s: Any) -> None:
    report_layouts.import_layout(s, LAYOUT, "mine.toml")
    report_layouts.import_layout(s, LAYOUT, "mine.toml")


def test_every_rule_of_the_schema_has_a_check_in_the_services() -> None:
    assert constraint_names() - set(ATTEMPTS) == set(), "a rule of the schema no service checks first: add it"
    assert set(ATTEMPTS) - constraint_names() == set(), "a rule no longer in the schema"


@pytest.mark.parametrize("name", sorted(ATTEMPTS))
def test_each_rule_is_said_in_plain_words_before_the_database_refuses_it(opened: vault.Vault, name: str) -> None:
    with opened.store.session() as s:
        world = _world(s)
        s.flush()
        try:
            ATTEMPTS[name](s, world)
            s.flush()  # done without breaking it: nothing for the schema to refuse
        except ValidationError as refused:
            assert refused.errors, name
            for field, message in refused.errors.items():
                assert "constraint" not in message.lower() and "_" not in message.split(":")[0], (field, message)
        s.rollback()


def test_every_vocabulary_rule_is_checked_by_the_models_own_validation() -> None:
    """The 27 vocabulary CHECKs: every such column is validated as its enum by base.validate."""
    checked = 0
    for mapper in SQLModel._sa_registry.mappers:  # type: ignore[attr-defined]
        table = mapper.local_table
        for c in table.constraints:
            if isinstance(c, CheckConstraint) and str(c.name).endswith("_vocab"):
                column = next(iter(c.columns)).name
                with pytest.raises(ValidationError) as refused:
                    base.validate(mapper.class_, {column: "no-such-value"})
                assert column in refused.value.errors
                checked += 1
    assert checked == len(
        [
            c
            for t in metadata.tables.values()
            for c in t.constraints
            if isinstance(c, CheckConstraint) and str(c.name).endswith("_vocab")
        ]
    )


def test_the_models_own_rules_are_said_in_plain_words() -> None:
    """'Input should be greater than or equal to 1', 'String should have at least 1 character'
    and 'Field required' were shown under fields (issue 22)."""
    from hrd_tui.models import Contact, RiskAssessment

    with pytest.raises(ValidationError) as refused:
        base.validate(
            RiskAssessment,
            {
                "case_id": "c",
                "assessed_on": "2026-02-30",
                "threat": 9,
                "vulnerability": 0,
                "capacity": "x",
                "risk_level": "zz",
            },
        )
    assert refused.value.errors == {
        "assessed_on": "must be a date (YYYY-MM-DD)",
        "threat": "must be 5 or less",
        "vulnerability": "must be 1 or more",
        "capacity": "must be a whole number",
        "risk_level": "must be one of 'low', 'medium', 'high' or 'critical'",
    }
    with pytest.raises(ValidationError) as refused:
        base.validate(Contact, {"name": "", "codename": "x" * 201})
    assert refused.value.errors == {"name": "is required", "codename": "is too long: at most 200 characters"}
