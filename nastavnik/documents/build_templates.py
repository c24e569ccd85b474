"""Writes the project's DOCX templates into ``templates_docx/``.

The templates are generated rather than drawn in Word so that a change to one is a reviewable
diff of this file and the .docx can be rebuilt byte for byte (fixed timestamps and metadata).
A test checks that the committed files match what this script writes.

    .venv/bin/python -m nastavnik.documents.build_templates

Layout follows Russian organisational documents: A4, margins left 30 mm, right 15 mm, top and
bottom 20 mm, Times New Roman 14 pt for the text and 12 pt for the letterhead.
"""

from __future__ import annotations

import sys
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates_docx"

FONT = "Times New Roman"
TEXT_SIZE = Pt(14)
HEADER_SIZE = Pt(12)
PARAGRAPH_INDENT = Mm(12.5)
TEXT_WIDTH = Mm(210 - 30 - 15)

# Fixed so that a rebuild gives the same bytes.
_FIXED_MOMENT = datetime(2025, 1, 1, tzinfo=UTC)
_ZIP_TIME = (2025, 1, 1, 0, 0, 0)

# The regulation every mentoring order cites (Минпросвещения России, 25.12.2019 № Р-145).
TARGET_MODEL_REGULATION = (
    "распоряжением Министерства просвещения Российской Федерации от 25 декабря 2019 г. "
    "№ Р-145 «Об утверждении методологии (целевой модели) наставничества обучающихся "
    "для организаций, осуществляющих образовательную деятельность по общеобразовательным, "
    "дополнительным общеобразовательным и программам среднего профессионального "
    "образования, в том числе с применением лучших практик обмена опытом между "
    "обучающимися»"
)


# --- Building blocks -------------------------------------------------------------------------


def _set_default_run_properties(document: DocumentObject) -> None:
    # Set on the document defaults, not only on the Normal style, so that tables and any style
    # a user picks later get Times New Roman and Russian too (spell-check, hyphenation).
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    size, size_cs = OxmlElement("w:sz"), OxmlElement("w:szCs")
    size.set(qn("w:val"), str(int(TEXT_SIZE.pt * 2)))
    size_cs.set(qn("w:val"), str(int(TEXT_SIZE.pt * 2)))
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "ru-RU")
    lang.set(qn("w:eastAsia"), "ru-RU")
    lang.set(qn("w:bidi"), "ar-SA")
    rpr.extend([fonts, size, size_cs, lang])

    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(ppr):
        ppr.remove(child)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")
    ppr.append(spacing)


def new_document(title: str) -> DocumentObject:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    _set_default_run_properties(document)

    # python-docx's blank template carries a thumbnail of an empty English page; a file
    # manager would show it as the preview of every document made from this template.
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]

    properties = document.core_properties
    properties.title = title
    properties.author = properties.last_modified_by = "Наставник"
    properties.comments = "Шаблон создан nastavnik/documents/build_templates.py"
    properties.created = properties.modified = _FIXED_MOMENT
    properties.last_printed = _FIXED_MOMENT
    properties.revision = 1
    properties.language = "ru-RU"
    return document


def paragraph(
    container: DocumentObject | _Cell,
    text: str = "",
    *,
    bold: bool = False,
    size: Pt | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = False,
    keep_with_next: bool = False,
) -> Paragraph:
    # One run per paragraph keeps every Jinja placeholder in a single run, so docxtpl never
    # has to stitch a tag split across formatting.
    para = container.add_paragraph()
    if text:
        run = para.add_run(text)
        run.bold = bold or None
        if size is not None:
            run.font.size = size
    fmt = para.paragraph_format
    if align is not None:
        fmt.alignment = align
    if indent:
        fmt.first_line_indent = PARAGRAPH_INDENT
    if keep_with_next:
        fmt.keep_with_next = True
    return para


def tag(container: DocumentObject | _Cell, statement: str) -> Paragraph:
    """A docxtpl paragraph-level tag ({%p ... %}): the paragraph holding it disappears."""
    return container.add_paragraph(f"{{%p {statement} %}}")


def borderless_table(
    document: DocumentObject, widths_mm: tuple[float, ...], cells: tuple[tuple[str, str], ...]
) -> Table:
    """One row of cells without borders, e.g. the date and the number of an order.

    ``cells`` holds (text, alignment) with alignment 'left', 'center' or 'right'.
    """
    aligns = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }
    table = document.add_table(rows=1, cols=len(cells))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # LibreOffice lays a table out by its grid, Word by the cell widths: set both.
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=True):
        column.w = Mm(width)
    for cell, width, (text, align) in zip(table.rows[0].cells, widths_mm, cells, strict=True):
        cell.width = Mm(width)
        para = cell.paragraphs[0]
        para.add_run(text)
        para.paragraph_format.alignment = aligns[align]
    return table


def save_reproducibly(document: DocumentObject) -> bytes:
    """The .docx bytes with fixed entry timestamps, so a rebuild changes nothing."""
    raw = BytesIO()
    document.save(raw)
    out = BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()


def letterhead(document: DocumentObject) -> None:
    """The organisation's name in bold and its requisites under it, centred, 12 pt."""
    tag(document, "set header = org|requisites")
    paragraph(
        document, "{{ header[0] }}", bold=True, size=HEADER_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    tag(document, "for line in header[1:]")
    paragraph(document, "{{ line }}", size=HEADER_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    tag(document, "endfor")


def order_heading(document: DocumentObject, title: str) -> None:
    """ПРИКАЗ, its date and number, the place, and the title of the order."""
    paragraph(document)
    paragraph(document, "ПРИКАЗ", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, keep_with_next=True)
    paragraph(document)
    half = TEXT_WIDTH.mm / 2
    borderless_table(
        document,
        (half, half),
        (("{{ date|date_quoted }}", "left"), ("№ {{ number }}", "right")),
    )
    tag(document, "if place")
    paragraph(document, "{{ place }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    tag(document, "endif")
    paragraph(document)
    paragraph(document, title, bold=True, keep_with_next=True)
    paragraph(document)


def director_signature(document: DocumentObject) -> None:
    paragraph(document)
    paragraph(document)
    borderless_table(
        document,
        (70, 45, TEXT_WIDTH.mm - 115),
        (
            ("{{ director_position }}", "left"),
            ("____________", "center"),
            ("{{ director|signature }}", "right"),
        ),
    )


# --- Templates -------------------------------------------------------------------------------


def build_order_appoint_curator() -> bytes:
    """Приказ «О назначении куратора программы наставничества».

    Context: ``org`` (name, address, inn, phone, email), ``number``, ``date``, ``place``
    (may be empty), ``academic_year`` («2024/2025»), ``deadline`` (a date or None),
    ``curator`` and ``director`` (people), ``curator_position`` (nominative, may be empty),
    ``director_position`` («Директор»).
    """
    document = new_document("Приказ о назначении куратора программы наставничества")
    letterhead(document)
    order_heading(document, "О назначении куратора программы наставничества")
    paragraph(
        document,
        # Not an f-string: the braces of the Jinja placeholder must stay doubled.
        "В соответствии с " + TARGET_MODEL_REGULATION + ", в целях организации "
        "наставничества обучающихся в {{ academic_year }} учебном году",
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent=True,
    )
    paragraph(document, "ПРИКАЗЫВАЮ:", keep_with_next=True)
    paragraph(
        document,
        "1. Назначить куратором программы наставничества на {{ academic_year }} учебный год "
        "{{ curator|accusative }}"
        "{% if curator_position %}, {{ curator_position|inflect('accusative') }}{% endif %}.",
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent=True,
    )
    paragraph(
        document,
        "2. Куратору программы наставничества {{ curator|initials('dative') }}:",
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent=True,
        keep_with_next=True,
    )
    for item in (
        "2.1. организовать разработку программы наставничества и дорожной карты её реализации"
        "{% if deadline %} в срок до {{ deadline|date }}{% endif %};",
        "2.2. обеспечить формирование баз наставников и наставляемых;",
        "2.3. организовать мониторинг и оценку результатов реализации программы наставничества.",
    ):
        paragraph(document, item, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    paragraph(
        document,
        "3. Контроль за исполнением приказа оставляю за собой.",
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent=True,
    )
    director_signature(document)
    paragraph(document)
    paragraph(
        document,
        "С приказом {{ curator|gendered('ознакомлен', 'ознакомлена') }}:",
        keep_with_next=True,
    )
    borderless_table(
        document,
        (35, 50, TEXT_WIDTH.mm - 85),
        (
            ("____________", "left"),
            ("{{ curator|signature }}", "left"),
            ("{{ blank_date }}", "right"),
        ),
    )
    return save_reproducibly(document)


TEMPLATES: dict[str, Callable[[], bytes]] = {
    "order_appoint_curator.docx": build_order_appoint_curator,
}


def main() -> None:
    TEMPLATES_DIR.mkdir(exist_ok=True)
    for name, build in TEMPLATES.items():
        path = TEMPLATES_DIR / name
        path.write_bytes(build())
        sys.stdout.write(f"wrote {path}\n")


if __name__ == "__main__":
    main()
