"""Filling an order's DOCX: the part every order shares, plus the part of its kind."""

from __future__ import annotations

import re
from typing import Any

from nastavnik.documents.render import render_docx
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


def render_order(order: Order) -> bytes:
    return render_docx(spec_for(order.kind).template, order_context(order))
