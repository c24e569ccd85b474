"""Filling an order's DOCX: the part every order shares, plus the part of its kind."""

from __future__ import annotations

import re
from typing import Any

from nastavnik.documents.compose import Appendix, compose
from nastavnik.documents.render import render_document
from nastavnik.documents.russian import format_date, typography
from nastavnik.orders.kinds import spec_for
from nastavnik.orders.models import Order
from nastavnik.orgs.models import Organisation

# A settlement in an address: «г. Первоуральск», «пос. Билимбай», «пгт Белоярский», «с. Кунара».
# «д.» is left out: in an address it is far more often a house than a village.
_PLACE = re.compile(r"(?:^|,)\s*((?:г\.|пгт\.?|пос\.|п\.|с\.|ст-ца|рп\.?)\s*[^,]+)")


def place_of(organisation: Organisation) -> str:
    """Where orders are issued, from the organisation's address; empty when it is not found."""
    match = _PLACE.search(organisation.address or "")
    return " ".join(match.group(1).split()) if match else ""


def lower_first(text: str) -> str:
    """A position as it reads inside a sentence: «Учитель математики» → «учитель математики»,
    but «ИП …» and other abbreviations stay as they are."""
    text = text.strip()
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def order_context(order: Order) -> dict[str, Any]:
    context: dict[str, Any] = {
        "org": order.organisation,
        "number": order.number,
        "date": order.date,
        "title": order.title,
        "place": place_of(order.organisation),
        "director": order.signatory,
        "director_position": order.signatory_position,
    }
    context.update(spec_for(order.kind).context_builder()(order))
    return context


def appendix_heading(order: Order, number: int) -> str:
    """«Приложение № 1 к приказу от 2 сентября 2025 г. № 45-о», with the non-breaking spaces
    the rest of the document has (the heading is added after the order is typeset)."""
    return typography(
        f"Приложение № {number} к приказу от {format_date(order.date)} № {order.number}"
    )


def _letterhead(organisation: Organisation) -> bytes | None:
    if not organisation.letterhead:
        return None
    with organisation.letterhead.open("rb") as stored:
        return stored.read()


def render_order(order: Order) -> bytes:
    """The order as one DOCX: the organisation's own blank at its head when it has uploaded
    one, then the order, then the documents it approves as numbered appendices."""
    spec = spec_for(order.kind)
    document = render_document(spec.template, order_context(order))
    builder = spec.appendices_builder()
    appendices = [
        Appendix(appendix_heading(order, number), content)
        for number, content in enumerate(builder(order) if builder else [], start=1)
    ]
    return compose(document, blank=_letterhead(order.organisation), appendices=appendices)
