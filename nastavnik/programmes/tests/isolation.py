"""Rows behind the programme URLs, for the project-wide isolation test."""

from datetime import date

from nastavnik.orgs.models import Organisation
from nastavnik.people.tests.factories import StaffFactory
from nastavnik.programmes import services
from nastavnik.programmes.models import Programme, Stage
from nastavnik.programmes.tests.data import builtin_form, year


def _programme(org: Organisation) -> Programme:
    existing = Programme.objects.filter(organisation=org).first()
    return existing or services.programme_create(org, year(), by=None, goal="Цель")


def _event(org: Organisation) -> int:
    data = {"stage": Stage.PREPARATION, "title": "Событие", "due_on": date(2025, 9, 30)}
    return services.event_create(_programme(org), data, by=None).pk


ROW_MAKERS = {
    "programme_pk": lambda org: _programme(org).pk,
    "programme_form_pk": lambda org: (
        services.programme_form_add(_programme(org), builtin_form("student-student"), by=None).pk
    ),
    "member_pk": lambda org: (
        services.team_member_add(_programme(org), StaffFactory(organisation=org), by=None).pk
    ),
    "partner_pk": lambda org: (
        services.partner_create(_programme(org), {"name": "ООО «Партнёр»"}, by=None).pk
    ),
    "event_pk": _event,
}
