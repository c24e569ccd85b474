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
from importlib import import_module
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
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


# Word 2010's copy of the styles, which later versions and LibreOffice ignore.
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _used_styles_only(document: DocumentObject) -> None:
    """Keep the styles the template uses (with those they are based on) and each kind's default.

    python-docx's blank carries 164 styles and a list of Word's latent ones, 350 KB in all:
    every document made from a template read them, wrote them back and (for an order's
    appendices) matched them one by one, for a handful in use.
    """
    styles = document.styles.element
    used: set[str] = set()
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)
        if element is None or element is styles:
            continue
        used.update(element.xpath(".//w:pStyle/@w:val|.//w:rStyle/@w:val|.//w:tblStyle/@w:val"))
    by_id = {style.get(qn("w:styleId")): style for style in styles.iterchildren(qn("w:style"))}
    kept = used | {sid for sid, style in by_id.items() if style.get(qn("w:default")) == "1"}
    waiting = list(kept)
    while waiting:
        style = by_id.get(waiting.pop())
        if style is None:
            continue
        for link in style.xpath("w:basedOn/@w:val|w:link/@w:val|w:next/@w:val"):
            if link not in kept:
                kept.add(link)
                waiting.append(link)
    for sid, style in by_id.items():
        if sid not in kept:
            styles.remove(style)
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype == _STYLES_WITH_EFFECTS:
            del document.part.rels[rel_id]


def save_reproducibly(document: DocumentObject) -> bytes:
    """The .docx bytes with fixed entry timestamps, so a rebuild changes nothing."""
    _used_styles_only(document)
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


def repeated_row(table: Table, loop: str) -> None:
    """Makes the table's one row repeat: docxtpl row tags ({%tr for … %} / {%tr endfor %}) in
    rows of their own before and after it."""
    opening, closing = table.add_row(), table.add_row()
    opening.cells[0].paragraphs[0].add_run(f"{{%tr {loop} %}}")
    closing.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    table._tbl.tr_lst[0].addprevious(opening._tr)


def signature_rows(
    document: DocumentObject,
    widths_mm: tuple[float, ...],
    cells: tuple[tuple[str, str], ...],
    loop: str,
) -> None:
    """A borderless row of signature cells (see `borderless_table`), repeated by `loop`."""
    repeated_row(borderless_table(document, widths_mm, cells), loop)


def acquainted_signatures(document: DocumentObject) -> None:
    """A signature line with the date for every person in ``acquainted``, under «С приказом
    ознакомлены:» or its like."""
    signature_rows(
        document,
        (35, 50, TEXT_WIDTH.mm - 85),
        (
            ("____________", "left"),
            ("{{ person|signature }}", "left"),
            ("{{ blank_date }}", "right"),
        ),
        "for person in acquainted",
    )


def appendix_heading(document: DocumentObject, *title: str) -> None:
    """A new page, «Приложение к приказу … от … № …» on the right, then the title centred."""
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for text in (
        "Приложение",
        "к приказу {{ org.short_name }}",
        "от {{ date|date }} № {{ number }}",
    ):
        paragraph(document, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(document)
    for line in title:
        paragraph(document, line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(document)


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


# --- Consents (152-ФЗ art. 9 ч. 4) -------------------------------------------------------------
#
# One document per consent (since 1 September 2025 a consent may not be combined with others).
# Each template loops over ``documents``, a page per item, so one file prints a whole class.
# An item (built by ``nastavnik.consents.documents``) holds: ``heading``, ``clause``, ``subject``
# and ``representative`` (people; the representative may be None for a blank line),
# ``subject_birth_date``, ``subject_document`` («паспорт» / «свидетельство о рождении»),
# ``relation`` (instrumental: «матерью»), ``authority_document``, ``minor_signs``, ``articles``,
# ``law``, ``purpose``, ``data``, ``actions``, ``conditions``, ``valid_until``, ``given_on``
# (None on a form to sign), ``withdrawal``, ``version``, ``electronic`` (None, or the evidence
# of an electronic signature: ``signed_name``, ``signed_at``, ``ip``). ``org`` is the operator.

BLANK = "________________"


def _blanks(text: str) -> str:
    """'@' is a blank line to fill in by hand, '@@' a long one."""
    return text.replace("@", BLANK)


def _justified(document: DocumentObject, text: str, *, indent: bool = True) -> Paragraph:
    return paragraph(document, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=indent)


def _signature_line(document: DocumentObject, who: str) -> None:
    """«___» ________ 20__ г. on the left, the signature and the name on the right."""
    para = paragraph(document, "{{ doc.given_on|date_quoted }}\t____________ / {{ " + who + " }}")
    para.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    para.paragraph_format.keep_together = True


def _consent_heading(document: DocumentObject, *, guardian: bool) -> None:
    paragraph(document, "СОГЛАСИЕ", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, keep_with_next=True)
    if guardian:
        paragraph(
            document,
            "законного представителя несовершеннолетнего",
            bold=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            keep_with_next=True,
        )
    paragraph(
        document,
        "{{ doc.heading }}",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        keep_with_next=True,
    )
    paragraph(document)


def _operator_clause() -> str:
    return (
        "в соответствии со {{ doc.articles }} {{ doc.law }} даю согласие оператору — "
        "{{ org.name }}{% if org.inn %} (ИНН {{ org.inn }}){% endif %}, адрес: "
        "{{ org.address or '" + BLANK + "' }} — {{ doc.clause }} на следующих условиях."
    )


def _consent_terms(document: DocumentObject) -> None:
    """The numbered conditions every consent states, then the signing."""
    for text in (
        "1. Персональные данные обрабатываются в целях {{ doc.purpose }}.",
        "2. Перечень персональных данных: {{ doc.data }}.",
        "3. Действия с персональными данными и способы обработки: {{ doc.actions }}.",
        "4. Обработка персональных данных по поручению оператора другим лицам "
        "не осуществляется.{% if doc.conditions %} {{ doc.conditions }}{% endif %}",
        "5. Срок действия: согласие действует со дня подписания до {{ doc.valid_until|date }} "
        "включительно.",
        "6. Порядок отзыва: {{ doc.withdrawal }}",
    ):
        _justified(document, text)


def _consent_footer(document: DocumentObject) -> None:
    tag(document, "if doc.electronic")
    _justified(
        document,
        "Согласие дано в электронной форме по одноразовой ссылке: подтверждено "
        "{{ doc.electronic.signed_at }} вводом фамилии, имени и отчества "
        "«{{ doc.electronic.signed_name }}»{% if doc.electronic.ip %}, IP-адрес "
        "{{ doc.electronic.ip }}{% endif %}.",
        indent=False,
    )
    tag(document, "endif")
    paragraph(document, "Форма согласия, версия {{ doc.version }}.", size=Pt(10))


def _page_break_between(document: DocumentObject) -> None:
    tag(document, "if not loop.last")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    tag(document, "endif")


def _consent_adult_body(document: DocumentObject) -> None:
    _consent_heading(document, guardian=False)
    _justified(
        document,
        _blanks(
            "Я, {{ doc.subject|name }}{% if doc.subject_birth_date %}, "
            "{{ doc.subject_birth_date|date }} рождения{% endif %}, паспорт серия ______ "
            "№ __________, выдан @ «___» ____________ ______ г., "
            "{{ doc.subject|gendered('зарегистрированный', 'зарегистрированная') }} по адресу: "
            "@@, "
        )
        + _operator_clause(),
    )
    _consent_terms(document)
    paragraph(document)
    _signature_line(document, "doc.subject|signature")
    _consent_footer(document)


def _consent_guardian_body(document: DocumentObject) -> None:
    _consent_heading(document, guardian=True)
    _justified(
        document,
        _blanks(
            "Я, {% if doc.representative %}{{ doc.representative|name }}{% else %}@@{% endif %}, "
            "паспорт серия ______ № __________, выдан @ «___» ____________ ______ г., "
            "адрес: @@, являясь {{ doc.relation or 'законным представителем' }} "
            "{{ doc.subject|gendered('несовершеннолетнего', 'несовершеннолетней') }} "
            "{{ doc.subject|genitive }}{% if doc.subject_birth_date %}, "
            "{{ doc.subject_birth_date|date }} рождения{% endif %}, {{ doc.subject_document }} "
            "серия ______ № __________, выдан(о) @ «___» ____________ ______ г., адрес: @@ "
            "(далее — несовершеннолетний), документ, подтверждающий полномочия законного "
            "представителя: {{ doc.authority_document or '@@' }}, "
        )
        + _operator_clause(),
    )
    _consent_terms(document)
    paragraph(document)
    _signature_line(
        document,
        "doc.representative|signature if doc.representative else '" + BLANK + "'",
    )
    tag(document, "if doc.minor_signs")
    paragraph(document)
    _justified(
        document,
        "С согласием {{ doc.subject|gendered('ознакомлен', 'ознакомлена') }} и "
        "{{ doc.subject|gendered('согласен', 'согласна') }} "
        "({{ doc.subject|gendered('несовершеннолетний', 'несовершеннолетняя') }}, "
        "{{ doc.subject|gendered('достигший', 'достигшая') }} 14 лет):",
        indent=False,
    )
    _signature_line(document, "doc.subject|signature")
    tag(document, "endif")
    _consent_footer(document)


def _consent_template(title: str, bodies: Callable[[DocumentObject], None]) -> bytes:
    document = new_document(title)
    tag(document, "for doc in documents")
    bodies(document)
    _page_break_between(document)
    tag(document, "endfor")
    return save_reproducibly(document)


def build_consent_adult() -> bytes:
    """Согласие совершеннолетнего: the subject gives it for themselves."""
    return _consent_template("Согласие на обработку персональных данных", _consent_adult_body)


def build_consent_guardian() -> bytes:
    """Согласие законного представителя несовершеннолетнего (from 14 the minor signs too)."""
    return _consent_template(
        "Согласие законного представителя несовершеннолетнего", _consent_guardian_body
    )


def build_consent_bundle() -> bytes:
    """Both forms in one file, an item's ``representative_form`` choosing: bulk printing."""

    def body(document: DocumentObject) -> None:
        tag(document, "if doc.representative_form")
        _consent_guardian_body(document)
        tag(document, "else")
        _consent_adult_body(document)
        tag(document, "endif")

    return _consent_template("Согласия на обработку персональных данных", body)


# --- Programme, roadmap and the order approving them ------------------------------------------

TABLE_SIZE = Pt(12)
ENDS_LIST = "{{ '.' if loop.last else ';' }}"


def grid_table(
    document: DocumentObject,
    widths_mm: tuple[float, ...],
    header: tuple[str, ...],
    rows: tuple[tuple[str, ...], ...],
) -> Table:
    """A bordered table: a header row repeated on every page, then template rows as given.

    A row of one string is one cell merged across the table (a docxtpl ``{%tr … %}`` tag, or a
    heading such as a stage's title; ``"*"`` in front makes it bold, ``"\\n"`` starts a new
    paragraph in it).
    """
    table = document.add_table(rows=1 + len(rows), cols=len(widths_mm))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=True):
        column.w = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)

    def fill(para: Paragraph, text: str, *, bold: bool = False) -> None:
        run = para.add_run(text)
        run.font.size = TABLE_SIZE
        run.bold = bold or None

    header_row = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(header_row.cells, header, strict=True):
        fill(cell.paragraphs[0], text, bold=True)
        cell.paragraphs[0].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row, texts in zip(table.rows[1:], rows, strict=True):
        if len(texts) == 1:
            merged = row.cells[0].merge(row.cells[-1])
            bold = texts[0].startswith("*")
            for number, line in enumerate(texts[0].lstrip("*").split("\n")):
                para = merged.paragraphs[0] if number == 0 else merged.add_paragraph()
                fill(para, line, bold=bold)
        else:
            for cell, text in zip(row.cells, texts, strict=True):
                fill(cell.paragraphs[0], text)
    return table


def heading(document: DocumentObject, text: str) -> Paragraph:
    paragraph(document)
    return paragraph(document, text, bold=True, keep_with_next=True)


def text_block(document: DocumentObject, text: str, *, keep_with_next: bool = False) -> Paragraph:
    return paragraph(
        document,
        text,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent=True,
        keep_with_next=keep_with_next,
    )


def repeated(document: DocumentObject, items: str, line: str) -> None:
    """One paragraph ``line`` per element of ``items`` (``item`` and ``loop`` are set)."""
    tag(document, f"for item in {items}")
    text_block(document, line)
    tag(document, "endfor")


def approval_stamp(document: DocumentObject) -> None:
    """«УТВЕРЖДЕНА приказом … от … № …» over an approved document, «ПРОЕКТ» over a draft."""
    tag(document, "if approval")
    for text in (
        "УТВЕРЖДЕНА",
        "приказом {{ org.short_name }}",
        "от {{ approval.date|date }} № {{ approval.number }}",
    ):
        paragraph(document, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    tag(document, "else")
    paragraph(document, "ПРОЕКТ", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    tag(document, "endif")


def build_programme() -> bytes:
    """Программа наставничества на учебный год (the structure of seed 000).

    Context: ``org``, ``academic_year`` («2025/2026»), ``approval`` (``date`` and ``number``,
    or None for a draft), ``note`` (paragraphs), ``goal``, ``tasks``, ``results`` (lists),
    ``forms_list`` («…», «…» и «…»), ``forms`` (each: ``name``, ``goal``, ``tasks``,
    ``role_models`` (``name``, ``goal``), ``results``, ``plan`` (``section``, ``text``,
    ``timing``)), ``curator`` (a person or None), ``curator_position``, ``team`` (``person``,
    ``position``, ``responsibility``), ``partners`` (``name``, ``contribution``, ``contacts``,
    ``agreement``).
    """
    document = new_document("Программа наставничества")
    letterhead(document)
    paragraph(document)
    approval_stamp(document)
    paragraph(document)
    for line in (
        "ПРОГРАММА НАСТАВНИЧЕСТВА",
        "{{ org.short_name }}",
        "на {{ academic_year }} учебный год",
    ):
        paragraph(document, line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)

    heading(document, "1. Пояснительная записка")
    repeated(document, "note", "{{ item }}")
    tag(document, "if goal")
    text_block(document, "Цель программы: {{ goal }}")
    tag(document, "endif")
    tag(document, "if tasks")
    text_block(document, "Задачи программы:", keep_with_next=True)
    repeated(document, "tasks", "{{ loop.index }}. {{ item }}")
    tag(document, "endif")

    heading(document, "2. Нормативные основы программы")
    text_block(document, "Программа наставничества разработана на основании:")
    for line in (
        "– Федерального закона от 29 декабря 2012 г. № 273-ФЗ «Об образовании в Российской "
        "Федерации»;",
        # The regulation is cited in the instrumental («в соответствии с распоряжением»).
        "– " + TARGET_MODEL_REGULATION.replace("распоряжением", "распоряжения", 1) + ";",
        "– письма Министерства просвещения Российской Федерации от 23 января 2020 г. "
        "№ МР-42/02 «О направлении целевой модели наставничества и методических рекомендаций»;",
        "– Положения о наставничестве {{ org.short_name }}.",
    ):
        text_block(document, line)

    heading(document, "3. Ожидаемые результаты реализации программы")
    tag(document, "if results")
    repeated(document, "results", "– {{ item }}" + ENDS_LIST)
    tag(document, "else")
    text_block(document, "Ожидаемые результаты приведены по каждой форме наставничества.")
    tag(document, "endif")

    heading(document, "4. Формы наставничества и ролевые модели")
    text_block(
        document,
        "В {{ academic_year }} учебном году реализуются формы наставничества {{ forms_list }}.",
    )
    tag(document, "for form in forms")
    paragraph(document)
    paragraph(
        document,
        "4.{{ loop.index }}. Форма наставничества «{{ form.name }}»",
        bold=True,
        keep_with_next=True,
    )
    tag(document, "if form.goal")
    text_block(document, "Цель: {{ form.goal }}")
    tag(document, "endif")
    tag(document, "if form.tasks")
    text_block(document, "Задачи:", keep_with_next=True)
    repeated(document, "form.tasks", "{{ loop.index }}. {{ item }}")
    tag(document, "endif")
    tag(document, "if form.role_models")
    text_block(document, "Ролевые модели:", keep_with_next=True)
    repeated(document, "form.role_models", "– «{{ item.name }}» — {{ item.goal }}")
    tag(document, "endif")
    tag(document, "if form.results")
    text_block(document, "Ожидаемые результаты:", keep_with_next=True)
    repeated(document, "form.results", "– {{ item }}" + ENDS_LIST)
    tag(document, "endif")
    tag(document, "endfor")

    heading(document, "5. Куратор и команда программы")
    tag(document, "if curator")
    text_block(
        document,
        "Куратор программы наставничества — {{ curator|name }}"
        "{% if curator_position %}, {{ curator_position }}{% endif %}.",
    )
    tag(document, "endif")
    tag(document, "if team")
    text_block(document, "Команда программы:", keep_with_next=True)
    grid_table(
        document,
        (10, 55, 50, TEXT_WIDTH.mm - 115),
        ("№", "Фамилия, имя, отчество", "Должность", "Роль в программе"),
        (
            ("{%tr for member in team %}",),
            (
                "{{ loop.index }}",
                "{{ member.person|name }}",
                "{{ member.position }}",
                "{{ member.responsibility }}",
            ),
            ("{%tr endfor %}",),
        ),
    )
    tag(document, "endif")

    heading(document, "6. Социальные партнёры")
    tag(document, "if partners")
    grid_table(
        document,
        (10, 50, 45, 30, TEXT_WIDTH.mm - 135),
        ("№", "Организация", "Участие в программе", "Контакты", "Соглашение"),
        (
            ("{%tr for partner in partners %}",),
            (
                "{{ loop.index }}",
                "{{ partner.name }}",
                "{{ partner.contribution }}",
                "{{ partner.contacts }}",
                "{{ partner.agreement }}",
            ),
            ("{%tr endfor %}",),
        ),
    )
    tag(document, "else")
    text_block(document, "Социальные партнёры программы не определены.")
    tag(document, "endif")

    heading(document, "7. Мониторинг и оценка результатов реализации программы")
    for line in (
        "Мониторинг программы наставничества состоит из двух этапов: оценки качества процесса "
        "реализации программы (анкеты удовлетворённости наставников и наставляемых, анкета "
        "куратора, SWOT-анализ) и оценки мотивационно-личностного, компетентностного и "
        "профессионального роста участников, динамики образовательных результатов (параметры "
        "фиксируются дважды: на входе в программу и по её итогам).",
        "Оценка эффективности внедрения целевой модели наставничества проводится один раз в "
        "полугодие: не позднее 30 сентября и 30 марта.",
    ):
        text_block(document, line)

    heading(document, "8. Дорожная карта")
    text_block(
        document,
        "Мероприятия программы по семи этапам, сроки и ответственные приведены в дорожной карте "
        "реализации программы наставничества на {{ academic_year }} учебный год.",
    )

    paragraph(document)
    paragraph(
        document,
        "Приложение. Типовые индивидуальные планы развития наставляемых",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        keep_with_next=True,
    )
    text_block(
        document,
        "Наставник и наставляемый составляют индивидуальный план развития совместно, на основе "
        "типового плана своей формы наставничества и с учётом ролевой модели.",
    )
    tag(document, "for form in forms")
    paragraph(document)
    paragraph(document, "Форма наставничества «{{ form.name }}»", bold=True, keep_with_next=True)
    tag(document, "if form.plan")
    grid_table(
        document,
        (10, 30, 90, TEXT_WIDTH.mm - 130),
        ("№", "Раздел", "Содержание", "Сроки"),
        (
            ("{%tr for item in form.plan %}",),
            ("{{ loop.index }}", "{{ item.section }}", "{{ item.text }}", "{{ item.timing }}"),
            ("{%tr endfor %}",),
        ),
    )
    tag(document, "else")
    text_block(document, "Типовой план не составлен.")
    tag(document, "endif")
    tag(document, "endfor")
    return save_reproducibly(document)


def build_roadmap() -> bytes:
    """Дорожная карта реализации программы наставничества (the table of seed 004).

    Context: ``org``, ``academic_year``, ``approval`` (``date`` and ``number``, or None),
    ``stages`` (each: ``number``, ``title``, ``task``, ``result``, ``events`` (``number``,
    ``title``, ``period``, ``responsible``)).
    """
    document = new_document("Дорожная карта реализации программы наставничества")
    letterhead(document)
    paragraph(document)
    approval_stamp(document)
    paragraph(document)
    for line in (
        "Дорожная карта реализации программы наставничества",
        "{{ org.short_name }} на {{ academic_year }} учебный год",
    ):
        paragraph(document, line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(document)
    grid_table(
        document,
        (10, 80, 37, TEXT_WIDTH.mm - 127),
        ("№ п/п", "Мероприятие", "Сроки", "Ответственные"),
        (
            ("{%tr for stage in stages %}",),
            ("*Этап {{ stage.number }}. {{ stage.title }}",),
            ("Задача: {{ stage.task }}\nРезультат: {{ stage.result }}",),
            ("{%tr for event in stage.events %}",),
            (
                "{{ event.number }}",
                "{{ event.title }}",
                "{{ event.period }}",
                "{{ event.responsible }}",
            ),
            ("{%tr endfor %}",),
            ("{%tr endfor %}",),
        ),
    )
    return save_reproducibly(document)


def build_order_programme_approval() -> bytes:
    """Приказ «Об утверждении программы наставничества и дорожной карты её реализации».

    Context: ``org``, ``number``, ``date``, ``place``, ``title``, ``academic_year``,
    ``forms_list`` («…», «…» и «…»), ``curator`` (a person), ``curator_position`` (nominative,
    in lower case, may be empty), ``team`` (``person``, ``position``, ``responsibility``),
    ``control_point`` (the number of the last point), ``acquainted`` (the people who sign that
    they have read it), ``director``, ``director_position``.
    """
    document = new_document("Приказ об утверждении программы наставничества")
    letterhead(document)
    order_heading(document, "{{ title }}")
    text_block(
        document,
        "В соответствии с " + TARGET_MODEL_REGULATION + ", Положением о наставничестве "
        "{{ org.short_name }}, в целях реализации целевой модели наставничества в "
        "{{ academic_year }} учебном году",
    )
    paragraph(document, "ПРИКАЗЫВАЮ:", keep_with_next=True)
    for line in (
        "1. Утвердить программу наставничества {{ org.short_name }} на {{ academic_year }} "
        "учебный год (приложение 1).",
        "2. Утвердить дорожную карту реализации программы наставничества на "
        "{{ academic_year }} учебный год (приложение 2).",
        "3. Реализовать в {{ academic_year }} учебном году формы наставничества {{ forms_list }}.",
        "4. Назначить куратором программы наставничества {{ curator|accusative }}"
        "{% if curator_position %}, {{ curator_position|inflect('accusative') }}{% endif %}.",
    ):
        text_block(document, line)
    text_block(
        document,
        "5. Куратору программы наставничества {{ curator|initials('dative') }}:",
        keep_with_next=True,
    )
    for line in (
        "5.1. обеспечить выполнение мероприятий дорожной карты в установленные сроки;",
        "5.2. организовать формирование баз наставляемых и наставников;",
        "5.3. проводить оценку эффективности реализации программы наставничества не позднее "
        "30 сентября и 30 марта.",
    ):
        text_block(document, line)
    tag(document, "if team")
    text_block(
        document, "6. Утвердить состав команды программы наставничества:", keep_with_next=True
    )
    repeated(
        document,
        "team",
        "– {{ item.person|name }}, {{ item.position }}"
        "{% if item.responsibility %} ({{ item.responsibility }}){% endif %}" + ENDS_LIST,
    )
    tag(document, "endif")
    text_block(document, "{{ control_point }}. Контроль за исполнением приказа оставляю за собой.")
    director_signature(document)
    paragraph(document)
    paragraph(
        document,
        "С приказом {% if acquainted|length > 1 %}ознакомлены{% else %}"
        "{{ acquainted[0]|gendered('ознакомлен', 'ознакомлена') }}{% endif %}:",
        keep_with_next=True,
    )
    acquainted_signatures(document)
    return save_reproducibly(document)


def build_order_mentor_registry() -> bytes:
    """Приказ «Об утверждении реестра наставников» (or «О дополнении реестра наставников»),
    with the registry as its appendix (seed 002 §2.13).

    Context: ``org``, ``number``, ``date``, ``place``, ``title``, ``academic_year``,
    ``supplement`` (True when the order adds to a registry approved before), ``mentors``
    (each: ``number``, ``person``, ``who`` — the position or category, ``forms`` — the forms
    of mentoring, joined), ``count``, ``forms_list`` («…», «…» и «…», may be empty),
    ``curator`` (a person or None), ``curator_position``, ``director``, ``director_position``.
    """
    document = new_document("Приказ об утверждении реестра наставников")
    letterhead(document)
    order_heading(document, "{{ title }}")
    text_block(
        document,
        "В соответствии с " + TARGET_MODEL_REGULATION + ", Положением о наставничестве "
        "{{ org.short_name }}, на основании решения конкурсной комиссии по отбору наставников, "
        "в целях реализации программы наставничества на {{ academic_year }} учебный год",
    )
    paragraph(document, "ПРИКАЗЫВАЮ:", keep_with_next=True)
    text_block(
        document,
        "1. {% if supplement %}Включить в реестр наставников {{ org.short_name }} на "
        "{{ academic_year }} учебный год лиц, указанных в приложении к настоящему приказу "
        "({{ count|plural('наставник', 'наставника', 'наставников') }}).{% else %}Утвердить "
        "реестр наставников {{ org.short_name }} на {{ academic_year }} учебный год "
        "({{ count|plural('наставник', 'наставника', 'наставников') }}) согласно приложению "
        "к настоящему приказу.{% endif %}",
    )
    text_block(
        document,
        "2. Наставникам, включённым в реестр, осуществлять наставническую деятельность в "
        "соответствии с Положением о наставничестве {{ org.short_name }}"
        "{% if forms_list %} в формах наставничества {{ forms_list }}{% endif %} и пройти "
        "обучение в школе наставника.",
    )
    text_block(
        document,
        "3. Куратору программы наставничества{% if curator %} "
        "{{ curator|initials('dative') }}{% endif %} разместить реестр наставников на "
        "официальном сайте {{ org.short_name }} с соблюдением требований Федерального закона "
        "от 27 июля 2006 г. № 152-ФЗ «О персональных данных».",
    )
    text_block(document, "4. Контроль за исполнением приказа оставляю за собой.")
    director_signature(document)

    appendix_heading(
        document,
        "РЕЕСТР НАСТАВНИКОВ",
        "{{ org.short_name }} на {{ academic_year }} учебный год",
    )
    grid_table(
        document,
        (12, 60, 58, TEXT_WIDTH.mm - 130),
        ("№ п/п", "Фамилия, имя, отчество", "Должность (категория)", "Формы наставничества"),
        (
            ("{%tr for mentor in mentors %}",),
            (
                "{{ mentor.number }}",
                "{{ mentor.person|name }}",
                "{{ mentor.who }}",
                "{{ mentor.forms }}",
            ),
            ("{%tr endfor %}",),
        ),
    )
    return save_reproducibly(document)


def build_order_pairs() -> bytes:
    """Приказ «О закреплении наставнических пар (групп)», with the pairs and groups as its
    appendix (DESIGN §3 stage 5; seed 002 §2.9).

    Context: ``org``, ``number``, ``date``, ``place``, ``title``, ``academic_year``,
    ``forms_list`` («…», «…» и «…»), ``several_forms``, ``pairs`` and ``groups`` (counts),
    ``started_on`` and ``planned_end`` (dates), ``curator`` (a person or None),
    ``support_count`` (mentees left without a mentor, given support), ``rows`` (each:
    ``number``, ``mentor`` and ``mentees`` (names with the class or position, the mentees
    one a line), ``form``, ``role_model``, ``term``), ``acquainted`` (people), ``director``,
    ``director_position``.
    """
    document = new_document("Приказ о закреплении наставнических пар (групп)")
    letterhead(document)
    order_heading(document, "{{ title }}")
    text_block(
        document,
        "В соответствии с " + TARGET_MODEL_REGULATION + ", Положением о наставничестве "
        "{{ org.short_name }}, программой наставничества на {{ academic_year }} учебный год, "
        "по результатам анкетирования участников после групповой встречи и подбора "
        "наставников и наставляемых",
    )
    paragraph(document, "ПРИКАЗЫВАЮ:", keep_with_next=True)
    for line in (
        "1. Закрепить наставнические пары (группы) по "
        "{% if several_forms %}формам{% else %}форме{% endif %} наставничества {{ forms_list }} "
        "в составе согласно приложению к настоящему приказу"
        "{% if groups %} ({{ pairs|plural('пара', 'пары', 'пар') }}, "
        "{{ groups|plural('группа', 'группы', 'групп') }}){% else %} "
        "({{ pairs|plural('пара', 'пары', 'пар') }}){% endif %}.",
        # A date ends with «г.», which ends the sentence too.
        "2. Установить срок наставничества с {{ started_on|date }} по {{ planned_end|date }}",
        "3. Наставникам совместно с наставляемыми в течение двух недель со дня издания "
        "настоящего приказа разработать индивидуальные планы развития на основе типового "
        "плана программы наставничества.",
    ):
        text_block(document, line)
    text_block(
        document,
        "4. Куратору программы наставничества{% if curator %} "
        "{{ curator|initials('dative') }}{% endif %}:",
        keep_with_next=True,
    )
    for line in (
        "4.1. ознакомить с настоящим приказом наставников, наставляемых и законных "
        "представителей несовершеннолетних наставляемых;",
        "4.2. организовать сопровождение работы наставнических пар (групп) и мониторинг "
        "реализации программы наставничества"
        "{% if support_count %};{% else %}.{% endif %}",
    ):
        text_block(document, line)
    tag(document, "if support_count")
    text_block(
        document,
        "4.3. организовать психолого-педагогическое сопровождение наставляемых, не "
        "закреплённых за наставниками ({{ support_count }} чел.), и продолжить подбор "
        "наставников для них.",
    )
    tag(document, "endif")
    text_block(document, "5. Контроль за исполнением приказа оставляю за собой.")
    director_signature(document)
    paragraph(document)
    paragraph(document, "С приказом ознакомлены:", keep_with_next=True)
    acquainted_signatures(document)

    appendix_heading(
        document,
        "СОСТАВ НАСТАВНИЧЕСКИХ ПАР (ГРУПП)",
        "{{ org.short_name }} на {{ academic_year }} учебный год",
    )
    grid_table(
        document,
        (10, 40, 42, 26, 26, TEXT_WIDTH.mm - 144),
        (
            "№ п/п",
            "Наставник",
            "Наставляемый (наставляемые)",
            "Форма наставничества",
            "Ролевая модель",
            "Срок наставничества",
        ),
        (
            ("{%tr for row in rows %}",),
            (
                "{{ row.number }}",
                "{{ row.mentor }}",
                "{{ row.mentees }}",
                "{{ row.form }}",
                "{{ row.role_model }}",
                "{{ row.term }}",
            ),
            ("{%tr endfor %}",),
        ),
    )
    return save_reproducibly(document)


TEMPLATES: dict[str, Callable[[], bytes]] = {
    "order_pairs.docx": build_order_pairs,
    "order_appoint_curator.docx": build_order_appoint_curator,
    "consent_adult.docx": build_consent_adult,
    "consent_guardian.docx": build_consent_guardian,
    "consent_bundle.docx": build_consent_bundle,
    "order_programme_approval.docx": build_order_programme_approval,
    "programme.docx": build_programme,
    "roadmap.docx": build_roadmap,
    "order_mentor_registry.docx": build_order_mentor_registry,
}

# The templates of later stages live in their own modules here (each app's own), each with a
# TEMPLATES dict; imported on demand, as they import their helpers from this module.
APP_TEMPLATE_MODULES = ("mentorships", "plans", "awards", "monitoring")


def all_templates() -> dict[str, Callable[[], bytes]]:
    found = dict(TEMPLATES)
    for module in APP_TEMPLATE_MODULES:
        found.update(import_module(f"nastavnik.documents.templates_{module}").TEMPLATES)
    return found


def main() -> None:
    TEMPLATES_DIR.mkdir(exist_ok=True)
    for name, build in all_templates().items():
        path = TEMPLATES_DIR / name
        path.write_bytes(build())
        sys.stdout.write(f"wrote {path}\n")


if __name__ == "__main__":
    # Run through the package's module, not this `__main__` copy: the per-app template modules
    # import their helpers from `nastavnik.documents.build_templates`.
    import_module("nastavnik.documents.build_templates").main()
