"""Rows behind the awards URLs, for the project-wide isolation test."""

from datetime import date

from nastavnik.awards.models import Award, AwardKind, Nomination, Nominee, NomineeKind
from nastavnik.orgs.models import Organisation
from nastavnik.people.tests.factories import StaffFactory
from nastavnik.programmes.tests.isolation import _programme


def _nomination(org: Organisation) -> Nomination:
    programme = _programme(org)
    return Nomination.objects.get_or_create(
        organisation=org,
        programme=programme,
        name="Наставник+",
        defaults={"nominee_kind": NomineeKind.PERSON},
    )[0]


def _nominee(org: Organisation) -> Nominee:
    nomination = _nomination(org)
    existing = nomination.nominees.first()
    return existing or Nominee.objects.create(
        organisation=org, nomination=nomination, person=StaffFactory(organisation=org), place=1
    )


def _award(org: Organisation) -> Award:
    nominee = _nominee(org)
    return Award.objects.create(
        organisation=org,
        programme=nominee.nomination.programme,
        nominee=nominee,
        kind=AwardKind.DIPLOMA,
        recipient=nominee.person,
        number=1,
        issued_on=date(2026, 5, 25),
    )


ROW_MAKERS = {
    "nomination_pk": lambda org: _nomination(org).pk,
    "nominee_pk": lambda org: _nominee(org).pk,
    "award_pk": lambda org: _award(org).pk,
}
