"""The monitoring report of a programme year (DESIGN §6: «monitoring report: stage 1 (with
SWOT), stage 2, indicators»), built directly with python-docx on the project's page layout.

Its sections grow with the data (a table row per form, a chart when there is something to
draw), which a fixed template expresses badly; the page, fonts and tables are the documents
app's own (`new_document`, `grid_table`, …), so it looks like every other document. The text is
Russian content, not interface text. A section without data says «Нет данных за этот год».
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from django.utils import translation
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Mm

from nastavnik.catalogue.models import KIND_DOCUMENT_NAMES
from nastavnik.documents.build_templates import (
    HEADER_SIZE,
    TEXT_WIDTH,
    grid_table,
    heading,
    new_document,
    paragraph,
    text_block,
)
from nastavnik.documents.render import document_bytes, requisites
from nastavnik.documents.russian import format_date, format_date_short
from nastavnik.indicators.charts import Chart
from nastavnik.indicators.compute import Indicators, Share
from nastavnik.indicators.numbers import rounded
from nastavnik.indicators.year import YearData
from nastavnik.monitoring.models import Quadrant, SwotItem

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NO_DATA = "Нет данных за этот год."

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

QUADRANT_TITLES = {
    Quadrant.STRENGTHS: "Сильные стороны",
    Quadrant.WEAKNESSES: "Слабые стороны",
    Quadrant.OPPORTUNITIES: "Возможности",
    Quadrant.THREATS: "Угрозы",
}


def _clean(text: object) -> str:
    # A character XML forbids (pasted from elsewhere) would make Word refuse the whole file.
    return _XML_ILLEGAL.sub("", str(text))


def _number(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    return str(rounded(value, decimals)).replace(".", ",")


def _share(share: Share) -> str:
    if share.percent is None:
        return "—"
    return f"{_number(share.percent)} % ({share.part} из {share.whole})"


def _target(value: int | None) -> str:
    return "—" if value is None else f"не менее {value} %"


def _table(
    document: DocumentObject, widths: tuple[float, ...], header: tuple[str, ...], rows: Sequence
) -> None:
    grid_table(document, widths, header, tuple(tuple(_clean(cell) for cell in row) for row in rows))


def _chart(document: DocumentObject, chart: Chart | None) -> None:
    if chart is None:
        return
    paragraph(document)
    para = paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER)
    para.add_run().add_picture(io.BytesIO(chart.png()), width=Mm(TEXT_WIDTH.mm - 5))
    paragraph(document, _clean(chart.title), size=HEADER_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)


def _title_page(document: DocumentObject, data: YearData) -> None:
    programme = data.programme
    lines = requisites(programme.organisation)
    for number, line in enumerate(lines):
        paragraph(
            document,
            _clean(line),
            bold=number == 0,
            size=HEADER_SIZE,
            align=WD_ALIGN_PARAGRAPH.CENTER,
        )
    for _blank in range(8):
        paragraph(document)
    paragraph(document, "ОТЧЁТ", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(
        document,
        "о мониторинге реализации программы наставничества",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    paragraph(
        document,
        f"за {programme.academic_year.label} учебный год",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    for _blank in range(6):
        paragraph(document)
    if programme.curator is not None:
        paragraph(
            document,
            _clean(f"Куратор программы: {programme.curator.full_name}"),
            align=WD_ALIGN_PARAGRAPH.RIGHT,
        )
    paragraph(document, f"Составлен {format_date(data.today)}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)


def _indicators(document: DocumentObject, data: YearData, charts: dict[str, Chart]) -> None:
    ind: Indicators = data.indicators
    heading(document, "1. Показатели внедрения целевой модели наставничества")
    if ind.is_empty:
        text_block(document, NO_DATA)
        return
    coverage = ind.coverage
    _table(
        document,
        (85, 45, 35),
        ("Показатель", "Значение", "Цель"),
        (
            (
                "Охват обучающихся наставничеством",
                _share(coverage.students),
                _target(coverage.students_target),
            ),
            (
                "Охват педагогических работников наставничеством",
                _share(coverage.teachers),
                _target(coverage.teachers_target),
            ),
            ("Наставнических пар", str(ind.pairs), ""),
            ("Наставнических групп", str(ind.groups), ""),
            ("Работают сейчас", str(ind.active), ""),
            ("Завершили работу по плану (из завершивших)", _share(ind.completion), ""),
            ("Завершили досрочно", str(ind.completed_early), ""),
            ("Прекращены", str(ind.terminated), ""),
            ("Средняя удовлетворённость участников (1–10)", _number(ind.mean_satisfaction), ""),
            ("Просроченные мероприятия дорожной карты", str(ind.overdue_events), ""),
            ("Обучающиеся без необходимых согласий", str(ind.consents_missing), ""),
        ),
    )
    paragraph(document)
    text_block(document, "Наставнические пары и группы по формам и ролевым моделям:")
    if ind.by_form:
        _table(
            document,
            (60, 65, 20, 20),
            ("Форма", "Ролевая модель", "Пары", "Группы"),
            [(r.form, r.role_model or "—", str(r.pairs), str(r.groups)) for r in ind.by_form],
        )
    else:
        text_block(document, NO_DATA)
    paragraph(document)
    text_block(document, "Наставнические пары и группы по видам наставничества:")
    if ind.by_kind:
        _table(
            document,
            (125, 20, 20),
            ("Вид наставничества", "Пары", "Группы"),
            [
                (KIND_DOCUMENT_NAMES.get(r.kind, r.kind), str(r.pairs), str(r.groups))
                for r in ind.by_kind
            ],
        )
    else:
        text_block(document, NO_DATA)
    _chart(document, charts.get("coverage"))


def _stage_one(document: DocumentObject, data: YearData, charts: dict[str, Chart]) -> None:
    heading(document, "2. Этап 1. Оценка качества процесса реализации программы")
    if data.satisfaction:
        text_block(
            document,
            "Удовлетворённость наставников и наставляемых по формам наставничества "
            "(средняя оценка по шкале от 1 до 10):",
        )
        _table(
            document,
            (95, 25, 25, 20),
            ("Форма", "Средняя оценка", "Ответов", "Анкет"),
            [
                (r.label, _number(r.mean), str(r.answers), str(r.respondents))
                for r in data.satisfaction
            ],
        )
        _chart(document, charts.get("satisfaction"))
    else:
        text_block(document, NO_DATA)
    paragraph(document)
    paragraph(document, "SWOT-анализ", bold=True, keep_with_next=True)
    items = list(
        SwotItem.objects.filter(analysis__programme=data.programme).order_by(
            "quadrant", "position", "pk"
        )
    )
    if not items:
        text_block(document, NO_DATA)
        return
    by_quadrant: dict[str, list[str]] = {
        q: [i.text for i in items if i.quadrant == q] for q in QUADRANT_TITLES
    }

    def lines(quadrant: str) -> str:
        return "\n".join(f"• {text}" for text in by_quadrant[quadrant]) or "—"

    half = TEXT_WIDTH.mm / 2
    for left, right in (
        (Quadrant.STRENGTHS, Quadrant.WEAKNESSES),
        (Quadrant.OPPORTUNITIES, Quadrant.THREATS),
    ):
        _table(
            document,
            (half, half),
            (QUADRANT_TITLES[left], QUADRANT_TITLES[right]),
            ((lines(left), lines(right)),),
        )


def _stage_two(document: DocumentObject, data: YearData, charts: dict[str, Chart]) -> None:
    heading(document, "3. Этап 2. Оценка влияния программы на участников")
    if not data.impact:
        text_block(document, NO_DATA)
        return
    text_block(
        document,
        "Средние значения параметров при входе в программу и при выходе из неё "
        "(участники, измеренные оба раза):",
    )
    _table(
        document,
        (65, 20, 25, 25, 30),
        ("Параметр", "Участников", "Вход", "Выход", "Изменение"),
        [
            (r.label, str(r.n), _number(r.before, 2), _number(r.after, 2), r.change_text)
            for r in data.impact
        ],
    )
    for row in data.impact:
        if row.reading:
            text_block(document, _clean(row.reading))
    _chart(document, charts.get("impact"))


def _snapshots(document: DocumentObject, data: YearData) -> None:
    heading(document, "4. Оценка эффективности за полугодие (не позднее 30 сентября и 30 марта)")
    if not data.snapshots:
        text_block(document, NO_DATA)
        return
    _table(
        document,
        (30, 35, 35, 20, 45),
        ("Дата", "Охват обучающихся", "Охват педагогов", "Пар и групп", "Удовлетворённость"),
        [
            (
                format_date_short(s.taken_on),
                _number(s.indicators.coverage.students.percent) + " %",
                _number(s.indicators.coverage.teachers.percent) + " %",
                str(s.indicators.pairs + s.indicators.groups),
                _number(s.indicators.mean_satisfaction),
            )
            for s in data.snapshots
        ],
    )


def monitoring_report(data: YearData) -> bytes:
    programme = data.programme
    document = new_document(
        f"Отчёт о мониторинге программы наставничества {programme.academic_year.label}"
    )
    document.core_properties.comments = ""
    with translation.override("ru"):
        charts = data.charts()
        _title_page(document, data)
        _indicators(document, data, charts)
        _stage_one(document, data, charts)
        _stage_two(document, data, charts)
        _snapshots(document, data)
    return document_bytes(document)
