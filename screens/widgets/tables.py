"""The one way to make a small read-only table: rows as a cursor, fixed column widths.

Fixed widths keep every table inside 80 columns whatever the data (a 10,000-character
name is cropped, not allowed to push the others off the screen).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import DataTable


def fixed_table(table_id: str, columns: Sequence[tuple[str, int]]) -> DataTable[object]:
    table: DataTable[object] = DataTable(id=table_id, cursor_type="row", zebra_stripes=True)
    for label, width in columns:
        table.add_column(label, width=width)
    return table
