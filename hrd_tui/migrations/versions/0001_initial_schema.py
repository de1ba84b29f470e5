"""Initial schema: every table of the domain (DOMAIN.md).

Revision ID: 0001
Revises:
Create Date: 2026-11-28 13:48:02.700628
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checklist_template",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("section", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("loaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", "version", name=op.f("pk_checklist_template")),
    )
    op.create_table(
        "civic_observation",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("observed_on", sa.Date(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "restrictions_on_freedoms",
                "funding_registration",
                "attacks_reprisals",
                "spurious_legal_action",
                "protection_remedy",
                "surveillance",
                "hacking_seizure",
                "dialogue",
                "public_participation",
                "business_conduct",
                name="ck_civic_observation_category_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=1000000), nullable=False),
        sa.Column("location", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("location_sensitive", sa.Boolean(), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_civic_observation")),
    )
    with op.batch_alter_table("civic_observation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_civic_observation_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_civic_observation_observed_on"), ["observed_on"], unique=False)

    op.create_table(
        "contact",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "defender",
                "cso",
                "coalition",
                "international_cso",
                "journalist",
                "lawyer",
                "government_official",
                "like_minded_mission",
                "un_multilateral",
                "business",
                "other",
                name="ck_contact_kind_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("codename", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("organisation", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=True),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=True),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("region", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("direct_contact_safe", sa.Boolean(), nullable=False),
        sa.Column("last_contact_on", sa.Date(), nullable=True),
        sa.Column("cadence_days", sa.Integer(), nullable=True),
        sa.Column("next_follow_up_on", sa.Date(), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(length=1000000), nullable=False),
        sa.CheckConstraint("cadence_days IS NULL OR cadence_days > 0", name=op.f("ck_contact_cadence_positive")),
        sa.CheckConstraint("length(trim(name)) > 0", name=op.f("ck_contact_name_not_blank")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
        sa.UniqueConstraint("codename", name=op.f("uq_contact_codename")),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_last_contact_on"), ["last_contact_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_next_follow_up_on"), ["next_follow_up_on"], unique=False)

    op.create_table(
        "draft",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=10000000), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_draft")),
    )
    op.create_table(
        "interaction",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "meeting",
                "call",
                "secure_message",
                "event",
                "site_visit",
                name="ck_interaction_kind_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("location", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("location_sensitive", sa.Boolean(), nullable=False),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(length=1000000), nullable=False),
        sa.Column("conveyed_to_counterparts", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction")),
    )
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interaction_occurred_at"), ["occurred_at"], unique=False)

    op.create_table(
        "record_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("entity_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("changed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_version")),
    )
    with op.batch_alter_table("record_version", schema=None) as batch_op:
        batch_op.create_index("ix_record_version_entity", ["entity", "entity_id", "changed_at"], unique=False)

    op.create_table(
        "report",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
                "regular", "crhrp", "tip", "irf", name="ck_report_type_vocab", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=10000000), nullable=False),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_report_period")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
    )
    op.create_table(
        "resource",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("funds", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("eligibility", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("how_to_refer", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource")),
    )
    op.create_table(
        "threat_case",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "assessing",
                "responding",
                "monitoring",
                "closed",
                name="ck_threat_case_status_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "urgency",
            sa.Enum(
                "routine",
                "urgent",
                "emergency",
                name="ck_threat_case_urgency_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "perpetrator",
            sa.Enum(
                "state_security",
                "police",
                "judiciary",
                "local_authority",
                "non_state_armed_group",
                "company_private_security",
                "unknown",
                name="ck_threat_case_perpetrator_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("perpetrator_note", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(length=1000000), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.CheckConstraint(
            "(status = 'closed') = (closed_on IS NOT NULL)", name=op.f("ck_threat_case_closed_has_date")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_threat_case")),
    )
    with op.batch_alter_table("threat_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_threat_case_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_threat_case_urgency"), ["urgency"], unique=False)

    op.create_table(
        "case_defender",
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("contact_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["threat_case.id"], name=op.f("fk_case_defender_case_id_threat_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_case_defender_contact_id_contact"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("case_id", "contact_id", name=op.f("pk_case_defender")),
    )
    with op.batch_alter_table("case_defender", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_defender_contact_id"), ["contact_id"], unique=False)

    op.create_table(
        "case_threat_type",
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "threat_type",
            sa.Enum(
                "intimidation",
                "physical_attack",
                "arbitrary_detention",
                "enforced_disappearance",
                "risk_to_life",
                "torture",
                "sexual_violence",
                "judicial_harassment",
                "unfair_trial",
                "surveillance",
                "hacking_seizure",
                "smear_campaign",
                "travel_ban",
                "reprisal_un",
                "threats_to_family",
                "funding_registration",
                "business_linked",
                name="ck_case_threat_type_threat_type_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["threat_case.id"], name=op.f("fk_case_threat_type_case_id_threat_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", "threat_type", name=op.f("pk_case_threat_type")),
    )
    with op.batch_alter_table("case_threat_type", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_threat_type_threat_type"), ["threat_type"], unique=False)

    op.create_table(
        "consent_record",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("contact_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "scope",
            sa.Enum(
                "contact",
                "act_on_behalf",
                "naming",
                "share_with_missions",
                name="ck_consent_record_scope_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "value",
            sa.Enum(
                "granted",
                "refused",
                "never",
                "anonymised",
                "named",
                name="ck_consent_record_value_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("how", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.CheckConstraint(
            "(scope = 'naming' AND value IN ('never', 'anonymised', 'named')) OR (scope != 'naming' AND value IN ('granted', 'refused'))",
            name=op.f("ck_consent_record_value_fits_scope"),
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_consent_record_contact_id_contact"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_record")),
    )
    with op.batch_alter_table("consent_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_record_contact_id"), ["contact_id"], unique=False)

    op.create_table(
        "contact_focus_area",
        sa.Column("contact_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "area",
            sa.Enum(
                "land_environment",
                "women_girls",
                "lgbtqi",
                "disabilities",
                "indigenous",
                "minorities",
                "labour",
                "journalism_media",
                "anti_corruption",
                "access_to_justice",
                "religious_freedom",
                "trafficking",
                "business_human_rights",
                "digital_rights",
                name="ck_contact_focus_area_area_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_contact_focus_area_contact_id_contact"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("contact_id", "area", name=op.f("pk_contact_focus_area")),
    )
    with op.batch_alter_table("contact_focus_area", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_focus_area_area"), ["area"], unique=False)

    op.create_table(
        "contact_relationship",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("from_contact_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("to_contact_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "member_of",
                "represents",
                "lawyer_for",
                "family_of",
                "works_with",
                "other",
                name="ck_contact_relationship_kind_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "certainty",
            sa.Enum(
                "confirmed",
                "probable",
                "possible",
                "doubtful",
                name="ck_contact_relationship_certainty_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.CheckConstraint("from_contact_id != to_contact_id", name=op.f("ck_contact_relationship_not_self")),
        sa.ForeignKeyConstraint(
            ["from_contact_id"],
            ["contact.id"],
            name=op.f("fk_contact_relationship_from_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_contact_id"],
            ["contact.id"],
            name=op.f("fk_contact_relationship_to_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_relationship")),
        sa.UniqueConstraint("from_contact_id", "to_contact_id", "kind", name=op.f("uq_contact_relationship_triple")),
    )
    with op.batch_alter_table("contact_relationship", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_relationship_from_contact_id"), ["from_contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_relationship_to_contact_id"), ["to_contact_id"], unique=False)

    op.create_table(
        "defender_feedback",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("contact_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("told_on", sa.Date(), nullable=False),
        sa.Column("what", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.Column("how", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["threat_case.id"], name=op.f("fk_defender_feedback_case_id_threat_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_defender_feedback_contact_id_contact"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_defender_feedback")),
    )
    with op.batch_alter_table("defender_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_defender_feedback_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_defender_feedback_contact_id"), ["contact_id"], unique=False)

    op.create_table(
        "follow_up",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("interaction_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("contact_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_follow_up_contact_id_contact"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_follow_up_interaction_id_interaction"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_up_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_up_interaction_id"), ["interaction_id"], unique=False)

    op.create_table(
        "interaction_participant",
        sa.Column("interaction_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("contact_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_interaction_participant_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_interaction_participant_interaction_id_interaction"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_id", "contact_id", name=op.f("pk_interaction_participant")),
    )
    with op.batch_alter_table("interaction_participant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interaction_participant_contact_id"), ["contact_id"], unique=False)

    op.create_table(
        "referral",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("resource_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "legal_fees",
                "relocation",
                "equipment",
                "medical",
                "security",
                "other",
                name="ck_referral_purpose_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "sent",
                "under_review",
                "granted",
                "declined",
                "withdrawn",
                name="ck_referral_status_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("amount_requested", sa.Float(), nullable=True),
        sa.Column("amount_granted", sa.Float(), nullable=True),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("expected_decision_on", sa.Date(), nullable=True),
        sa.Column("decision_on", sa.Date(), nullable=True),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.CheckConstraint("amount_granted IS NULL OR amount_granted >= 0", name=op.f("ck_referral_granted_nonneg")),
        sa.CheckConstraint(
            "amount_requested IS NULL OR amount_requested >= 0", name=op.f("ck_referral_requested_nonneg")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["threat_case.id"], name=op.f("fk_referral_case_id_threat_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"], ["resource.id"], name=op.f("fk_referral_resource_id_resource"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")),
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referral_resource_id"), ["resource_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referral_status"), ["status"], unique=False)

    op.create_table(
        "risk_assessment",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("threat", sa.Integer(), nullable=False),
        sa.Column("vulnerability", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column(
            "risk_level",
            sa.Enum(
                "low",
                "medium",
                "high",
                "critical",
                name="ck_risk_assessment_risk_level_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("reasoning", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.CheckConstraint("capacity BETWEEN 1 AND 5", name=op.f("ck_risk_assessment_capacity_range")),
        sa.CheckConstraint("threat BETWEEN 1 AND 5", name=op.f("ck_risk_assessment_threat_range")),
        sa.CheckConstraint("vulnerability BETWEEN 1 AND 5", name=op.f("ck_risk_assessment_vulnerability_range")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["threat_case.id"], name=op.f("fk_risk_assessment_case_id_threat_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_assessment")),
    )
    with op.batch_alter_table("risk_assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_assessment_assessed_on"), ["assessed_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_risk_assessment_case_id"), ["case_id"], unique=False)

    op.create_table(
        "secure_channel",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("contact_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "signal",
                "wire",
                "pgp_email",
                "phone",
                "in_person",
                "intermediary",
                "other",
                name="ck_secure_channel_kind_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("handle", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("preferred", sa.Boolean(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_secure_channel_contact_id_contact"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_secure_channel")),
    )
    with op.batch_alter_table("secure_channel", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_secure_channel_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(
            "uq_secure_channel_preferred", ["contact_id"], unique=True, sqlite_where=sa.text("preferred = 1")
        )

    op.create_table(
        "source",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("observation_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("contact_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column(
            "reliability",
            sa.Enum(
                "A",
                "B",
                "C",
                "D",
                "E",
                "F",
                name="ck_source_reliability_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "credibility",
            sa.Enum(
                "1",
                "2",
                "3",
                "4",
                "5",
                "6",
                name="ck_source_credibility_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.CheckConstraint(
            "(case_id IS NOT NULL) + (observation_id IS NOT NULL) = 1", name=op.f("ck_source_one_owner")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["threat_case.id"], name=op.f("fk_source_case_id_threat_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_source_contact_id_contact"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["observation_id"],
            ["civic_observation.id"],
            name=op.f("fk_source_observation_id_civic_observation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
    )
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_source_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_source_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_source_observation_id"), ["observation_id"], unique=False)

    op.create_table(
        "threat_analysis",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "threat_type",
            sa.Enum(
                "intimidation",
                "physical_attack",
                "arbitrary_detention",
                "enforced_disappearance",
                "risk_to_life",
                "torture",
                "sexual_violence",
                "judicial_harassment",
                "unfair_trial",
                "surveillance",
                "hacking_seizure",
                "smear_campaign",
                "travel_ban",
                "reprisal_un",
                "threats_to_family",
                "funding_registration",
                "business_linked",
                name="ck_threat_analysis_threat_type_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("facts", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.Column("pattern", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.Column("objective", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.Column("who", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.Column("feasibility", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["threat_case.id"], name=op.f("fk_threat_analysis_case_id_threat_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_threat_analysis")),
    )
    with op.batch_alter_table("threat_analysis", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_threat_analysis_case_id"), ["case_id"], unique=False)

    op.create_table(
        "timeline_event",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("occurred_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "event",
                "action",
                "referral",
                "assessment",
                "feedback",
                "status",
                name="ck_timeline_event_kind_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.Column("ref_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["threat_case.id"], name=op.f("fk_timeline_event_case_id_threat_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timeline_event")),
    )
    with op.batch_alter_table("timeline_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_timeline_event_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_timeline_event_occurred_at"), ["occurred_at"], unique=False)

    op.create_table(
        "trial",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("court", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("case_number", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("charges", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.Column("counsel", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pre_trial",
                "ongoing",
                "verdict",
                "appeal",
                "closed",
                name="ck_trial_status_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("threat_case_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(length=1000000), nullable=False),
        sa.ForeignKeyConstraint(
            ["threat_case_id"],
            ["threat_case.id"],
            name=op.f("fk_trial_threat_case_id_threat_case"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial")),
    )
    with op.batch_alter_table("trial", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trial_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_trial_threat_case_id"), ["threat_case_id"], unique=False)

    op.create_table(
        "case_action",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("template_item", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column(
            "category",
            sa.Enum(
                "immediate",
                "longer_term",
                "free",
                name="ck_case_action_category_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "doing",
                "done",
                "not_applicable",
                name="ck_case_action_status_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.Column("on_behalf", sa.Boolean(), nullable=False),
        sa.Column("consent_record_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("emergency_justification", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.CheckConstraint(
            "on_behalf = 0 OR status IN ('planned', 'not_applicable') OR consent_record_id IS NOT NULL OR length(trim(emergency_justification)) > 0",
            name=op.f("ck_case_action_consent_gate"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["threat_case.id"], name=op.f("fk_case_action_case_id_threat_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["consent_record_id"],
            ["consent_record.id"],
            name=op.f("fk_case_action_consent_record_id_consent_record"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_action")),
    )
    with op.batch_alter_table("case_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_action_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_action_consent_record_id"), ["consent_record_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_action_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_action_status"), ["status"], unique=False)

    op.create_table(
        "hearing",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("trial_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("starts_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("ends_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("court", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("chamber", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("judges", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("prosecutor", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("defence_counsel", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("interpreter", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("public_count", sa.Integer(), nullable=True),
        sa.Column("press_count", sa.Integer(), nullable=True),
        sa.Column("diplomats_count", sa.Integer(), nullable=True),
        sa.Column("observing_missions", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("observers_admitted", sa.Boolean(), nullable=True),
        sa.Column("security_presence", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("refused_entry", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.Column("next_hearing_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "coalesce(public_count, 0) >= 0 AND coalesce(press_count, 0) >= 0 AND coalesce(diplomats_count, 0) >= 0",
            name=op.f("ck_hearing_counts_nonneg"),
        ),
        sa.CheckConstraint("ends_at IS NULL OR ends_at >= starts_at", name=op.f("ck_hearing_ends_after_start")),
        sa.ForeignKeyConstraint(["trial_id"], ["trial.id"], name=op.f("fk_hearing_trial_id_trial"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hearing")),
    )
    with op.batch_alter_table("hearing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hearing_starts_at"), ["starts_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_hearing_trial_id"), ["trial_id"], unique=False)

    op.create_table(
        "observation_link",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("observation_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("contact_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("trial_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.CheckConstraint(
            "(contact_id IS NOT NULL) + (case_id IS NOT NULL) + (trial_id IS NOT NULL) = 1",
            name=op.f("ck_observation_link_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["threat_case.id"], name=op.f("fk_observation_link_case_id_threat_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_observation_link_contact_id_contact"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["observation_id"],
            ["civic_observation.id"],
            name=op.f("fk_observation_link_observation_id_civic_observation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["trial_id"], ["trial.id"], name=op.f("fk_observation_link_trial_id_trial"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation_link")),
    )
    with op.batch_alter_table("observation_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_observation_link_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_observation_link_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_observation_link_observation_id"), ["observation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_observation_link_trial_id"), ["trial_id"], unique=False)

    op.create_table(
        "trial_defendant",
        sa.Column("trial_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("contact_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_trial_defendant_contact_id_contact"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["trial_id"], ["trial.id"], name=op.f("fk_trial_defendant_trial_id_trial"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("trial_id", "contact_id", name=op.f("pk_trial_defendant")),
    )
    with op.batch_alter_table("trial_defendant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trial_defendant_contact_id"), ["contact_id"], unique=False)

    op.create_table(
        "checklist_run",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("template_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("trial_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("hearing_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("contact_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("current_item", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "(case_id IS NOT NULL) + (trial_id IS NOT NULL) + (hearing_id IS NOT NULL) + (contact_id IS NOT NULL) + (period_start IS NOT NULL) <= 1",
            name=op.f("ck_checklist_run_one_attachment"),
        ),
        sa.CheckConstraint(
            "(period_start IS NULL) = (period_end IS NULL) AND (period_end IS NULL OR period_end >= period_start)",
            name=op.f("ck_checklist_run_period"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["threat_case.id"], name=op.f("fk_checklist_run_case_id_threat_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_checklist_run_contact_id_contact"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["hearing_id"], ["hearing.id"], name=op.f("fk_checklist_run_hearing_id_hearing"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["template_id", "template_version"],
            ["checklist_template.id", "checklist_template.version"],
            name=op.f("fk_checklist_run_template"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["trial_id"], ["trial.id"], name=op.f("fk_checklist_run_trial_id_trial"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_run")),
    )
    with op.batch_alter_table("checklist_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checklist_run_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_checklist_run_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_checklist_run_hearing_id"), ["hearing_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_checklist_run_template_id"), ["template_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_checklist_run_trial_id"), ["trial_id"], unique=False)

    op.create_table(
        "checklist_item_state",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("run_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("item_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "done",
                "not_applicable",
                "blocked",
                name="ck_checklist_item_state_status_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["checklist_run.id"],
            name=op.f("fk_checklist_item_state_run_id_checklist_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_item_state")),
        sa.UniqueConstraint("run_id", "item_id", name=op.f("uq_checklist_item_state_run_item")),
    )
    with op.batch_alter_table("checklist_item_state", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checklist_item_state_run_id"), ["run_id"], unique=False)

    op.create_table(
        "trial_note",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("hearing_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("noted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column(
            "tag",
            sa.Enum(
                "access",
                "procedure",
                "testimony",
                "evidence",
                "treatment",
                "quote",
                name="ck_trial_note_tag_vocab",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=100000), nullable=False),
        sa.Column("corrects_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("checklist_item_state_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["checklist_item_state_id"],
            ["checklist_item_state.id"],
            name=op.f("fk_trial_note_checklist_item_state_id_checklist_item_state"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["corrects_id"], ["trial_note.id"], name=op.f("fk_trial_note_corrects_id_trial_note"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["hearing_id"], ["hearing.id"], name=op.f("fk_trial_note_hearing_id_hearing"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_note")),
    )
    with op.batch_alter_table("trial_note", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trial_note_checklist_item_state_id"), ["checklist_item_state_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_trial_note_corrects_id"), ["corrects_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_trial_note_hearing_id"), ["hearing_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_trial_note_noted_at"), ["noted_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("trial_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_note_noted_at"))
        batch_op.drop_index(batch_op.f("ix_trial_note_hearing_id"))
        batch_op.drop_index(batch_op.f("ix_trial_note_corrects_id"))
        batch_op.drop_index(batch_op.f("ix_trial_note_checklist_item_state_id"))

    op.drop_table("trial_note")
    with op.batch_alter_table("checklist_item_state", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklist_item_state_run_id"))

    op.drop_table("checklist_item_state")
    with op.batch_alter_table("checklist_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklist_run_trial_id"))
        batch_op.drop_index(batch_op.f("ix_checklist_run_template_id"))
        batch_op.drop_index(batch_op.f("ix_checklist_run_hearing_id"))
        batch_op.drop_index(batch_op.f("ix_checklist_run_contact_id"))
        batch_op.drop_index(batch_op.f("ix_checklist_run_case_id"))

    op.drop_table("checklist_run")
    with op.batch_alter_table("trial_defendant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_defendant_contact_id"))

    op.drop_table("trial_defendant")
    with op.batch_alter_table("observation_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observation_link_trial_id"))
        batch_op.drop_index(batch_op.f("ix_observation_link_observation_id"))
        batch_op.drop_index(batch_op.f("ix_observation_link_contact_id"))
        batch_op.drop_index(batch_op.f("ix_observation_link_case_id"))

    op.drop_table("observation_link")
    with op.batch_alter_table("hearing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hearing_trial_id"))
        batch_op.drop_index(batch_op.f("ix_hearing_starts_at"))

    op.drop_table("hearing")
    with op.batch_alter_table("case_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_action_status"))
        batch_op.drop_index(batch_op.f("ix_case_action_due_on"))
        batch_op.drop_index(batch_op.f("ix_case_action_consent_record_id"))
        batch_op.drop_index(batch_op.f("ix_case_action_case_id"))

    op.drop_table("case_action")
    with op.batch_alter_table("trial", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_threat_case_id"))
        batch_op.drop_index(batch_op.f("ix_trial_status"))

    op.drop_table("trial")
    with op.batch_alter_table("timeline_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_timeline_event_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_timeline_event_case_id"))

    op.drop_table("timeline_event")
    with op.batch_alter_table("threat_analysis", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_threat_analysis_case_id"))

    op.drop_table("threat_analysis")
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_observation_id"))
        batch_op.drop_index(batch_op.f("ix_source_contact_id"))
        batch_op.drop_index(batch_op.f("ix_source_case_id"))

    op.drop_table("source")
    with op.batch_alter_table("secure_channel", schema=None) as batch_op:
        batch_op.drop_index("uq_secure_channel_preferred", sqlite_where=sa.text("preferred = 1"))
        batch_op.drop_index(batch_op.f("ix_secure_channel_contact_id"))

    op.drop_table("secure_channel")
    with op.batch_alter_table("risk_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_assessment_case_id"))
        batch_op.drop_index(batch_op.f("ix_risk_assessment_assessed_on"))

    op.drop_table("risk_assessment")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_status"))
        batch_op.drop_index(batch_op.f("ix_referral_resource_id"))
        batch_op.drop_index(batch_op.f("ix_referral_case_id"))

    op.drop_table("referral")
    with op.batch_alter_table("interaction_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interaction_participant_contact_id"))

    op.drop_table("interaction_participant")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_interaction_id"))
        batch_op.drop_index(batch_op.f("ix_follow_up_due_on"))
        batch_op.drop_index(batch_op.f("ix_follow_up_contact_id"))

    op.drop_table("follow_up")
    with op.batch_alter_table("defender_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_defender_feedback_contact_id"))
        batch_op.drop_index(batch_op.f("ix_defender_feedback_case_id"))

    op.drop_table("defender_feedback")
    with op.batch_alter_table("contact_relationship", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_relationship_to_contact_id"))
        batch_op.drop_index(batch_op.f("ix_contact_relationship_from_contact_id"))

    op.drop_table("contact_relationship")
    with op.batch_alter_table("contact_focus_area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_focus_area_area"))

    op.drop_table("contact_focus_area")
    with op.batch_alter_table("consent_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_record_contact_id"))

    op.drop_table("consent_record")
    with op.batch_alter_table("case_threat_type", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_threat_type_threat_type"))

    op.drop_table("case_threat_type")
    with op.batch_alter_table("case_defender", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_defender_contact_id"))

    op.drop_table("case_defender")
    with op.batch_alter_table("threat_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_threat_case_urgency"))
        batch_op.drop_index(batch_op.f("ix_threat_case_status"))

    op.drop_table("threat_case")
    op.drop_table("resource")
    op.drop_table("report")
    with op.batch_alter_table("record_version", schema=None) as batch_op:
        batch_op.drop_index("ix_record_version_entity")

    op.drop_table("record_version")
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interaction_occurred_at"))

    op.drop_table("interaction")
    op.drop_table("draft")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_next_follow_up_on"))
        batch_op.drop_index(batch_op.f("ix_contact_last_contact_on"))
        batch_op.drop_index(batch_op.f("ix_contact_kind"))

    op.drop_table("contact")
    with op.batch_alter_table("civic_observation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_civic_observation_observed_on"))
        batch_op.drop_index(batch_op.f("ix_civic_observation_category"))

    op.drop_table("civic_observation")
    op.drop_table("checklist_template")
