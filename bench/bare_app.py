"""The baseline for bench_startup.py: a bare Textual app that draws one input."""

from textual.app import App, ComposeResult
from textual.widgets import Input, Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("bare prompt")
        yield Input(password=True)


if __name__ == "__main__":
    Bare().run()
