"""The kinds of orders (приказы) and, for each, how its document is made and what signing it
does.

An app that issues an order of some kind adds its spec here: the DOCX template (written in
``documents/build_templates.py``), the function that fills it, and optionally the function that
runs when the director signs it (inside the signing transaction; a ValidationError there undoes
the signing). The functions are named by dotted path so that this module imports no app that
uses orders.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from nastavnik.accounts.models import User
    from nastavnik.documents.compose import Part
    from nastavnik.orders.models import Order


class OrderKind(models.TextChoices):
    PROGRAMME_APPROVAL = "programme_approval", _("Approval of the programme and its roadmap")
    CURATOR_APPOINTMENT = "curator_appointment", _("Appointment of the curator")
    MENTOR_REGISTRY = "mentor_registry", _("Approval of the mentor registry")
    PAIRS = "pairs", _("Fixing mentoring pairs and groups")
    MENTOR_REPLACEMENT = "mentor_replacement", _("Replacement of a mentor")
    EARLY_COMPLETION = "early_completion", _("Early completion of mentoring")
    AWARDS = "awards", _("Awards")


@dataclass(frozen=True)
class KindSpec:
    template: str
    # ``(order) -> dict``: the kind's part of the document context; the common part (the
    # organisation, number, date, place, signatory) is added by the orders app.
    context: str
    # ``(order, by) -> None``, run when the order is signed.
    on_sign: str = ""
    # ``(order) -> list[Part]``: the documents the order approves (files' bytes or documents in
    # memory), printed after it as its appendices 1, 2, … (in the order the order's text cites
    # them).
    appendices: str = ""

    def context_builder(self) -> Callable[[Order], dict[str, Any]]:
        return import_string(self.context)

    def sign_hook(self) -> Callable[[Order, User | None], None] | None:
        return import_string(self.on_sign) if self.on_sign else None

    def appendices_builder(self) -> Callable[[Order], Sequence[Part]] | None:
        return import_string(self.appendices) if self.appendices else None


KIND_SPECS: dict[str, KindSpec] = {
    OrderKind.PROGRAMME_APPROVAL: KindSpec(
        template="order_programme_approval.docx",
        context="nastavnik.programmes.documents.approval_order_context",
        on_sign="nastavnik.programmes.services.approval_order_signed",
        appendices="nastavnik.programmes.documents.approval_order_appendices",
    ),
    OrderKind.CURATOR_APPOINTMENT: KindSpec(
        template="order_appoint_curator.docx",
        context="nastavnik.programmes.documents.curator_order_context",
    ),
    OrderKind.PAIRS: KindSpec(
        template="order_pairs.docx",
        context="nastavnik.mentorships.documents.pairs_order_context",
        on_sign="nastavnik.matching.services.pairs_order_signed",
    ),
    OrderKind.MENTOR_REGISTRY: KindSpec(
        template="order_mentor_registry.docx",
        context="nastavnik.mentors.documents.registry_order_context",
        on_sign="nastavnik.mentors.services.registry_order_signed",
    ),
    # The winners are chosen before the order is drafted: signing it changes nothing more.
    OrderKind.AWARDS: KindSpec(
        template="order_awards.docx",
        context="nastavnik.awards.documents.awards_order_context",
    ),
    # Both apply when made (the draft is the record to sign): no sign hook.
    OrderKind.MENTOR_REPLACEMENT: KindSpec(
        template="order_mentor_replacement.docx",
        context="nastavnik.mentorships.documents.replacement_order_context",
    ),
    OrderKind.EARLY_COMPLETION: KindSpec(
        template="order_early_completion.docx",
        context="nastavnik.mentorships.documents.early_completion_order_context",
    ),
}


def spec_for(kind: str) -> KindSpec:
    try:
        return KIND_SPECS[kind]
    except KeyError:
        # A programming error, not bad input: the caller asked for a kind nobody implemented.
        raise LookupError(f"no document template is defined for orders of kind {kind!r}") from None
