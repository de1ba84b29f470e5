"""The baseline for bench_startup.py: a bare Textual app that draws one input (with a
placeholder, as the unlock prompt has: both are timed until their field's placeholder shows)."""

from textual.app import App, ComposeResult
from textual.widgets import Input, Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("bare prompt")
        yield Input(password=True, placeholder="bare field")


if __name__ == "__main__":
    Bare().run()
