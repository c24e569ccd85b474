"""Consent documents as DOCX: pre-filled forms to sign, copies of recorded consents, and a
whole list of missing forms in one file (a page per consent). All through the document engine,
so names are declined and dates written out the Russian way."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from nastavnik.consents.models import Consent, Method, Purpose
from nastavnik.consents.rules import signing_for
from nastavnik.consents.services import default_valid_until
from nastavnik.consents.texts import (
    DOCUMENT_VERSION,
    LAW,
    RELATION_INSTRUMENTAL,
    TEXTS,
    WITHDRAWAL,
)
from nastavnik.documents import russian
from nastavnik.documents.render import render_docx
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import GuardianLink, Person

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A passport from 14; before that the birth certificate is the child's document.
PASSPORT_AGE = 14


@dataclass(frozen=True)
class FormRequest:
    """One form to print: whose consent, for what, and who signs it (None: a blank line)."""

    subject: Person
    purpose: Purpose
    representative: GuardianLink | None = None
    valid_until: date | None = None


def _subject_document(subject: Person, on: date) -> str:
    age = subject.age_on(on)
    return "паспорт" if age is None or age >= PASSPORT_AGE else "свидетельство о рождении"


def form_item(request: FormRequest, on: date) -> dict[str, Any]:
    """A form to sign: today's texts, a blank date."""
    subject, purpose = request.subject, Purpose(request.purpose)
    text = TEXTS[purpose]
    signing = signing_for(subject, on)
    link = request.representative
    return {
        "representative_form": signing.minor,
        "heading": text.heading,
        "clause": text.guardian_clause if signing.minor else text.adult_clause,
        "articles": text.articles,
        "law": LAW,
        "subject": subject,
        "subject_birth_date": subject.birth_date,
        "subject_document": _subject_document(subject, on),
        "representative": link.guardian if link else None,
        "relation": RELATION_INSTRUMENTAL.get(link.relation, "") if link else "",
        "authority_document": "",
        "minor_signs": signing.minor_signs,
        "purpose": text.purpose,
        "data": text.data,
        "actions": text.actions,
        "conditions": text.conditions,
        "valid_until": request.valid_until or default_valid_until(subject, on),
        "given_on": None,
        "withdrawal": WITHDRAWAL,
        "version": DOCUMENT_VERSION,
        "electronic": None,
    }


def record_item(consent: Consent) -> dict[str, Any]:
    """A copy of a recorded consent, from the texts it was given under."""
    subject, given_by = consent.subject, consent.given_by
    text = TEXTS[Purpose(consent.purpose)]
    representative = consent.by_representative
    relation = ""
    if representative:
        link = GuardianLink.objects.filter(guardian=given_by, child=subject).first()
        relation = RELATION_INSTRUMENTAL.get(link.relation, "") if link else ""
    electronic = None
    if consent.method == Method.ELECTRONIC:
        electronic = {
            "signed_name": consent.signed_name,
            "signed_at": russian.format_date(consent.recorded_at)
            + timezone.localtime(consent.recorded_at).strftime(" %H:%M"),
            "ip": consent.signed_ip or "",
        }
    return {
        "representative_form": representative,
        "heading": text.heading,
        "clause": text.guardian_clause if representative else text.adult_clause,
        "articles": text.articles,
        "law": LAW,
        "subject": subject,
        "subject_birth_date": subject.birth_date,
        "subject_document": _subject_document(subject, consent.given_on),
        "representative": given_by if representative else None,
        "relation": relation,
        "authority_document": consent.authority_document,
        "minor_signs": consent.minor_signed,
        "purpose": consent.purpose_text,
        "data": consent.data_categories,
        "actions": consent.actions,
        "conditions": text.conditions,
        "valid_until": consent.valid_until,
        "given_on": consent.given_on,
        "withdrawal": consent.withdrawal_procedure,
        "version": consent.document_version,
        "electronic": electronic,
    }


def render_items(organisation: Organisation, items: Iterable[dict[str, Any]]) -> bytes:
    documents = list(items)
    kinds = {item["representative_form"] for item in documents}
    if kinds == {True}:
        template = "consent_guardian.docx"
    elif kinds == {False}:
        template = "consent_adult.docx"
    else:
        template = "consent_bundle.docx"
    return render_docx(template, {"org": organisation, "documents": documents})


def filename(*parts: str) -> str:
    """An ASCII-safe download name; the Russian one goes in filename* (RFC 6266)."""
    return "_".join(p.replace(" ", "_") for p in parts if p) + ".docx"
