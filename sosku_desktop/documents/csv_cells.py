"""CSV cells that must stay text when a Finnish Calc or Excel opens the file.

Opened in a Finnish LibreOffice Calc, "tammikuu 2026" becomes the date
1.1.2026 and a dates column turns into a date on the rows with a single
date ("4.1.2026") while the rows with several ("4.1. ja 17.1.2026") stay
text. A label cell is therefore written as the formula ``="…"``, which
both Calc and Excel show as exactly that text and never convert; numbers
(counts, euro amounts) stay plain so they can be summed. The rule is
checked by ``tests/documents/test_csv_cells.py`` (with LibreOffice
headless when it is installed).
"""

from __future__ import annotations


def as_text(value: str) -> str:
    """``="tammikuu 2026"``: the cell is text in Calc and Excel; empty stays empty."""
    if not value:
        return ""
    return '="' + value.replace('"', '""') + '"'


def from_text(cell: str) -> str:
    """The text of a cell written by ``as_text`` (as a spreadsheet shows it)."""
    if cell.startswith('="') and cell.endswith('"'):
        return cell[2:-1].replace('""', '"')
    return cell
