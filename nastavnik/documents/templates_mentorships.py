"""DOCX templates of the mentorships app. Built by `python -m nastavnik.documents.build_templates`
(which imports this module last); never import this module on its own."""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document as DocumentObject

from nastavnik.documents.build_templates import (
    acquainted_signatures,
    director_signature,
    letterhead,
    new_document,
    order_heading,
    paragraph,
    save_reproducibly,
    tag,
    text_block,
)

# Who the order concerns, in the genitive, after «наставника» / «в отношении»: one mentee with
# the class, or the group with its members.
_MENTEES_GENITIVE = (
    "{% if group %}наставнической группы в составе: "
    "{% for m in mentees %}{{ m.person|name }}{% if m.class_name %} ({{ m.class_name }}){% endif %}"
    "{% if not loop.last %}, {% endif %}{% endfor %}"
    "{% else %}{% for m in mentees %}"
    "{{ m.person|gendered('наставляемого', 'наставляемой') }} {{ m.person|genitive }}"
    "{% if m.class_name %} ({{ m.class_name }}){% endif %}{% endfor %}{% endif %}"
)

_REGULATION = "Положения о наставничестве {{ org.short_name }}"


def _acquainted(document: DocumentObject) -> None:
    paragraph(document)
    paragraph(document, "С приказом ознакомлены:", keep_with_next=True)
    acquainted_signatures(document)


def build_order_mentor_replacement() -> bytes:
    """Приказ «О замене наставника» (seed 002 §2.8: a mentor is replaced by an order of the
    director; the period of mentoring does not change).

    Context: ``org``, ``number``, ``date``, ``place``, ``title``, ``ground`` (the ground as a
    phrase: «в связи с …»), ``note`` (may be empty), ``on`` (the day the new mentor takes
    over), ``old_mentor`` and ``new_mentor`` (people; the old one may be None),
    ``old_position`` and ``new_position`` (nominative, lower case, may be empty), ``mentees``
    (each ``person`` and ``class_name``), ``group``, ``minors``, ``form``, ``started_on``,
    ``planned_end``, ``curator`` (a person or None), ``acquainted`` (people), ``director``,
    ``director_position``.
    """
    document = new_document("Приказ о замене наставника")
    letterhead(document)
    order_heading(document, "{{ title }}")
    text_block(
        document,
        "В соответствии с пунктом 2.8 " + _REGULATION + ", {{ ground }}"
        "{% if note %} ({{ note }}){% endif %}",
    )
    paragraph(document, "ПРИКАЗЫВАЮ:", keep_with_next=True)
    tag(document, "if old_mentor")
    text_block(
        document,
        "1. Освободить {{ old_mentor|accusative }}"
        "{% if old_position %}, {{ old_position|inflect('accusative') }},{% endif %} "
        "от обязанностей наставника " + _MENTEES_GENITIVE + " с {{ on|date }}",
    )
    tag(document, "endif")
    text_block(
        document,
        "{% if old_mentor %}2{% else %}1{% endif %}. Назначить наставником "
        + _MENTEES_GENITIVE
        + " (форма наставничества «{{ form }}») {{ new_mentor|accusative }}"
        "{% if new_position %}, {{ new_position|inflect('accusative') }},{% endif %} "
        "с {{ on|date }}",
    )
    text_block(
        document,
        "{% if old_mentor %}3{% else %}2{% endif %}. Период наставничества не изменяется: "
        "с {{ started_on|date }} по {{ planned_end|date }}",
    )
    text_block(
        document,
        "{% if old_mentor %}4{% else %}3{% endif %}. Куратору программы наставничества"
        "{% if curator %} {{ curator|initials('dative') }}{% endif %} ознакомить с настоящим "
        "приказом наставников и наставляемых"
        "{% if minors %}, законных представителей несовершеннолетних наставляемых{% endif %}; "
        "организовать внесение изменений в индивидуальный план развития.",
    )
    text_block(
        document,
        "{% if old_mentor %}5{% else %}4{% endif %}. Контроль за исполнением приказа оставляю "
        "за собой.",
    )
    director_signature(document)
    _acquainted(document)
    return save_reproducibly(document)


def build_order_early_completion() -> bytes:
    """Приказ «О досрочном завершении наставничества» (seed 002 §2.7: by agreement of the
    mentor and the curator, when the mentee mastered the competencies quickly).

    Context: ``org``, ``number``, ``date``, ``place``, ``title``, ``mentor`` (a person),
    ``mentor_position`` (nominative, lower case, may be empty), ``mentees`` (each ``person``
    and ``class_name``), ``group``, ``minors``, ``form``, ``started_on``, ``planned_end``,
    ``ended_on``, ``reason``, ``curator`` (a person or None), ``acquainted`` (people),
    ``director``, ``director_position``.
    """
    document = new_document("Приказ о досрочном завершении наставничества")
    letterhead(document)
    order_heading(document, "{{ title }}")
    text_block(
        document,
        "В соответствии с пунктом 2.7 " + _REGULATION + ", по согласованию с наставником и "
        "куратором программы наставничества",
    )
    paragraph(document, "ПРИКАЗЫВАЮ:", keep_with_next=True)
    text_block(
        document,
        "1. Завершить досрочно {{ ended_on|date }} наставничество {{ mentor|genitive }}"
        "{% if mentor_position %}, {{ mentor_position|inflect('genitive') }},{% endif %} "
        "в отношении "
        "{% if group %}наставнической группы в составе: {% for m in mentees %}{{ m.person|name }}"
        "{% if m.class_name %} ({{ m.class_name }}){% endif %}{% if not loop.last %}, {% endif %}"
        "{% endfor %}{% else %}{% for m in mentees %}{{ m.person|genitive }}"
        "{% if m.class_name %} ({{ m.class_name }}){% endif %}{% endfor %}{% endif %} "
        "(форма наставничества «{{ form }}», установленный срок — с {{ started_on|date }} по "
        "{{ planned_end|date }}).",
    )
    text_block(document, "Основание: {{ reason }}")
    text_block(
        document,
        "2. Куратору программы наставничества"
        "{% if curator %} {{ curator|initials('dative') }}{% endif %} внести сведения о "
        "результатах наставничества в базы наставников и наставляемых"
        "{% if minors %}, ознакомить с настоящим приказом законных представителей "
        "несовершеннолетних наставляемых{% endif %}.",
    )
    text_block(document, "3. Контроль за исполнением приказа оставляю за собой.")
    director_signature(document)
    _acquainted(document)
    return save_reproducibly(document)


TEMPLATES: dict[str, Callable[[], bytes]] = {
    "order_mentor_replacement.docx": build_order_mentor_replacement,
    "order_early_completion.docx": build_order_early_completion,
}
