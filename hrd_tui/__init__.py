"""hrd-tui: a secure, keyboard-driven terminal workbench for Human Rights Officers.

The core (vault, models, services, CLI) imports no UI toolkit; the Textual app
shell and its screens (``hrd_tui.screens``) are loaded only when the app starts.
"""

__version__ = "0.1.0"
