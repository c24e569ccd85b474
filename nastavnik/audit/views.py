"""The audit log page: the curator and the director read who changed what, filtered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import pgettext

from nastavnik.audit.access import audit_entries_for
from nastavnik.audit.filters import AuditFilter
from nastavnik.audit.models import AuditEntry, AuditObject
from nastavnik.core.access import OrgRequest, org_view
from nastavnik.orgs.policy import Perm
from nastavnik.people.access import people_of

PAGE_SIZE = 50
# The model behind each kind of object, named by label: the log reads their fields' verbose
# names and choices without importing the apps above it.
OBJECT_MODELS = {
    AuditObject.PERSON: "people.Person",
    AuditObject.GUARDIAN_LINK: "people.GuardianLink",
    AuditObject.CONSENT: "consents.Consent",
    AuditObject.CONSENT_LINK: "consents.ConsentLink",
    AuditObject.MENTEE: "mentees.Mentee",
    AuditObject.MENTEE_INPUT: "mentees.MenteeInput",
    AuditObject.MEASURE: "assessments.Measure",
    AuditObject.MENTOR: "mentors.Mentor",
    AuditObject.MENTOR_DOCUMENT: "mentors.MentorDocument",
    AuditObject.SELECTION_SCORE: "mentors.SelectionScore",
    AuditObject.INVITATION: "questionnaires.Invitation",
    AuditObject.RESPONSE: "questionnaires.Response",
    AuditObject.MENTORSHIP: "mentorships.Mentorship",
    AuditObject.NOMINEE: "awards.Nominee",
    AuditObject.JURY_SCORE: "awards.JuryScore",
    AuditObject.PLAN_ITEM: "plans.PlanItem",
    AuditObject.CASE: "cases.Case",
    AuditObject.MEETING: "meetings.Meeting",
    AuditObject.FEEDBACK: "meetings.Feedback",
    AuditObject.CONCERN: "concerns.Concern",
    AuditObject.API_TOKEN: "api.ApiToken",
}


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


def _field(object_type: str, name: str) -> models.Field[Any, Any] | None:
    label = OBJECT_MODELS.get(AuditObject(object_type)) if object_type in AuditObject else None
    if label is None:
        return None
    try:
        return apps.get_model(label)._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _moment(field: models.Field[Any, Any] | None, value: Any) -> str | None:
    """A date or a moment stored as ISO text, as the organisation's calendar shows it."""
    if not isinstance(value, str):
        return None
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, UTC)
            # The organisation's zone is active here (org_view), not UTC.
            return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        day = parse_date(value)
        if day is not None:
            return date_format(day, "SHORT_DATE_FORMAT")
    return None


def _shown(field: models.Field[Any, Any] | None, value: Any) -> Any:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(_shown(field, item)) for item in value)
    if field is not None and field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return pgettext("boolean", "yes") if value else pgettext("boolean", "no")
    return _moment(field, value) or value


def present(entry: AuditEntry) -> list[Change]:
    changes = []
    for name, (old, new) in entry.changes.items():
        field = _field(entry.object_type, name)
        label = getattr(field, "verbose_name", None) or name
        changes.append(Change(capfirst(str(label)), _shown(field, old), _shown(field, new)))
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
