"""Printed documents break no word and no date across lines.

Each representative document is rendered, converted to PDF by LibreOffice (as every PDF of the
project is), its text extracted with pdftotext, and every printed fragment that is not a word of
the document's own text, but is the start of one whose rest is printed too, is a word split
across lines («профессион|ал», «15.10.202|6»). LibreOffice takes seconds a document, so the set
is small: an order, the roadmap and a table made to be too narrow for its words.
"""

from __future__ import annotations

import shutil
import subprocess
from io import BytesIO

import pytest
from docx import Document
from docx.shared import Mm

from nastavnik.documents.render import docx_text, docx_to_pdf, find_soffice, typeset
from nastavnik.documents.tests.test_render import TEMPLATE, order_context
from nastavnik.programmes.documents import render_roadmap
from nastavnik.programmes.tests.test_documents import programme  # noqa: F401 (a fixture)

pytestmark = pytest.mark.skipif(
    find_soffice() is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and pdftotext are needed",
)

_EDGE = "«»\"'(),;:!?"


def _tokens(text: str) -> list[str]:
    return [t.strip(_EDGE) for t in text.replace("\u00a0", " ").split() if t.strip(_EDGE)]


def split_words(own_text: str, printed: str) -> list[str]:
    """Words of ``own_text`` that ``printed`` shows in pieces: «Ответственн|ый», «15.|10.|2026».

    Printed pieces that are not words of the text themselves are joined with the pieces that
    follow them while the join is still the start of a word; a join that completes a word is
    a word split across lines.
    """
    words = set(_tokens(own_text))
    starts = {word[:i] for word in words for i in range(1, len(word))}
    pieces = _tokens(printed)
    found = set()
    for i, piece in enumerate(pieces):
        if piece in words:
            continue
        joined, parts = piece, [piece]
        for following in pieces[i + 1 : i + 30]:
            if joined not in starts:
                break
            joined += following
            parts.append(following)
            if joined in words:
                found.add("|".join(parts))
                break
    return sorted(found)


def printed_text(docx: bytes) -> str:
    pdf = docx_to_pdf(docx)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def narrow_table() -> bytes:
    """A table whose template widths are far too narrow for a word and a date."""
    document = Document()
    table = document.add_table(rows=2, cols=3)
    table.style = document.styles["Table Grid"]
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, (10, 10, 140), strict=True):
        column.w = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, (10, 10, 140), strict=True):
            cell.width = Mm(width)
    for cell, text in zip(
        table.rows[1].cells, ("15.10.2026", "профессионал", "Ответственный"), strict=True
    ):
        cell.text = text
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def test_the_detector_sees_a_word_broken_by_a_narrow_column():
    raw = narrow_table()
    assert split_words(docx_text(raw), printed_text(raw)), "no split found: the check is blind"


def test_a_narrow_table_is_widened_to_its_words():
    document = typeset(narrow_table())
    assert split_words(docx_text(document), printed_text(document)) == []


def test_an_order_breaks_no_word():
    from nastavnik.documents.render import render_docx

    document = render_docx(TEMPLATE, order_context())
    assert split_words(docx_text(document), printed_text(document)) == []


@pytest.mark.django_db
def test_the_roadmap_breaks_no_word_or_date(programme):  # noqa: F811
    document = render_roadmap(programme)
    assert split_words(docx_text(document), printed_text(document)) == []
