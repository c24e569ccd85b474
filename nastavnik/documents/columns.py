"""Table columns sized to what they hold, so that no word or date breaks inside a cell.

The templates give each bordered table fixed widths, chosen for typical content; the real rows
differ (a long position, a date, «Ответственный» in a narrow header). After rendering, each
column gets at least the width of its longest unbreakable word, and the rest of the table's
width is shared by how much text each column has. Widths are estimated from the characters'
typical advance in Times New Roman, which is close enough to choose the widths, not to typeset.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

__all__ = ["fit_columns", "text_width"]

DEFAULT_SIZE = Pt(12)
# Left and right cell margins (0.19 cm each in Word and LibreOffice) and a little slack.
CELL_PADDING = Mm(5)
_BREAKS = re.compile(r"[ \t\n\u2002\u2003]+|(?<=-)")
_NARROW = set(".,:;!|()[]«»\"'-–—/ ilIjtf1\u00a0")
_WIDE = set("ЖШЩЫЮМФmwMW@%№")


def _advance(char: str) -> float:
    """A character's width in ems (Times New Roman, rounded up a little)."""
    if char in _NARROW:
        return 0.33
    if char in _WIDE:
        return 0.9
    if char.isupper():
        return 0.72
    return 0.52


def text_width(text: str, size: Pt | int = DEFAULT_SIZE, *, bold: bool = False) -> int:
    """The estimated width of ``text`` set on one line, in EMU."""
    # A tenth more than the estimate: a word a little narrower than its column costs nothing,
    # one a little wider breaks.
    ems = sum(_advance(c) for c in text) * (1.08 if bold else 1.0) * 1.1
    return int(ems * int(size))


def _cell_runs(tc: Any) -> Iterable[tuple[str, int, bool]]:
    """(text, font size, bold) of each paragraph of a cell."""
    for p in tc.iter(qn("w:p")):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        size, bold = int(DEFAULT_SIZE), False
        rpr = next(p.iter(qn("w:rPr")), None)
        if rpr is not None:
            sz = rpr.find(qn("w:sz"))
            if sz is not None and sz.get(qn("w:val"), "").isdigit():
                size = int(Pt(int(sz.get(qn("w:val"))) / 2))
            bold = rpr.find(qn("w:b")) is not None
        yield text, size, bold


def _needs(table: Any, columns: int) -> tuple[list[int], list[int]]:
    """For each column: the width of its longest word, and that of its longest paragraph."""
    shortest = [0] * columns
    ideal = [0] * columns
    for tr in table.iter(qn("w:tr")):
        column = 0
        for tc in tr.iterchildren(qn("w:tc")):
            span_el = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            if span == 1 and column < columns:
                for text, size, bold in _cell_runs(tc):
                    # A non-breaking space joins what must stay on one line («№ 5»).
                    for word in _BREAKS.split(text):
                        shortest[column] = max(shortest[column], text_width(word, size, bold=bold))
                    ideal[column] = max(ideal[column], text_width(text, size, bold=bold))
            column += span
    return shortest, ideal


def _widths(total: int, shortest: list[int], ideal: list[int]) -> list[int]:
    least = [w + int(CELL_PADDING) for w in shortest]
    wanted = [max(a, w + int(CELL_PADDING)) for a, w in zip(least, ideal, strict=True)]
    spare = total - sum(least)
    if spare <= 0:
        # Even the longest words do not fit side by side: keep the proportions of the words.
        return [total * w // sum(least) for w in least]
    # Max-min fair shares: a column that needs less than an even share of what is left gets
    # all it needs (a date, a name on one line); the long texts share the rest evenly.
    hunger = [w - a for a, w in zip(least, wanted, strict=True)]
    given = [0] * len(least)
    open_columns = set(range(len(least)))
    while open_columns:
        share = spare // len(open_columns)
        satisfied = {c for c in open_columns if hunger[c] <= share}
        if not satisfied:
            for c in open_columns:
                given[c] = share
            break
        for c in satisfied:
            given[c] = hunger[c]
            spare -= hunger[c]
        open_columns -= satisfied
    else:
        # Everyone has all they need: the spare width goes to the longest texts.
        if sum(hunger):
            given = [g + spare * h // sum(hunger) for g, h in zip(given, hunger, strict=True)]
        else:
            given = [g + spare // len(least) for g in given]
    return [a + g for a, g in zip(least, given, strict=True)]


def _set_width(tc: Any, width: int) -> None:
    tcpr = tc.get_or_add_tcPr()
    tcw = tcpr.find(qn("w:tcW"))
    if tcw is None:
        tcw = tcpr.makeelement(qn("w:tcW"), {})
        tcpr.insert(0, tcw)
    tcw.set(qn("w:w"), str(int(Emu(width).twips)))
    tcw.set(qn("w:type"), "dxa")


def fit_columns(document: Any) -> None:
    """Resize the columns of every bordered table of a python-docx ``document`` in place."""
    for table in document.tables:
        style = table._tbl.tblPr.find(qn("w:tblStyle"))
        if style is None or style.get(qn("w:val")) != "TableGrid":
            continue  # borderless tables lay out signatures and headings by hand
        grid = table._tbl.tblGrid.gridCol_lst
        if len(grid) < 2 or any(col.w is None for col in grid):
            continue
        total = sum(int(col.w) for col in grid)
        shortest, ideal = _needs(table._tbl, len(grid))
        widths = _widths(total, shortest, ideal)
        for col, width in zip(grid, widths, strict=True):
            col.w = Emu(width)
        for tr in table._tbl.iter(qn("w:tr")):
            column = 0
            for tc in tr.iterchildren(qn("w:tc")):
                span_el = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
                span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
                _set_width(tc, sum(widths[column : column + span]))
                column += span
