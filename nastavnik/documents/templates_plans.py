"""DOCX templates of the plans app. Built by `python -m nastavnik.documents.build_templates`
(which imports this module last); never import this module on its own."""

from __future__ import annotations

from collections.abc import Callable


def build_development_plan() -> bytes:
    """Индивидуальный план развития наставнической пары (группы), stage 6 of the programme.

    Context: ``org``, ``academic_year``, ``form``, ``role_model``, ``is_group``, ``mentor``
    (a person) and ``mentor_line`` (the name with the class or position), ``mentees``
    (people) and ``mentee_lines``, ``started_on`` and ``planned_end`` (dates), ``curator``
    (a person or None), ``signers`` (each: ``role``, ``person``), ``sections`` (each:
    ``title``, ``rows`` (``number``, ``text``, ``due_on`` (a date or None),
    ``responsible``, ``status``, ``result``)).
    """
    # Imported here: build_templates imports this module at its end, whichever way it runs.
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from nastavnik.documents.build_templates import (
        TEXT_WIDTH,
        grid_table,
        letterhead,
        new_document,
        paragraph,
        save_reproducibly,
        signature_rows,
        tag,
    )

    document = new_document("Индивидуальный план развития")
    letterhead(document)
    paragraph(document)
    for text in ("УТВЕРЖДАЮ", "Куратор программы наставничества"):
        paragraph(document, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(
        document,
        "____________ {% if curator %}{{ curator|signature }}{% endif %}",
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )
    paragraph(document, "«___» ____________ 20___ г.", align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(document)
    for line in (
        "ИНДИВИДУАЛЬНЫЙ ПЛАН РАЗВИТИЯ",
        "{% if is_group %}наставнической группы{% else %}наставнической пары{% endif %} "
        "на {{ academic_year }} учебный год",
    ):
        paragraph(document, line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(document)
    paragraph(document, "Форма наставничества: {{ form }}")
    tag(document, "if role_model")
    paragraph(document, "Ролевая модель: {{ role_model }}")
    tag(document, "endif")
    paragraph(document, "Наставник: {{ mentor_line }}")
    paragraph(
        document,
        "{% if mentee_lines|length > 1 %}Наставляемые{% else %}Наставляемый{% endif %}: "
        "{{ mentee_lines|join('; ') }}",
    )
    paragraph(document, "Срок наставничества: с {{ started_on|date }} по {{ planned_end|date }}")
    paragraph(document)
    grid_table(
        document,
        (10, 62, 25, 30, TEXT_WIDTH.mm - 127),
        ("№ п/п", "Содержание", "Срок", "Ответственный", "Отметка о выполнении"),
        (
            ("{%tr for section in sections %}",),
            ("*{{ section.title }}",),
            ("{%tr for item in section.rows %}",),
            (
                "{{ item.number }}",
                "{{ item.text }}",
                "{{ item.due_on|date_short if item.due_on else '—' }}",
                "{{ item.responsible }}",
                "{{ item.status }}{% if item.result %}: {{ item.result }}{% endif %}",
            ),
            ("{%tr endfor %}",),
            ("{%tr endfor %}",),
        ),
    )
    paragraph(document)
    paragraph(document, "С планом ознакомлены и согласны:", keep_with_next=True)
    signature_rows(
        document,
        (45, 35, TEXT_WIDTH.mm - 80),
        (
            ("{{ signer.role }}", "left"),
            ("____________", "center"),
            ("{{ signer.person|signature }}", "right"),
        ),
        "for signer in signers",
    )
    return save_reproducibly(document)


TEMPLATES: dict[str, Callable[[], bytes]] = {"development_plan.docx": build_development_plan}
