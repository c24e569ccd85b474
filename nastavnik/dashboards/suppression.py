"""Small cells of the operator's figures: a count of fewer than five people is never shown.

A regional or municipal operator sees aggregates only (DESIGN §1); a cell of one to four people
(«2 of the teachers of school 14 are in mentoring») can single a child or a colleague out, so it
reads «< 5», and so does every percentage or mean derived from it. Zero is a count under five as
well: «nobody of the 3 teachers» says as much about each of them as «all 3».

This is the one rule: the pages, the XLSX and the DOCX all show counts through `count_cell` and
shares through `percent_cell`, and the tests assert against `SUPPRESSED`.
"""

from __future__ import annotations

MIN_CELL = 5
SUPPRESSED = "< 5"

Cell = int | str
PercentCell = float | str | None


def is_small(n: int) -> bool:
    return n < MIN_CELL


def count_cell(n: int) -> Cell:
    """The count as the operator sees it: the number, or «< 5»."""
    return SUPPRESSED if is_small(n) else n


def percent_cell(part: int, whole: int) -> PercentCell:
    """`part` of `whole` in per cent (one decimal); «< 5» when either count is small, so the
    part cannot be worked back from the whole; None when there is no whole at all."""
    if whole == 0:
        return None
    if is_small(part) or is_small(whole):
        return SUPPRESSED
    return round(100 * part / whole, 1)


def mean_cell(mean: float | None, n: int) -> PercentCell:
    """A mean over `n` people (ratings, changes of a measure): «< 5» when they are few."""
    if mean is None or n == 0:
        return None
    if is_small(n):
        return SUPPRESSED
    return round(mean, 2)
