"""The forms of a threat case: opening and editing it, the risk worksheet, the
five-step analysis, actions behind the consent gate, referrals, sources,
coordination, feedback to the defender, timeline events and closing.

Each saves in one transaction through hrd_tui.services.threats and keeps what
was typed when the vault refuses it; a refusal by the consent gate is shown
under the emergency-justification field, where the way past it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Input, Select, Static

from hrd_tui import wallclock
from hrd_tui.errors import ValidationError
from hrd_tui.screens.calls import REFUSED, attempt
from hrd_tui.screens.forms import FORM_BINDINGS, FormScreen, ModalFormScreen, choices
from hrd_tui.screens.widgets.record_form import FieldSpec, Kind, RecordForm
from hrd_tui.screens.widgets.vault_text import VaultText
from hrd_tui.services import consent, mechanisms, reference, risk, threats
from hrd_tui.vocab import (
    ACTION_SCOPES,
    DEFAULT_ACTION_SCOPE,
    MECHANISM_PURPOSES,
    ActionStatus,
    CaseStatus,
    CoordinationKind,
    Credibility,
    Perpetrator,
    ReferralPurpose,
    ReferralStatus,
    Reliability,
    RiskLevel,
    SharedInfo,
    ThreatType,
    Urgency,
)

JUSTIFICATION_LABEL = (
    "Emergency justification: the mission's own rule, not the guidelines' (only when consent "
    "cannot be asked; kept, shown, and a follow-up to tell the defender is made)"
)


def justification() -> FieldSpec:
    """Where the consent gate's refusal is shown: the way past it is here."""
    return FieldSpec(
        "emergency_justification", JUSTIFICATION_LABEL, "long", draft=True, errors_from=("consent", "consent_record_id")
    )


# -- opening and editing a case --------------------------------------------------------------
class CaseFormScreen(FormScreen):
    """A new case in a few keys (title, defenders, what happened), or an edit.

    Defenders are typed as codenames or names: F3 finds a contact by search,
    F4 creates one on the spot; either adds them to the list."""

    BINDINGS = [
        *FORM_BINDINGS,
        Binding("f3,ctrl+f", "find_contact", "Find contact", id="case_form.find", key_display="f3 ^f"),
        Binding("f4,ctrl+n", "new_contact", "New contact", id="case_form.new_contact", key_display="f4 ^n"),
    ]
    masked_when_discreet = ("title", "perpetrator_note", "first_event")

    def __init__(self, case_id: str | None, *, closed: bool = False) -> None:
        super().__init__(classes="form-screen")
        self.case_id = case_id
        self.closed = closed  # a closed case keeps its status: x on the case reopens it
        self.editing = case_id is not None
        self.title_text = "Edit threat case" if case_id else "New threat case"
        self.draft_prefix = f"case:{case_id or 'new'}"

    def specs(self) -> list[FieldSpec]:
        fields = [
            FieldSpec("title", "Title (shown only when discreet mode is off)", required=True, draft=True),
            FieldSpec(
                "defenders",
                "Defenders: codenames or names, comma-separated (F3 finds, F4 creates)",
                "list",
                required=True,
                draft=True,
                errors_from=("defenders",),
            ),
            FieldSpec("urgency", "Urgency", "choice", choices("urgency", Urgency), required=True),
        ]
        if self.case_id is None:
            fields += [
                FieldSpec("first_event", "What happened (the first timeline entry)", draft=True, errors_from=("text",)),
                FieldSpec(
                    "first_event_at",
                    "When it happened",
                    "datetime",
                    placeholder="now, HH:MM or YYYY-MM-DD HH:MM",
                    errors_from=("occurred_at",),
                ),
            ]
        elif not self.closed:
            open_statuses = tuple(
                (v, label) for v, label in choices("case_status", CaseStatus) if v != CaseStatus.CLOSED
            )
            fields.append(
                FieldSpec("status", "Status (x on the case closes it)", "choice", open_statuses, required=True)
            )
        return fields + [
            FieldSpec(
                "threat_types",
                "Threat types (space toggles)",
                "multi",
                choices("threat_type", ThreatType),
                errors_from=("threat_types",),
            ),
            FieldSpec(
                "perpetrator", "Alleged perpetrator", "choice", choices("perpetrator", Perpetrator), required=True
            ),
            FieldSpec("perpetrator_note", "About the perpetrator", draft=True),
            FieldSpec("summary", "Summary", "long", draft=True),
        ]

    def initial_values(self) -> dict[str, Any]:
        if self.case_id is None:
            return {"urgency": Urgency.URGENT.value, "perpetrator": Perpetrator.UNKNOWN.value}
        return threats.case_form_values(self.shell, self.case_id)

    def save(self, values: dict[str, Any]) -> str:
        return threats.save_case(self.shell, self.case_id, values, today=self.shell.today())

    def _add_defender(self, codename: str | None) -> None:
        if not codename:
            return
        field = self.query_one("#field-defenders", Input)
        present = [p.strip() for p in field.value.split(",") if p.strip()]
        if codename not in present:
            field.value = ", ".join([*present, codename])
        field.focus()

    def action_find_contact(self) -> None:
        from hrd_tui.screens.contact_pick import ContactPickModal

        self.app.push_screen(ContactPickModal("Add a defender"), self._add_defender)

    def action_new_contact(self) -> None:
        from hrd_tui.screens.contact_form import ContactFormScreen

        def created(contact_id: str | None) -> None:
            if contact_id:
                self._add_defender(threats.codename_of(self.shell, contact_id))

        self.app.push_screen(ContactFormScreen(None), created)


# -- forms with a guide: the risk worksheet and referrals ---------------------------------
class GuidedFormScreen(FormScreen):
    """A form with a panel that explains the current choice (a rating, a resource)."""

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(self.title_text + "  (Enter or F2 saves, Tab moves, Esc leaves)", id="form-title", markup=False)
        yield RecordForm(self.specs(), self.initial_values(), draft_prefix=self.draft_prefix, id="form")
        yield VaultText("", id="form-guide")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.show_guide()

    @on(Select.Changed)
    def _chosen(self) -> None:
        self.show_guide()

    def show_guide(self) -> None:
        self.query_one("#form-guide", VaultText).set_text(self.guide(self.query_one(RecordForm)))

    def guide(self, form: RecordForm) -> str:
        raise NotImplementedError


def _rating_choices(factor: reference.RiskFactor) -> tuple[tuple[str, str], ...]:
    return tuple((str(n), f"{n}: {text}") for n, text in factor.guidance.items())


class RiskFormScreen(GuidedFormScreen):
    """The risk worksheet: threat, vulnerability and capacity, each with what its
    levels mean; the level (in words), the floor that raised it and the reasoning
    shown as the ratings change. A reassessment starts from the last ratings and is
    kept beside them. At critical, on a case not yet an emergency, F6 sets the case's
    urgency to emergency there and then (through the case's service: timeline, history)."""

    BINDINGS = [
        *FORM_BINDINGS,
        Binding(
            "f6,ctrl+t",
            "emergency",
            "Emergency",
            id="risk_form.emergency",
            key_display="f6 ^t",
            tooltip="Set the case's urgency to emergency (the worksheet reads critical)",
        ),
    ]

    def __init__(self, case_id: str) -> None:
        super().__init__(classes="form-screen")
        self.case_id = case_id
        self.title_text = "Risk worksheet"
        self.draft_prefix = f"risk:{case_id}"
        self.urgency: Urgency | None = None  # the case's, read on the first guide
        self.judgement: risk.Judgement | None = None  # of the ratings on the form, when all are rated

    def specs(self) -> list[FieldSpec]:
        factors = [
            FieldSpec(f.name, f.title, "choice", _rating_choices(f), required=True) for f in reference.risk_factors()
        ]
        return [
            *factors,
            FieldSpec("reasoning", "Reasoning: what changed, what the ratings rest on", "long", draft=True),
            FieldSpec("assessed_on", "Assessed on", "date", required=True),
        ]

    def initial_values(self) -> dict[str, Any]:
        return {"assessed_on": self.shell.today(), **threats.last_ratings(self.shell, self.case_id)}

    def offers_emergency(self) -> bool:
        """Critical on the form, and the case not already an emergency."""
        return (
            self.judgement is not None
            and self.judgement.level == RiskLevel.CRITICAL
            and self.urgency != Urgency.EMERGENCY
        )

    def guide(self, form: RecordForm) -> str:
        if self.urgency is None:
            self.urgency = Urgency(threats.case_form_values(self.shell, self.case_id)["urgency"])
        ratings = [form.raw(f.name) for f in reference.risk_factors()]
        if not all(ratings):
            self.judgement = None
            self.refresh_bindings()
            return "Rate all three factors to see the risk (risk = threat x vulnerability / capacity)."
        threat, vulnerability, capacity = (int(r) for r in ratings)
        j = self.judgement = risk.judge(threat, vulnerability, capacity)
        self.refresh_bindings()
        level = reference.label("risk_level", j.level)
        score = f"threat {threat} x vulnerability {vulnerability} / capacity {capacity} = {j.score:.1f}"
        lines = [
            f"Risk: {level.upper()}" + (f" ({risk.floor_line(j)})" if j.floor else ""),
            f"{score}: {reference.label('risk_level', j.by_score)}" + (" by the score" if j.floor else ""),
            f"{level} calls for: {j.band.meaning}",
        ]
        if self.offers_emergency():
            urgency = reference.label("urgency", self.urgency).lower()
            lines.append(f"F6 (^t) sets the case's urgency to EMERGENCY (it is {urgency} now).")
        elif j.level == RiskLevel.CRITICAL:
            lines.append("The case's urgency is EMERGENCY.")
        return "\n".join(lines)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F6 is offered only while the worksheet reads critical on a case not yet an emergency."""
        if action == "emergency":
            return self.offers_emergency()
        return True

    def action_emergency(self) -> None:
        if not self.offers_emergency():
            return
        done = attempt(
            self,
            lambda: threats.save_case(
                self.shell, self.case_id, {"urgency": Urgency.EMERGENCY}, today=self.shell.today()
            ),
        )
        if done is REFUSED:
            return
        self.urgency = Urgency.EMERGENCY
        self.show_guide()
        self.notify("The case's urgency is now EMERGENCY (on its timeline).", title="Risk worksheet")

    def save(self, values: dict[str, Any]) -> str:
        return threats.save_assessment(self.shell, self.case_id, values)


#: The purposes that ask for money, and those that are a mechanism's procedure (issue 19):
#: the form asks for amounts, or for the stage, by the purpose chosen.
MONEY_PURPOSES = tuple(p.value for p in ReferralPurpose if p not in MECHANISM_PURPOSES)
STAGED_PURPOSES = tuple(p.value for p in ReferralPurpose if p in MECHANISM_PURPOSES)


def _statuses(exclude: tuple[ReferralStatus, ...]) -> tuple[tuple[str, str], ...]:
    """The statuses a referral of one kind can have: a mechanism concludes at a stage, it
    grants or declines nothing; a request for money is granted or declined."""
    return tuple(c for c in choices("referral_status", ReferralStatus) if c[0] not in exclude)


def _for_money(name: str, label: str, kind: Kind) -> FieldSpec:
    return FieldSpec(name, label, kind, depends_on="purpose", shown_for=MONEY_PURPOSES)


class ReferralFormScreen(GuidedFormScreen):
    """A referral to a resource of data/resources.toml, moved on through its statuses.
    Leaving the draft passes the defender's details on: the consent gate applies. A
    referral to a mechanism (the UN special procedures, an OECD NCP, the DFC IAM, a
    trade agreement) asks for no money: the form asks for its stage and the day reached."""

    def __init__(self, case_id: str, referral_id: str | None = None) -> None:
        super().__init__(classes="form-screen")
        self.case_id, self.referral_id = case_id, referral_id
        self.editing = referral_id is not None
        self.title_text = "Referral" if referral_id else "New referral"
        self.draft_prefix = f"referral:{referral_id or 'new:' + case_id}"
        self._resources: dict[str, threats.ResourceView] = {}

    def specs(self) -> list[FieldSpec]:
        # Retired resources are not offered, but the one this referral already names is.
        keep = [threats.referral_form_values(self.shell, self.referral_id)["resource_id"]] if self.referral_id else []
        self._resources = {r.id: r for r in threats.resource_views(self.shell, keep)}
        return [
            FieldSpec(
                "resource_id",
                "Resource (the post's own are marked)",
                "choice",
                tuple((r.id, r.choice_label) for r in self._resources.values()),
                required=True,
            ),
            FieldSpec("purpose", "For", "choice", choices("referral_purpose", ReferralPurpose), required=True),
            FieldSpec(
                "shared",
                "What it passes on about them (space toggles; the consent must list it)",
                "multi",
                choices("shared_info", SharedInfo),
            ),
            FieldSpec(
                "status",
                "Status",
                "choice",
                _statuses(exclude=(ReferralStatus.CONCLUDED,)),  # money is granted or declined
                required=True,
                depends_on="purpose",
                choices_by=dict.fromkeys(
                    STAGED_PURPOSES, _statuses(exclude=(ReferralStatus.GRANTED, ReferralStatus.DECLINED))
                ),
            ),
            _for_money("amount_requested", "Amount asked", "int"),
            _for_money("amount_granted", "Amount granted", "int"),
            FieldSpec("currency", "Currency", placeholder="USD", depends_on="purpose", shown_for=MONEY_PURPOSES),
            FieldSpec("sent_on", "Sent on (blank: the day it is marked sent)", "date"),
            FieldSpec(
                "stage",
                "Stage (blank once sent: the first)",
                "choice",
                depends_on="purpose",
                choices_by={p: mechanisms.stage_choices(p) for p in STAGED_PURPOSES},
                shown_for=STAGED_PURPOSES,
            ),
            FieldSpec(
                "stage_on",
                "Stage reached on (blank: the day it was set)",
                "date",
                depends_on="purpose",
                shown_for=STAGED_PURPOSES,
            ),
            FieldSpec(
                "expected_decision_on",
                "Decision expected by",
                "date",
                placeholder="YYYY-MM-DD or +N days",
                depends_on="purpose",
                shown_for=MONEY_PURPOSES,
            ),
            _for_money("decision_on", "Decided on (blank: the day it is marked granted or declined)", "date"),
            FieldSpec("outcome", "Outcome", "long", draft=True),
            justification(),
        ]

    def initial_values(self) -> dict[str, Any]:
        if self.referral_id is None:
            return {
                "status": ReferralStatus.DRAFT.value,
                "currency": "USD",
                "purpose": ReferralPurpose.LEGAL_FEES.value,
            }
        values = threats.referral_form_values(self.shell, self.referral_id)
        for amount in ("amount_requested", "amount_granted"):
            values[amount] = None if values[amount] is None else int(values[amount])
        return values

    def guide(self, form: RecordForm) -> str:
        resource = self._resources.get(form.raw("resource_id"))
        found = mechanisms.mechanism(form.raw("purpose"))
        stages = (
            "Stages (the app's summary of the mechanism's procedure, not the guidelines'): "
            + " > ".join(s.label + (" (ends it)" if s.ends else "") for s in found.stages)
            + ". The CSO files it itself; this records that you advised or helped.\n"
            if found
            else ""
        )
        if resource is None:
            return stages + "Pick a resource to see what it funds and how to refer."
        return stages + resource.details(discreet=self.shell.discreet)  # whose, and when its facts were checked

    def save(self, values: dict[str, Any]) -> str:
        if values.get("currency") == "":
            values["currency"] = "USD"
        return threats.save_referral(self.shell, self.case_id, self.referral_id, values)


# -- the analysis ----------------------------------------------------------------------------
#: The five steps of DOMAIN.md, with the question each answers.
ANALYSIS_STEPS = (
    ("facts", "1. The facts: what happened, when, to whom (what is established, what is reported)"),
    ("pattern", "2. The pattern: earlier incidents, and how they escalate over time"),
    ("objective", "3. The objective: what the threat seems meant to achieve"),
    ("who", "4. Who is behind it: who makes the threat, who benefits"),
    ("feasibility", "5. Feasibility: can they carry it out (means, access, impunity)?"),
)


class AnalysisFormScreen(FormScreen):
    """One threat analysed in the five steps; a case has one per threat."""

    def __init__(self, case_id: str, analysis_id: str | None = None) -> None:
        super().__init__(classes="form-screen")
        self.case_id, self.analysis_id = case_id, analysis_id
        self.editing = analysis_id is not None
        self.title_text = "Threat analysis"
        self.draft_prefix = f"analysis:{analysis_id or 'new:' + case_id}"

    def specs(self) -> list[FieldSpec]:
        return [
            FieldSpec("threat_type", "Threat analysed", "choice", choices("threat_type", ThreatType)),
            *[FieldSpec(name, label, "long", draft=True) for name, label in ANALYSIS_STEPS],
        ]

    def initial_values(self) -> dict[str, Any]:
        return threats.analysis_form_values(self.shell, self.case_id, self.analysis_id)

    def save(self, values: dict[str, Any]) -> str:
        return threats.save_analysis(self.shell, self.case_id, self.analysis_id, values)


# -- small forms about a case ---------------------------------------------------------------
class CaseModal(ModalFormScreen):
    """A small form about one case, over the case screen."""

    def __init__(self, case_id: str) -> None:
        super().__init__()
        self.case_id = case_id

    def who(self, discreet: bool) -> str:
        label = threats.case_name(self.shell, self.case_id, discreet=discreet)
        extra = self.context(discreet)
        return f"Case: {label}" + (f"\n{extra}" if extra else "")

    def context(self, discreet: bool) -> str:
        """A line or two under the case's name that helps fill the form in."""
        return ""


def consent_lines(consents: Sequence[threats.ConsentView], discreet: bool) -> str:
    """Each defender's consent for each kind of action, in words (never colour alone):
    "ok", or MISSING, REFUSED, WITHDRAWN, EXPIRED; an end date is said."""
    lines: list[str] = []
    people: dict[str, list[threats.ConsentView]] = {}
    for entry in consents:
        people.setdefault(entry.person.id, []).append(entry)
    for entries in people.values():
        person = entries[0].person
        who = person.codename if discreet else f"{person.name} ({person.codename})"
        if all(e.value is None for e in entries):
            lines.append(f"{who}: NO CONSENT RECORDED for any action on their behalf")
            continue
        parts = []
        for e in entries:
            state = "ok" if e.granted else (e.state or "MISSING")
            until = f" to {e.ends_on}" if e.ends_on and e.granted else ""
            parts.append(f"{consent.SHORT.get(e.scope, e.scope.value)} {state}{until}")
        lines.append(f"{who}: " + ", ".join(parts))
    return "\n".join(lines)


class ActionModal(CaseModal):
    """An action: the guidelines' planned ones or a free one. Starting or finishing an
    action on the defender's behalf needs their consent or a recorded justification."""

    def __init__(
        self, case_id: str, action_id: str | None = None, status: ActionStatus | None = None, refusal: str = ""
    ) -> None:
        super().__init__(case_id)
        self.action_id, self.next_status, self.refusal = action_id, status, refusal
        self.editing = action_id is not None
        self.title_text = "Action" if action_id else "New action"
        self.draft_prefix = f"action:{action_id or 'new:' + case_id}"

    def specs(self) -> list[FieldSpec]:
        return [
            FieldSpec("title", "Action", required=True, draft=True),
            FieldSpec("status", "Status", "choice", choices("action_status", ActionStatus), required=True),
            FieldSpec("owner", "Owner", draft=True),
            FieldSpec("due_on", "Due", "date", placeholder="YYYY-MM-DD, today or +N days"),
            FieldSpec("on_behalf", "Done on the defender's behalf (needs their consent)", "bool"),
            FieldSpec(
                "consent_scope",
                "Kind of action: the consent it needs",
                "choice",
                tuple((s.value, reference.label("consent_scope", s.value)) for s in ACTION_SCOPES),
            ),
            FieldSpec("note", "Note", draft=True),
            justification(),
        ]

    def initial_values(self) -> dict[str, Any]:
        if self.action_id is None:
            return {
                "status": ActionStatus.PLANNED.value,
                "owner": threats.DEFAULT_OWNER,
                "on_behalf": True,
                "consent_scope": DEFAULT_ACTION_SCOPE.value,
            }
        values = threats.action_form_values(self.shell, self.action_id)
        if values.get("on_behalf") and not values.get("consent_scope"):
            values["consent_scope"] = DEFAULT_ACTION_SCOPE.value  # an older action: the default, as the gate reads it
        return values

    def on_mount(self) -> None:
        if self.next_status is not None:  # space on the list asked for this status and the gate said no
            self.query_one("#field-status", Select).value = self.next_status.value
        if self.refusal:
            self.query_one(RecordForm).show_errors({"emergency_justification": self.refusal})

    def context(self, discreet: bool) -> str:
        return consent_lines(threats.case_consents(self.shell, self.case_id), discreet)

    def save(self, values: dict[str, Any]) -> str:
        return threats.save_action(self.shell, self.case_id, self.action_id, values)


class EventModal(CaseModal):
    """A timeline entry in one line: Enter saves it with the time (now unless given)."""

    title_text = "Timeline event"

    def __init__(self, case_id: str) -> None:
        super().__init__(case_id)
        self.draft_prefix = f"event:{case_id}"

    def specs(self) -> list[FieldSpec]:
        return [
            FieldSpec("text", "What happened", required=True, draft=True),
            FieldSpec("occurred_at", "When", "datetime", placeholder="now, HH:MM or YYYY-MM-DD HH:MM"),
        ]

    def save(self, values: dict[str, Any]) -> str:
        now = wallclock.local_now()
        when = values.get("occurred_at") or now
        if when > now.replace(second=59):
            raise ValidationError({"occurred_at": "is in the future"})
        return threats.log_event(self.shell, self.case_id, values["text"], occurred_at=when)


class SourceModal(CaseModal):
    """Where a piece of information came from, with its two ratings."""

    def __init__(self, case_id: str, source_id: str | None = None) -> None:
        super().__init__(case_id)
        self.source_id = source_id
        self.editing = source_id is not None
        self.title_text = "Source" if source_id else "New source"
        self.draft_prefix = f"source:{source_id or 'new:' + case_id}"

    def specs(self) -> list[FieldSpec]:
        return [
            FieldSpec("description", "Who or what, and what they said", required=True, draft=True),
            FieldSpec("contact", "Contact (codename, optional)", errors_from=("contact", "contact_id")),
            FieldSpec(
                "reliability", "Reliability of the source", "choice", choices("reliability", Reliability), required=True
            ),
            FieldSpec(
                "credibility",
                "Credibility of the information",
                "choice",
                choices("credibility", Credibility),
                required=True,
            ),
            FieldSpec("received_on", "Received on", "date", required=True),
        ]

    def initial_values(self) -> dict[str, Any]:
        if self.source_id is None:
            return {
                "reliability": Reliability.F.value,
                "credibility": Credibility.CANNOT_JUDGE.value,
                "received_on": self.shell.today(),
            }
        return threats.source_form_values(self.shell, self.source_id)

    def save(self, values: dict[str, Any]) -> str:
        return threats.save_source(self.shell, self.case_id, self.source_id, values)


class CoordinationModal(CaseModal):
    """Like-minded missions: who is engaged and does what, joint statements and demarches."""

    title_text = "Coordination with like-minded missions"

    def __init__(self, case_id: str) -> None:
        super().__init__(case_id)
        self.draft_prefix = f"coordination:{case_id}"

    def specs(self) -> list[FieldSpec]:
        return [
            FieldSpec("kind", "What", "choice", choices("coordination_kind", CoordinationKind), required=True),
            FieldSpec("missions", "Missions", required=True, draft=True, placeholder="e.g. Norland, Aldoria"),
            FieldSpec("role", "Who does what / what was said", draft=True),
            FieldSpec("on_date", "On", "date", required=True),
            FieldSpec("note", "Note", draft=True),
        ]

    def initial_values(self) -> dict[str, Any]:
        return {"kind": CoordinationKind.ENGAGED.value, "on_date": self.shell.today()}

    def context(self, discreet: bool) -> str:
        missing = threats.unshared_defenders(self.shell, self.case_id)
        if missing:
            return (
                f"Careful: no consent to share the case with other missions from {', '.join(missing)}; "
                "the timeline will say so."
            )
        return ""

    def save(self, values: dict[str, Any]) -> str:
        return threats.log_coordination(self.shell, self.case_id, values)


class FeedbackModal(CaseModal):
    """When the defender was told what was done: acting for them without telling them
    can itself endanger them."""

    title_text = "Feedback to the defender"

    def __init__(self, case_id: str) -> None:
        super().__init__(case_id)
        self.draft_prefix = f"feedback:{case_id}"

    def specs(self) -> list[FieldSpec]:
        return [
            FieldSpec("what", "What they were told", required=True, draft=True),
            FieldSpec("defender", "Defender (codename)", required=True, errors_from=("defender", "contact_id")),
            FieldSpec("told_on", "Told on", "date", required=True),
            FieldSpec("how", "How (channel)", placeholder="e.g. Signal call, in person"),
        ]

    def initial_values(self) -> dict[str, Any]:
        people = threats.case_defenders(self.shell, self.case_id)
        return {"told_on": self.shell.today(), "defender": people[0].codename if len(people) == 1 else ""}

    def save(self, values: dict[str, Any]) -> str:
        return threats.log_feedback(self.shell, self.case_id, values)


class CloseModal(CaseModal):
    """Closing asks how the case ended; the case stays searchable."""

    title_text = "Close the case"

    def __init__(self, case_id: str) -> None:
        super().__init__(case_id)
        self.draft_prefix = f"close:{case_id}"

    def specs(self) -> list[FieldSpec]:
        return [
            FieldSpec("outcome", "Outcome: how it ended, what to keep watching", "long", required=True, draft=True),
            FieldSpec("closed_on", "Closed on", "date", required=True),
        ]

    def initial_values(self) -> dict[str, Any]:
        return {"closed_on": self.shell.today()}

    def save(self, values: dict[str, Any]) -> str:
        return threats.close_with_outcome(self.shell, self.case_id, values["outcome"], values["closed_on"])
