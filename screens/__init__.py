"""The Textual screens (shipped as ``hrd_tui.screens``). They talk to the vault
only through ``hrd_tui.services``; their styles sit beside them as .tcss files."""
