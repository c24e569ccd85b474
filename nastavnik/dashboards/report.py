"""The regional report as a ministry asks for it: the targets, a summary in words, a table per
municipality and per organisation (coverage against the target, pairs and groups, completion,
satisfaction, overdue events, missed half-year assessments, compliance), pairs by form and by
kind, and the entry/exit impact — as DOCX (to read and sign) and XLSX (to add up).

Aggregates only: every count of people goes through `suppression`, so a cell of fewer than five
reads «< 5» here exactly as on the page. The text is Russian content (as the monitoring report
is), not interface text.
"""

from __future__ import annotations

import re
from typing import Any

from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.shared import Mm
from openpyxl import Workbook

from nastavnik.dashboards.region import OrgFigures, RegionFigures
from nastavnik.dashboards.suppression import (
    SUPPRESSED,
    PercentCell,
    count_cell,
    is_small,
    mean_cell,
    percent_cell,
)
from nastavnik.documents.build_templates import grid_table, heading, new_document, text_block
from nastavnik.documents.render import document_bytes
from nastavnik.documents.russian import format_date, plural_form, pluralize
from nastavnik.documents.spreadsheet import table_sheet, workbook_bytes

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

ORG_HEADER = (
    "Муниципалитет",
    "Организация",
    "Обучающихся",
    "В наставничестве",
    "Охват, %",
    "Цель, %",
    "Педагогов",
    "В наставничестве",
    "Охват, %",
    "Цель, %",
    "Пар",
    "Групп",
    "Завершено, %",
    "Удовлетворённость",
    "Просрочено событий",
    "Полугодовая оценка",
    "Нарушений",
)


def _clean(text: object) -> str:
    return _XML_ILLEGAL.sub("", str(text))


def _text(value: Any) -> str:
    """A cell of the DOCX: numbers with a decimal comma, nothing as a dash."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return _clean(value)


def org_row(o: OrgFigures, municipality: str) -> list[Any]:
    """One row of the table, suppressed: what both files show for an organisation or a total."""
    return [
        municipality,
        o.name,
        count_cell(o.students),
        count_cell(o.students_covered),
        percent_cell(o.students_covered, o.students),
        o.students_target,
        count_cell(o.staff),
        count_cell(o.staff_covered),
        percent_cell(o.staff_covered, o.staff),
        o.teachers_target,
        count_cell(o.pairs),
        count_cell(o.groups),
        percent_cell(o.completed, o.ended),
        mean_cell(o.satisfaction, o.respondents),
        o.overdue_events,
        ("пропущена" if o.half_year_missed else "проведена") if o.name else None,
        o.compliance,
    ]


def by_municipality(figures: RegionFigures) -> list[OrgFigures]:
    """The organisations summed by municipality, in the order of their names."""
    towns: dict[str, OrgFigures] = {}
    for o in figures.organisations:
        town = towns.setdefault(o.municipality, OrgFigures(0, "", o.municipality, ""))
        town.add(o)
        town.half_year_missed = town.half_year_missed or o.half_year_missed
    for town in towns.values():
        town.students_target = figures.total.students_target
        town.teachers_target = figures.total.teachers_target
    return list(towns.values())


def _share_words(part: int, whole: int) -> str:
    cell: PercentCell = percent_cell(part, whole)
    if cell is None:
        return "нет данных"
    if cell == SUPPRESSED:
        return "не раскрывается (менее 5 человек)"
    return f"{_text(cell)} %"


def summary(figures: RegionFigures) -> list[str]:
    """The text summary in Russian, with the counted words in the right form."""
    total = figures.total
    n = len(figures.organisations)
    towns = len({o.municipality for o in figures.organisations})
    organisations = pluralize(n, "организацию", "организации", "организаций")
    municipalities = pluralize(towns, "муниципалитета", "муниципалитетов", "муниципалитетов")
    lines = [
        f"Отчёт охватывает {organisations} из {municipalities} за {figures.year_label} "
        f"учебный год (данные на {format_date(figures.today)})."
    ]
    target = figures.region_target
    goal = (
        f" при целевом значении не менее {target.students_percent} % обучающихся и "
        f"{target.teachers_percent} % педагогов"
        if target
        else ""
    )
    lines.append(
        "Охват наставничеством: обучающихся — "
        f"{_share_words(total.students_covered, total.students)}, педагогов — "
        f"{_share_words(total.staff_covered, total.staff)}{goal}."
    )
    met = [
        o
        for o in figures.organisations
        if o.students_target is not None
        and not is_small(o.students_covered)
        and o.students
        and 100 * o.students_covered / o.students >= o.students_target
    ]
    lines.append(
        f"Целевого охвата обучающихся достигли {len(met)} из "
        f"{pluralize(n, 'организации', 'организаций', 'организаций')}."
    )
    lines.append(
        f"Наставнических пар: {count_cell(total.pairs)}, групп: {count_cell(total.groups)}."
    )
    missed = figures.missed_half_year
    if missed:
        lines.append(
            f"Полугодовая оценка эффективности к {format_date(figures.half_year_deadline)} "
            f"не проведена в {pluralize(missed, 'организации', 'организациях', 'организациях')}."
            if figures.half_year_deadline
            else ""
        )
    overdue = total.overdue_events
    if overdue:
        word = plural_form(overdue, "событие", "события", "событий")
        lines.append(f"Просрочено {overdue} {word} дорожных карт.")
    lines.append(
        "Показатели менее чем по 5 человекам не раскрываются и обозначены «< 5», "
        "чтобы нельзя было установить конкретного участника."
    )
    return [line for line in lines if line]


# --- XLSX ------------------------------------------------------------------------------------


def region_xlsx(figures: RegionFigures) -> bytes:
    workbook = Workbook(write_only=True)
    table_sheet(workbook, "Сводка", ("Сводка",), [[line] for line in summary(figures)])
    target = figures.region_target
    table_sheet(
        workbook,
        "Целевые показатели",
        ("Год", "Обучающиеся, %", "Педагоги, %"),
        [[figures.year_label, target.students_percent, target.teachers_percent]] if target else [],
    )
    towns = by_municipality(figures)
    table_sheet(
        workbook,
        "Муниципалитеты",
        ORG_HEADER,
        [
            *(org_row(t, t.municipality) for t in towns),
            ["Итого", "—", *org_row(figures.total, "")[2:]],
        ],
    )
    table_sheet(
        workbook,
        "Организации",
        ORG_HEADER,
        (org_row(o, o.municipality) for o in figures.organisations),
    )
    table_sheet(
        workbook,
        "Формы",
        ("Форма", "Ролевая модель", "Пар", "Групп"),
        (
            [f.form, f.role_model, count_cell(f.pairs), count_cell(f.groups)]
            for f in figures.by_form
        ),
    )
    table_sheet(
        workbook,
        "Виды",
        ("Вид наставничества", "Пар", "Групп"),
        ([k.label, count_cell(k.pairs), count_cell(k.groups)] for k in figures.by_kind),
    )
    table_sheet(
        workbook,
        "Входная и выходная оценка",
        ("Параметр", "Участников", "Среднее изменение"),
        (
            [i.parameter, count_cell(i.people), mean_cell(i.mean_change, i.people)]
            for i in figures.impact
        ),
    )
    return workbook_bytes(workbook)


# --- DOCX ------------------------------------------------------------------------------------


def _landscape(document: DocumentObject) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(15), Mm(15)


ORG_WIDTHS = (24.0, 34.0, 14, 14, 12, 11, 13, 14, 12, 11, 11, 11, 14, 16, 14, 16, 16)


def region_docx(figures: RegionFigures, title: str) -> bytes:
    document = new_document(title)
    document.core_properties.comments = ""
    _landscape(document)
    heading(document, title)
    for line in summary(figures):
        text_block(document, line)
    heading(document, "Целевые показатели охвата")
    target = figures.region_target
    grid_table(
        document,
        (60.0, 60.0, 60.0),
        ("Учебный год", "Обучающиеся", "Педагоги"),
        (
            (
                figures.year_label,
                f"не менее {target.students_percent} %",
                f"не менее {target.teachers_percent} %",
            ),
        )
        if target
        else (("Целевые показатели не заданы",),),
    )
    heading(document, "Показатели по муниципалитетам")
    towns = by_municipality(figures)
    rows = [tuple(_text(c) for c in org_row(t, t.municipality)) for t in towns]
    rows.append(tuple(_text(c) for c in ["Итого", "", *org_row(figures.total, "")[2:]]))
    grid_table(document, ORG_WIDTHS, ORG_HEADER, tuple(rows))
    heading(document, "Показатели по организациям")
    grid_table(
        document,
        ORG_WIDTHS,
        ORG_HEADER,
        tuple(tuple(_text(c) for c in org_row(o, o.municipality)) for o in figures.organisations),
    )
    heading(document, "Пары и группы по формам и ролевым моделям")
    grid_table(
        document,
        (80.0, 100.0, 40.0, 40.0),
        ("Форма", "Ролевая модель", "Пар", "Групп"),
        tuple(
            (
                _clean(f.form),
                _clean(f.role_model) or "—",
                _text(count_cell(f.pairs)),
                _text(count_cell(f.groups)),
            )
            for f in figures.by_form
        )
        or (("Нет данных за этот год.",),),
    )
    heading(document, "Пары и группы по видам наставничества")
    grid_table(
        document,
        (140.0, 60.0, 60.0),
        ("Вид наставничества", "Пар", "Групп"),
        tuple(
            (k.label, _text(count_cell(k.pairs)), _text(count_cell(k.groups)))
            for k in figures.by_kind
        )
        or (("Нет данных за этот год.",),),
    )
    heading(document, "Входная и выходная оценка участников")
    grid_table(
        document,
        (140.0, 60.0, 60.0),
        ("Параметр", "Участников", "Среднее изменение"),
        tuple(
            (
                _clean(i.parameter),
                _text(count_cell(i.people)),
                _text(mean_cell(i.mean_change, i.people)),
            )
            for i in figures.impact
        )
        or (("Нет данных за этот год.",),),
    )
    return document_bytes(document)
