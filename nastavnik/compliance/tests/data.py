"""Rows that break (or keep) the rules, made directly: the services refuse most of them, which
is the point of the checks — data that came in another way (an import, an older version, a
consent withdrawn later) still has to show."""

from __future__ import annotations

from datetime import date, timedelta

from nastavnik.compliance.registry import CHECKS, Row, count_found
from nastavnik.compliance.report import scope_for
from nastavnik.matching.tests.data import mentee, mentor
from nastavnik.mentees.models import Mentee
from nastavnik.mentors.models import Mentor
from nastavnik.mentorships.models import Mentorship, MentorshipMentee, MentorshipStatus
from nastavnik.orders.kinds import OrderKind
from nastavnik.orders.models import Order, OrderStatus
from nastavnik.orgs.models import Organisation
from nastavnik.people.tests.factories import StaffFactory
from nastavnik.people.validators import org_today
from nastavnik.programmes.models import Programme
from nastavnik.programmes.tests.data import builtin_form


def rows(org: Organisation, code: str) -> list[Row]:
    """The check's rows, and proof that the dashboards' count of them (made without labelling
    them) is their number."""
    found = CHECKS[code].rows(scope_for(org, org_today(org)))
    listed = list(found)
    assert count_found(found) == len(listed), code
    return listed


def labels(org: Organisation, code: str) -> list[str]:
    return [row.label for row in rows(org, code)]


def pair(
    programme: Programme,
    *,
    the_mentor: Mentor | None = None,
    members: list[Mentee] | None = None,
    started_on: date | None = None,
    status: str = MentorshipStatus.ACTIVE,
    **fields: object,
) -> Mentorship:
    org = programme.organisation
    started_on = started_on or org_today(org) - timedelta(days=10)
    made = Mentorship.objects.create(
        organisation=org,
        programme=programme,
        form=builtin_form("student-student"),
        mentor=the_mentor or mentor(programme),
        started_on=started_on,
        planned_end=started_on + timedelta(days=300),
        status=status,
        **fields,
    )
    for member in members if members is not None else [mentee(programme)]:
        MentorshipMentee.objects.create(
            organisation=org,
            mentorship=made,
            mentee=member,
            active=status == MentorshipStatus.ACTIVE,
        )
    return made


def signed_order(org: Organisation, kind: str = OrderKind.PAIRS, number: str = "1") -> Order:
    day = org_today(org)
    return Order.objects.create(
        organisation=org,
        kind=kind,
        number=number,
        number_key=number,
        year=day.year,
        date=day,
        title="Приказ",
        status=OrderStatus.SIGNED,
        signatory=StaffFactory(organisation=org),
        signatory_position="Директор",
    )
