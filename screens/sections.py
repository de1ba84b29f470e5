"""The main sections. Each is a placeholder saying what will be there, until
its own issue lands; the frame (section bar, discreet indicator, footer) is real.

The section bar at the top names every section with its key and marks the
current one (in brackets, not by colour alone), so the footer at 80 columns
keeps its room for the keys of the screen itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static


@dataclass(frozen=True)
class Section:
    name: str  # the id used by actions and the palette
    key: str  # single key from anywhere outside a text field
    digit: str  # alternative key
    title: str
    short: str  # the footer's label: all seven fit in 80 columns
    coming: str  # what the section will hold


SECTIONS: tuple[Section, ...] = (
    Section(
        "today",
        "t",
        "1",
        "Today",
        "Today",
        "Emergencies and urgent cases, follow-ups and overdue contacts, "
        "hearings in the next 14 days, actions and referrals due.",
    ),
    Section(
        "contacts",
        "c",
        "2",
        "Contacts",
        "Contacts",
        "Defenders, organisations and officials: search, consent, "
        "secure channels, relationships and the interaction timeline.",
    ),
    Section(
        "threats",
        "a",
        "3",
        "Active threats",
        "Threats",
        "Cases of defenders under threat: risk worksheet, sources, "
        "actions behind the consent gate, referrals and the timeline.",
    ),
    Section(
        "trials",
        "o",
        "4",
        "Trials",
        "Trials",
        "Trial observation: hearings, quick notes that are never lost, and the fair-trial checklist.",
    ),
    Section(
        "checklists",
        "k",
        "5",
        "Checklists",
        "Lists",
        "The guidelines' lists as keyboard walkthroughs, attached to a case, trial, contact or reporting period.",
    ),
    Section(
        "monitoring",
        "m",
        "6",
        "Civic space",
        "Civic",
        "Civic-space observations in the ten section-I categories, and their trend by month.",
    ),
    Section(
        "reports",
        "r",
        "7",
        "Reports",
        "Reports",
        "Report drafts (regular, Country Reports, TIP, IRF) redacted by each contact's naming consent.",
    ),
)
SECTION_BY_NAME = {s.name: s for s in SECTIONS}


class SectionBar(Static):
    """Every section with its key; the current one bracketed and reversed."""

    def __init__(self, current: str) -> None:
        parts: list[tuple[str, str] | str] = []
        for section in SECTIONS:
            label = f"{section.key} {section.short}"
            parts.append((f"[{label}]", "bold reverse") if section.name == current else f" {label} ")
        # 71 columns in all: the discreet badge (8) keeps the top right at 80 columns.
        super().__init__(Content.assemble(*parts), id="section-bar", markup=False)


class SectionScreen(Screen[None]):
    def __init__(self, section: Section) -> None:
        super().__init__(id=f"section-{section.name}", classes="section")
        self.section = section
        self.sub_title = section.title

    def section_bar(self) -> SectionBar:
        return SectionBar(self.section.name)

    def compose(self) -> ComposeResult:
        yield self.section_bar()
        with VerticalScroll(id="section-body"):
            yield Static(self.section.title, id="section-title", markup=False)
            yield Static(f"Coming in its own milestone: {self.section.coming}", id="section-coming", markup=False)
        yield Footer(compact=True, show_command_palette=False)  # ctrl+p is in help; the screen's keys need the room

    def on_mount(self) -> None:
        # Textual runs the on_mount of every class in the MRO, this one after a
        # subclass's: subclasses must not call it again (the watch would double).
        self.watch(self.app, "discreet", self.refresh_discreet)  # called now, and on every change

    def refresh_discreet(self, on: bool) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        # Textual runs this handler of every class in the MRO: subclasses override
        # ``resumed``, not this, or the base's reload would run after theirs.
        self.resumed()

    def resumed(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Show the section's data again: on coming back to it, and when discreet mode
        changes (names become codenames). The placeholder has none."""
