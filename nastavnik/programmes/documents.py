"""The programme's documents: the programme, the roadmap, and the orders about them.

The context builders turn the data into what the DOCX templates (see
``documents/build_templates.py``) print: Russian text, lists already split, people as people
so the templates decline their names.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from docx.document import Document as DocxDocument

from nastavnik.catalogue.models import RoleModel
from nastavnik.documents.render import render_document, render_docx
from nastavnik.documents.russian import initials_name
from nastavnik.orders.documents import lower_first
from nastavnik.orders.models import Order
from nastavnik.programmes.models import (
    RESPONSIBLE_ROLE_DOCUMENT_NAMES,
    PlanSection,
    Programme,
    ProgrammeForm,
    RoadmapEvent,
)
from nastavnik.programmes.roadmap_template import STAGE_TEXTS
from nastavnik.programmes.schedule import format_period
from nastavnik.programmes.services import programme_of_order

PLAN_SECTION_NAMES = {
    PlanSection.GOAL: "Цель",
    PlanSection.TASK: "Задача",
    PlanSection.ACTIVITY: "Мероприятие",
}


def join_quoted(names: list[str]) -> str:
    """«А», «Б» и «В»."""
    quoted = [f"«{name}»" for name in names]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " и " + quoted[-1]


def _approval(programme: Programme) -> dict[str, Any] | None:
    order = programme.approval_order
    if order is None:
        return None
    return {"date": order.date, "number": order.number}


def _chosen_forms(programme: Programme) -> list[ProgrammeForm]:
    return list(
        programme.chosen_forms.select_related("form").prefetch_related(
            Prefetch(
                "role_models",
                queryset=RoleModel.objects.order_by("order", "name"),
                to_attr="chosen_role_models",
            ),
            "plan_items",
        )
    )


def _team(programme: Programme) -> list[dict[str, Any]]:
    return [
        {
            "person": member.person,
            "position": lower_first(member.person.position),
            "responsibility": member.responsibility,
        }
        for member in programme.team.select_related("person")
    ]


def _agreement(partner: Any) -> str:
    parts = []
    if partner.agreement_number or partner.agreement_date:
        text = "Соглашение"
        if partner.agreement_number:
            text += f" № {partner.agreement_number}"
        if partner.agreement_date:
            text += f" от {partner.agreement_date:%d.%m.%Y}"
        parts.append(text)
    if partner.agreement_until:
        parts.append(f"действует до {partner.agreement_until:%d.%m.%Y}")
    return ", ".join(parts)


def programme_context(programme: Programme) -> dict[str, Any]:
    forms = _chosen_forms(programme)
    curator = programme.curator
    return {
        "org": programme.organisation,
        "academic_year": programme.academic_year.label,
        "approval": _approval(programme),
        "note": programme.note_paragraphs,
        "goal": programme.goal.strip(),
        "tasks": programme.task_list,
        "results": programme.result_list,
        "forms_list": join_quoted([chosen.form.name for chosen in forms]),
        "forms": [
            {
                "name": chosen.form.name,
                "goal": chosen.goal.strip(),
                "tasks": chosen.task_list,
                "results": chosen.result_list,
                "role_models": [
                    {"name": model.name, "goal": lower_first(model.goal)}
                    for model in chosen.chosen_role_models
                ],
                "plan": [
                    {
                        "section": PLAN_SECTION_NAMES[PlanSection(item.section)],
                        "text": item.text,
                        "timing": item.timing,
                    }
                    for item in chosen.plan_items.all()
                ],
            }
            for chosen in forms
        ],
        "curator": curator,
        "curator_position": lower_first(curator.position) if curator else "",
        "team": _team(programme),
        "partners": [
            {
                "name": partner.name,
                "contribution": partner.contribution,
                "contacts": ", ".join(
                    p for p in (partner.contact_person, partner.phone, partner.email) if p
                ),
                "agreement": _agreement(partner),
            }
            for partner in programme.partners.all()
        ],
    }


def responsible_text(event: RoadmapEvent) -> str:
    """«Куратор программы, педагог-психолог» and the person in charge, if one is named."""
    names = [RESPONSIBLE_ROLE_DOCUMENT_NAMES[role] for role in event.responsible_roles]
    text = ", ".join([names[0], *(lower_first(n) for n in names[1:])]) if names else ""
    person = event.responsible_person
    if person is not None:
        short = initials_name(person.last_name, person.first_name, person.middle_name)
        text = f"{text} ({short})" if text else short
    return text


def roadmap_stages(programme: Programme) -> list[dict[str, Any]]:
    events = list(programme.events.select_related("responsible_person"))
    stages = []
    number = 0
    for stage, text in STAGE_TEXTS.items():
        rows = []
        for event in (e for e in events if e.stage == stage):
            number += 1
            rows.append(
                {
                    "number": number,
                    "title": event.title,
                    "period": format_period(event.starts_on, event.due_on),
                    "responsible": responsible_text(event),
                    "event": event,
                }
            )
        if rows:
            stages.append(
                {
                    "number": stage,
                    "title": text.title,
                    "task": text.task,
                    "result": text.result,
                    "events": rows,
                }
            )
    return stages


def roadmap_context(programme: Programme) -> dict[str, Any]:
    return {
        "org": programme.organisation,
        "academic_year": programme.academic_year.label,
        "approval": _approval(programme),
        "stages": roadmap_stages(programme),
    }


def render_programme(programme: Programme) -> bytes:
    return render_docx("programme.docx", programme_context(programme))


def render_roadmap(programme: Programme) -> bytes:
    return render_docx("roadmap.docx", roadmap_context(programme))


# --- Orders (named in orders.kinds) -----------------------------------------------------------


def approval_order_context(order: Order) -> dict[str, Any]:
    programme = programme_of_order(order)
    forms = programme.chosen_forms.select_related("form")
    team = _team(programme)
    curator = programme.curator
    acquainted = [curator] if curator else []
    acquainted += [m["person"] for m in team if m["person"] != curator]
    return {
        "academic_year": programme.academic_year.label,
        "forms_list": join_quoted([chosen.form.name for chosen in forms]),
        "curator": curator,
        "curator_position": lower_first(curator.position) if curator else "",
        "team": team,
        "control_point": 7 if team else 6,
        "acquainted": acquainted,
    }


def approval_order_appendices(order: Order) -> list[DocxDocument]:
    """What the approving order approves: the programme (appendix 1) and its roadmap (2), as
    documents in memory for the order to take in."""
    programme = programme_of_order(order)
    return [
        render_document("programme.docx", programme_context(programme)),
        render_document("roadmap.docx", roadmap_context(programme)),
    ]


def curator_order_context(order: Order) -> dict[str, Any]:
    programme = programme_of_order(order)
    curator = programme.curator
    return {
        "academic_year": programme.academic_year.label,
        "curator": curator,
        "curator_position": lower_first(curator.position) if curator else "",
        "deadline": None,
    }
