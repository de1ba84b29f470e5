"""One form widget for every record the officer edits: contacts, interactions,
consent, channels, relationships.

Fields are described as data (:class:`FieldSpec`); the form converts what was
typed (dates, numbers, choices) and shows each problem under its field, the
service's own validation messages included, without ever clearing what was
typed. Only fields the officer actually changed are returned as changes, so a
stored value that cannot be shown as typed (a control character in an imported
name is shown sanitised) is never rewritten by an edit that did not touch it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fnmatch import fnmatchcase
from typing import Any, Literal

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, SelectionList, Static, TextArea

from hrd_tui.sanitize import for_display
from hrd_tui.screens.widgets.draft_input import DraftInput, DraftTextArea
from hrd_tui.screens.widgets.toggles import MarkedCheckbox, MarkedSelect, MarkedSelectionList
from hrd_tui.screens.widgets.veiled import Veiled
from hrd_tui.services.base import no_such_day

Kind = Literal["text", "list", "long", "choice", "multi", "bool", "date", "datetime", "int"]
#: Before every error under a field: it reads as an error with no colour at all (issue 16).
ERROR_MARK = "! "


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: Kind = "text"
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    required: bool = False
    placeholder: str = ""
    masked: bool = False  # shown as dots: a real name in discreet mode
    #: A choice whose offer follows another choice field: that field's value -> the choices
    #: offered (``choices`` while it has none of these values). Updated as it changes.
    depends_on: str = ""
    choices_by: Mapping[str, tuple[tuple[str, str], ...]] | None = None
    #: A field asked for only while ``depends_on`` has one of these values (what a consent
    #: names, by its kind); hidden, it gives its empty value: a save writes what was shown.
    shown_for: tuple[str, ...] = ()
    draft: bool = False  # typed text survives a lock or a crash (DraftInput, DraftTextArea)
    #: The service's names (fnmatch patterns) whose errors are this field's, where the form
    #: asks for a thing under another name than the service checks it by: "When" of a new
    #: case is the first event's ``occurred_at``, a codename typed is a ``contact_id``.
    #: A field not named after a model field says here what the service calls it.
    errors_from: tuple[str, ...] = ()
    #: The whole numbers an "int" field takes (the model's own bounds).
    minimum: int = 0
    maximum: int = 999_999_999


def parse_date(value: str, today: date) -> date:
    """YYYY-MM-DD, 'today', or +N / -N days from today."""
    value = value.strip().lower()
    if value == "today":
        return today
    if value[:1] in "+-" and value[1:].isdigit():
        if len(value) > 6:  # more than 99,999 days: not a date anyone means
            raise ValueError(value)
        return today + timedelta(days=int(value))
    return date.fromisoformat(value)


def parse_datetime(value: str, now: datetime) -> datetime:
    """'now', 'YYYY-MM-DD HH:MM' or 'HH:MM' (today), in local time; returned aware."""
    value = value.strip().lower()
    if value == "now":
        return now.astimezone()
    if len(value) == 5 and value[2] == ":":
        hour, minute = int(value[:2]), int(value[3:])
        return now.astimezone().replace(hour=hour, minute=minute, second=0, microsecond=0)
    parsed = datetime.fromisoformat(value.replace(" ", "T", 1))
    return parsed if parsed.tzinfo else parsed.astimezone()


def shown(value: Any, kind: Kind) -> Any:
    """A stored value as the field shows it."""
    if kind in ("text", "long"):
        return for_display(value or "", single_line=kind == "text")
    if kind == "date":
        return value.isoformat() if value else ""
    if kind == "datetime":  # empty stays empty: "now" in an edited record would save the time of the edit
        if isinstance(value, datetime):
            return value.astimezone().strftime("%Y-%m-%d %H:%M")
        return value or ""  # a form may offer "now" as typed text, read when it is saved
    if kind == "int":
        return "" if value is None else str(value)
    if kind == "list":
        return for_display(", ".join(str(v) for v in value or []), single_line=True)
    if kind == "multi":
        return sorted(str(v) for v in value or [])
    if kind == "bool":
        return bool(value)
    return "" if value is None else str(value)


class RecordForm(VerticalScroll):
    class Submitted(Message):
        """Enter in a one-line field: the screen saves."""

    def __init__(
        self, specs: Sequence[FieldSpec], values: Mapping[str, Any], *, draft_prefix: str = "", **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.specs = list(specs)
        self.initial = {s.name: shown(values.get(s.name), s.kind) for s in self.specs}
        self.draft_prefix = draft_prefix
        self.offered: dict[str, tuple[tuple[str, str], ...]] = {}  # what each choice offers now
        self._errored: dict[str, Any] = {}  # field -> the value its error was about

    def compose(self) -> ComposeResult:
        # An error about something the form does not ask for (a closing date when the
        # opening is moved after it): said above the fields, never under another one.
        yield Static("", id="error-form", classes="form-error", markup=False)
        for spec in self.specs:
            widget = self._widget(spec)
            if spec.kind != "bool":  # a tick box says its own label: "[ ] label"
                # The label sits in the field's border: every field is a box, empty or not, and
                # the focused one's border is drawn in other characters (app.tcss), not only colour.
                widget.border_title = Content(spec.label + (" *" if spec.required else ""))
                if spec.required:  # said again in the bottom line: a long label is cut short, star and all
                    widget.border_subtitle = "required"
            widget.display = self._asked(spec, self.initial.get(spec.depends_on))
            yield widget
            yield Static("", id=f"error-{spec.name}", classes="form-error", markup=False)

    @staticmethod
    def _asked(spec: FieldSpec, other: Any) -> bool:
        return not spec.shown_for or str(other or "") in spec.shown_for

    def _widget(self, spec: FieldSpec) -> Widget:
        value = self.initial[spec.name]
        wid = f"field-{spec.name}"
        if spec.kind == "choice":
            offer = self.offered[spec.name] = self._offer(spec, self.initial.get(spec.depends_on))
            return MarkedSelect(
                [(label, code) for code, label in offer],
                value=value or Select.NULL,
                allow_blank=not spec.required or not value or bool(spec.depends_on),
                id=wid,
                compact=True,
            )
        if spec.kind == "multi":
            chosen = set(value)
            return MarkedSelectionList(
                *[(label, code, code in chosen) for code, label in spec.choices], id=wid, compact=True
            )
        if spec.kind == "bool":
            return MarkedCheckbox(spec.label + (" *" if spec.required else ""), value=value, id=wid, compact=True)
        if spec.kind == "long" and spec.draft and self.draft_prefix:
            return DraftTextArea(
                f"{self.draft_prefix}:{spec.name}", value, id=wid, soft_wrap=True, tab_behavior="focus", compact=True
            )
        if spec.kind == "long":
            return Veiled(value, id=wid, soft_wrap=True, tab_behavior="focus", compact=True)
        if spec.draft and self.draft_prefix:
            return DraftInput(
                f"{self.draft_prefix}:{spec.name}",
                value=value,
                id=wid,
                placeholder=spec.placeholder,
                password=spec.masked,
                compact=True,
            )
        return Input(value, id=wid, placeholder=spec.placeholder, password=spec.masked, compact=True)

    @staticmethod
    def _offer(spec: FieldSpec, other: Any) -> tuple[tuple[str, str], ...]:
        return spec.choices_by.get(str(other or ""), spec.choices) if spec.choices_by else spec.choices

    def _follow(self, name: str) -> None:
        """The fields that follow field ``name``: shown or hidden as its value asks, and
        choices offering what its value allows (a choice still allowed stays chosen)."""
        for spec in self.specs:
            if spec.depends_on != name or not spec.depends_on or not self.query(f"#field-{spec.name}"):
                continue
            if spec.shown_for:
                self.query_one(f"#field-{spec.name}").display = self._asked(spec, self.raw(name))
                if not spec.choices_by:  # a choice may be both: shown for some, offering by value
                    continue
            widget = self.query_one(f"#field-{spec.name}", Select)
            offer = self._offer(spec, self.raw(name))
            if offer == self.offered.get(spec.name):
                continue
            kept = self.raw(spec.name)
            self.offered[spec.name] = offer
            widget.set_options([(label, code) for code, label in offer])
            if kept in {code for code, _ in offer}:
                widget.value = kept

    # -- reading -------------------------------------------------------------------------
    def raw(self, name: str) -> Any:
        widget = self.query_one(f"#field-{name}")
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else str(widget.value)
        if isinstance(widget, SelectionList):
            return sorted(str(v) for v in widget.selected)
        if isinstance(widget, Checkbox):
            return widget.value
        if isinstance(widget, Veiled):
            return widget.real_text  # never the discreet version shown
        if isinstance(widget, TextArea):
            return widget.text
        assert isinstance(widget, Input)
        return widget.value

    def snapshot(self) -> dict[str, Any]:
        """What the officer changed, field by field, as typed (kept across a lock or a restart).
        Asked for at any moment (the 2-second save), so a form still composing gives what it has."""
        composed = [s.name for s in self.specs if self.query(f"#field-{s.name}")]
        return {name: value for name in composed if (value := self.raw(name)) != self.initial[name]}

    def restore(self, raw: Mapping[str, Any]) -> None:
        """Put back a snapshot: each field as it was typed or chosen."""
        for spec in self.specs:
            found = self.query(f"#field-{spec.name}")
            if spec.name not in raw or not found:
                continue
            value, widget = raw[spec.name], found.first()
            if isinstance(widget, Select):
                widget.value = value if value else Select.NULL
                self._follow(spec.name)  # a choice restored after it offers what this one allows
            elif isinstance(widget, SelectionList) and isinstance(value, list):
                widget.deselect_all()
                for code in value:
                    widget.select(code)
            elif isinstance(widget, Checkbox):
                widget.value = bool(value)
            elif isinstance(widget, Veiled):
                widget.set_real_text(str(value))
            elif isinstance(widget, TextArea):
                widget.text = str(value)
            elif isinstance(widget, Input):
                widget.value = str(value)
                widget.cursor_position = len(widget.value)

    def changed_names(self) -> list[str]:
        return [s.name for s in self.specs if self.raw(s.name) != self.initial[s.name]]

    @property
    def dirty(self) -> bool:
        return bool(self.changed_names())

    def values(self, *, only_changed: bool, today: date, now: datetime) -> tuple[dict[str, Any], dict[str, str]]:
        """(converted values, field errors). Conversion problems are errors like any other."""
        names = set(self.changed_names()) if only_changed else {s.name for s in self.specs}
        out: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for spec in self.specs:
            if spec.name not in names:
                continue
            raw = self.raw(spec.name) if self.query_one(f"#field-{spec.name}").display else ""
            if raw == "" and spec.kind == "multi":
                raw = []
            try:
                out[spec.name] = self._convert(spec, raw, today, now)
            except ValueError as exc:
                errors[spec.name] = str(exc)
        return out, errors

    @staticmethod
    def _convert(spec: FieldSpec, raw: Any, today: date, now: datetime) -> Any:
        if isinstance(raw, str) and spec.kind not in ("long",):
            raw = raw.strip()
        if spec.required and raw in ("", []):
            raise ValueError("is required")
        if spec.kind in ("multi", "bool", "long"):
            return raw
        if raw == "":
            if spec.kind == "list":
                return []
            return None if spec.kind in ("date", "datetime", "int", "choice") else ""
        if spec.kind == "date":
            try:
                return parse_date(raw, today)
            except (ValueError, OverflowError):
                raise ValueError(no_such_day(raw) or "use YYYY-MM-DD, 'today' or +N days") from None
        if spec.kind == "datetime":
            try:
                return parse_datetime(raw, now).astimezone(UTC)
            except (ValueError, OverflowError):
                raise ValueError(no_such_day(raw) or "use 'now', HH:MM or YYYY-MM-DD HH:MM") from None
        if spec.kind == "list":
            return [part.strip() for part in raw.split(",") if part.strip()]
        if spec.kind == "int":
            bounds = (
                f"from {spec.minimum:,} to {spec.maximum:,}"
                if spec.maximum < 999_999_999
                else f"{spec.minimum:,} or more"
            )
            digits = raw.removeprefix("-")
            if not digits.isdigit() or not digits.isascii() or len(digits) > 9:
                raise ValueError(f"must be a whole number, {bounds}")
            number = int(raw)
            if not spec.minimum <= number <= spec.maximum:
                raise ValueError(f"{raw} is out of range: it must be {bounds}")
            return number
        return raw

    # -- errors ------------------------------------------------------------------------------
    def field_for(self, key: str) -> str | None:
        """The field a service's error ``key`` belongs under: the field of that name, the one
        that takes it (FieldSpec.errors_from), the field of its first part (``links.0``),
        the field it is the id of (``contact_id``: ``contact``); None when the form has none."""
        names = [s.name for s in self.specs]
        if key in names:
            return key
        for spec in self.specs:
            if any(fnmatchcase(key, pattern) for pattern in spec.errors_from):
                return spec.name
        head = key.split(".")[0]
        if head in names:
            return head
        if head.removesuffix("_id") in names:
            return head.removesuffix("_id")
        return None

    def show_errors(self, errors: Mapping[str, str]) -> str | None:
        """Each message under its field (field_for), focus on the first of them, whose
        name is returned; one about a field the form does not have above the fields, naming it."""
        self._errored = {}
        for box in self.query(".form-error").results(Static):
            box.update("")
            box.display = False  # an empty error line takes no row
        first: str | None = None
        lines: dict[str, list[str]] = {}
        for field, message in errors.items():
            target = self.field_for(field)
            label = "" if target is not None else field.replace("_", " ").replace(".", " ") + ": "
            lines.setdefault(target or "form", []).append(f"{label}{message}")
            if target is not None:
                first = first or target
        for target, messages in lines.items():
            box = self.query_one(f"#error-{target}", Static)
            box.update(ERROR_MARK + for_display("; ".join(messages), single_line=True))
            box.display = True
            if target != "form":
                self._errored[target] = self.raw(target)
                self.query_one(f"#field-{target}").display = True  # an error is shown with its field
        shown_first = first or ("form" if "form" in lines else None)
        if first is not None:
            self.query_one(f"#field-{first}").focus()
        if shown_first is not None:
            # The message is on the line under its field: on screen too, not a page below
            # (a refusal by the consent gate names the last field of a long form).
            self.call_after_refresh(self.query_one(f"#error-{shown_first}", Static).scroll_visible, animate=False)
        return first

    def _edited(self, widget: Widget | None) -> None:
        """A field's error goes once its value changes from the one refused (not on a change
        event that leaves it as it was: a value set just before the error was shown)."""
        name = str(getattr(widget, "id", "") or "").removeprefix("field-")
        if name in self._errored and self.raw(name) != self._errored[name]:
            del self._errored[name]
            box = self.query_one(f"#error-{name}", Static)
            box.update("")
            box.display = False

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    @on(SelectionList.SelectedChanged)
    def _field_changed(self, event: Message) -> None:
        self._edited(getattr(event, "control", None))

    @on(Select.Changed)
    def _choice_changed(self, event: Select.Changed) -> None:
        self._follow(str(event.select.id or "").removeprefix("field-"))
        self._edited(event.select)

    def focus_first(self) -> None:
        self.query_one(f"#field-{self.specs[0].name}").focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted())
