"""The baseline for bench_contacts.py: a bare Textual app that echoes what is typed.

The time from tmux send-keys to the echo on screen is the terminal path itself
(tmux, the pty, Textual's input and output): what any keystroke costs before
our code runs.
"""

from textual.app import App, ComposeResult
from textual.widgets import Input, Static


class Echo(App[None]):
    def compose(self) -> ComposeResult:
        yield Input(id="typed", compact=True)
        yield Static("", id="echo")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#echo", Static).update(f"typed:{event.value}:end")


if __name__ == "__main__":
    Echo().run()
