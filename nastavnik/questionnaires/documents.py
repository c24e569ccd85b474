"""Paper for survey rounds, built with python-docx: the printable questionnaire and the slips
with personal codes. Russian documents of a Russian school: their wording is content, not
interface text. PDF through `documents.render.docx_to_pdf`."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import segno
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from nastavnik.documents.render import document_bytes, typeset
from nastavnik.documents.russian import format_date
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import Person
from nastavnik.questionnaires.campaigns import Slip
from nastavnik.questionnaires.models import Campaign, Question, Questionnaire, QuestionType

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BOX = "☐"
CIRCLE = "○"
LINE = "_" * 60


def _document() -> Any:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(1.5)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    # Cyrillic text takes the east-Asian/complex font slots in some Word versions.
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    style.paragraph_format.space_after = Pt(4)
    return document


def _save(document: Any) -> bytes:
    return typeset(document_bytes(document))


def _hint(paragraph: Any, text: str) -> None:
    run = paragraph.add_run(text)
    run.italic = True
    run.font.size = Pt(10)


def _condition_text(
    question: Question, numbers: dict[str, int], by_code: dict[str, Question]
) -> str:
    source = by_code.get(question.show_if_code)
    if source is None:
        return ""
    answers = ", ".join(f"«{source.choice_label(v)}»" for v in question.show_if_values)
    return f"Ответьте, если в вопросе {numbers[source.code]} выбрали {answers}."


def _question(
    document: Any,
    question: Question,
    number: int,
    numbers: dict[str, int],
    by_code: dict[str, Question],
    pool: Sequence[Person],
) -> None:
    heading = document.add_paragraph()
    heading.paragraph_format.space_before = Pt(8)
    heading.paragraph_format.keep_with_next = True
    run = heading.add_run(f"{number}. {question.text}")
    run.bold = True
    if question.required:
        heading.add_run(" *")
    notes = [question.help_text] if question.help_text else []
    if question.show_if_code:
        notes.append(_condition_text(question, numbers, by_code))
    if question.type == QuestionType.MULTIPLE:
        notes.append("Можно отметить несколько вариантов.")
    if notes:
        hint = document.add_paragraph()
        hint.paragraph_format.keep_with_next = True
        _hint(hint, " ".join(n for n in notes if n))

    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        mark = CIRCLE if question.type == QuestionType.SINGLE else BOX
        for _value, label in question.choices:
            document.add_paragraph(f"{mark} {label}").paragraph_format.left_indent = Cm(0.75)
    elif question.type == QuestionType.SCALE:
        low, high = question.scale_range
        line = "   ".join(f"{CIRCLE} {p}" for p in range(low, high + 1))
        document.add_paragraph(line).paragraph_format.left_indent = Cm(0.75)
    elif question.type == QuestionType.RANKING:
        for place in question.rank_places:
            document.add_paragraph(f"{place}-е место: {'_' * 45}")
        if pool:
            listing = document.add_paragraph()
            _hint(listing, "Из списка: " + "; ".join(p.full_name for p in pool) + ".")
    elif question.type == QuestionType.LONG_TEXT:
        for _ in range(4):
            document.add_paragraph(LINE)
    elif question.type == QuestionType.DATE:
        document.add_paragraph("«____» ______________ 20___ г.")
    elif question.type == QuestionType.NUMBER:
        bounds = []
        if question.min_value is not None:
            bounds.append(f"от {question.min_value.normalize():f}")
        if question.max_value is not None:
            bounds.append(f"до {question.max_value.normalize():f}")
        suffix = f" ({' '.join(bounds)})" if bounds else ""
        document.add_paragraph(f"{'_' * 20}{suffix}")
    else:
        document.add_paragraph(LINE)


ANONYMOUS_FORM_NOTE = (
    "Анкета анонимная: не подписывайте её. Ответы вносятся без имени, а школа видит их только "
    "все вместе и лишь когда ответят достаточно человек."
)


def questionnaire_docx(
    questionnaire: Questionnaire,
    organisation: Organisation,
    *,
    pools: dict[str, list[Person]] | None = None,
    anonymous: bool = False,
) -> bytes:
    """The questionnaire to print and fill in by hand: every question, conditions in words.
    The form of an anonymous campaign asks for no name and says so."""
    document = _document()
    org = document.add_paragraph(organisation.name)
    org.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_run = title.add_run(questionnaire.title.upper())
    title_run.bold = True
    title_run.font.size = Pt(14)
    if questionnaire.intro:
        document.add_paragraph(questionnaire.intro)
    if anonymous:
        document.add_paragraph(ANONYMOUS_FORM_NOTE)
    else:
        document.add_paragraph("ФИО: " + "_" * 50 + "   Класс / должность: " + "_" * 12)
    _hint(document.add_paragraph(), "Вопросы, отмеченные звёздочкой (*), обязательны.")

    questions = list(questionnaire.questions.select_related("section"))
    questions.sort(key=lambda q: (q.section.position, q.position, q.pk))
    numbers = {q.code: n for n, q in enumerate(questions, start=1)}
    by_code = {q.code: q for q in questions}
    current_section = None
    for question in questions:
        if question.section_id != current_section:
            current_section = question.section_id
            if question.section.title:
                heading = document.add_paragraph()
                heading.paragraph_format.space_before = Pt(12)
                heading.paragraph_format.keep_with_next = True
                section_run = heading.add_run(question.section.title)
                section_run.bold = True
                section_run.font.size = Pt(13)
            if question.section.intro:
                _hint(document.add_paragraph(), question.section.intro)
        _question(
            document,
            question,
            numbers[question.code],
            numbers,
            by_code,
            (pools or {}).get(question.code, []),
        )
    closing = document.add_paragraph()
    closing.paragraph_format.space_before = Pt(16)
    closing.add_run("Спасибо за ответы!").italic = True
    return _save(document)


def _qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return buffer


def _cell_borders(cell: Any) -> None:
    """A dashed frame to cut the slips along."""
    properties = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for edge in ("top", "left", "bottom", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "dashed")
        element.set(qn("w:sz"), "6")
        element.set(qn("w:color"), "808080")
        borders.append(element)
    properties.append(borders)


def _slip(cell: Any, campaign: Campaign, slip: Slip) -> None:
    _cell_borders(cell)
    first = cell.paragraphs[0]
    first.add_run(campaign.organisation.short_name or campaign.organisation.name).font.size = Pt(9)
    name = cell.add_paragraph()
    name_run = name.add_run(slip.name)
    name_run.bold = True
    if slip.class_name:
        name.add_run(f", {slip.class_name} класс")
    about = cell.add_paragraph(f"Анкета «{campaign.title}»")
    about.runs[0].font.size = Pt(10)
    deadline = cell.add_paragraph(f"Ответить до {format_date(campaign.deadline)} включительно.")
    deadline.runs[0].font.size = Pt(10)
    address = cell.add_paragraph()
    address.add_run("Откройте ").font.size = Pt(10)
    address.add_run(slip.url).bold = True
    address.add_run(" и введите код:").font.size = Pt(10)
    code = cell.add_paragraph()
    code.alignment = WD_ALIGN_PARAGRAPH.CENTER
    code_run = code.add_run(slip.code)
    code_run.bold = True
    code_run.font.size = Pt(20)
    code_run.font.name = "Courier New"
    picture = cell.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run().add_picture(_qr_png(slip.qr_url), width=Cm(2.8))
    note = cell.add_paragraph("Или наведите камеру телефона на QR-код. Код действует один раз.")
    note.runs[0].font.size = Pt(8)


def slips_docx(campaign: Campaign, slips: Sequence[Slip]) -> bytes:
    """Slips to cut out and hand out, two a row."""
    document = _document()
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(1.2)
    section.top_margin = section.bottom_margin = Cm(1.2)
    columns = 2
    table = document.add_table(rows=0, cols=columns)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    row = None
    for index, slip in enumerate(slips):
        if index % columns == 0:
            row = table.add_row()
            row.height = Cm(8.6)
            # A slip is never split across pages.
            row_properties = row._tr.get_or_add_trPr()
            cant_split = OxmlElement("w:cantSplit")
            row_properties.append(cant_split)
        _slip(row.cells[index % columns], campaign, slip)  # type: ignore[union-attr]
    return _save(document)
