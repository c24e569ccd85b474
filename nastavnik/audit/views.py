"""The audit log page: the curator and the director read who changed what, filtered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from django.shortcuts import render

from nastavnik.audit.access import audit_entries_for
from nastavnik.audit.filters import AuditFilter
from nastavnik.audit.models import AuditEntry
from nastavnik.core.access import OrgRequest, org_view
from nastavnik.orgs.policy import Perm
from nastavnik.people.access import people_of

PAGE_SIZE = 50
OBJECT_MODELS = {
    "person": "people.Person",
    "guardian_link": "people.GuardianLink",
    "consent": "consents.Consent",
    "consent_link": "consents.ConsentLink",
}


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


def _field(object_type: str, name: str) -> models.Field[Any, Any] | None:
    label = OBJECT_MODELS.get(object_type)
    if label is None:
        return None
    try:
        return apps.get_model(label)._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _shown(field: models.Field[Any, Any] | None, value: Any) -> Any:
    if value is None or value == "":
        return "—"
    if field is not None and field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return value


def present(entry: AuditEntry) -> list[Change]:
    changes = []
    for name, (old, new) in entry.changes.items():
        field = _field(entry.object_type, name)
        label = getattr(field, "verbose_name", None) or name
        changes.append(Change(str(label), _shown(field, old), _shown(field, new)))
    return changes


@org_view(Perm.AUDIT_VIEW)
def audit_log(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    entries = audit_entries_for(ctx, request.user)
    filterset = AuditFilter(request.GET or None, queryset=entries)
    page = Paginator(filterset.qs.select_related("actor"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    person = None
    person_pk = request.GET.get("person", "")
    if person_pk.isdigit():
        person = people_of(ctx).filter(pk=int(person_pk)).first()
    return render(
        request,
        "audit/log.html",
        {
            "filter": filterset,
            "page": page,
            "rows": [(entry, present(entry)) for entry in page.object_list],
            "person": person,
        },
    )
