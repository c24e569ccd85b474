"""Who a notification can reach: accounts, found from the registry's people or from roles.

A notification goes to an account (the bell and the preferences belong to one). People of the
programme are reached through the account linked to their registry entry, and only while their
data may be used (a valid processing consent, `consents.rules`); a minor's legal guardians are
told too, through their own accounts, while the child's consent (which they gave) is valid.
Staff are reached through their role in the organisation; they need no consent to be told of
their work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils import timezone

from nastavnik.consents.models import Purpose
from nastavnik.consents.rules import ADULT_AGE, hidden_q, valid_consent_q
from nastavnik.orgs.models import Membership, Organisation, Role
from nastavnik.people.models import GuardianLink, Person


class As(StrEnum):
    """In what capacity someone is told: the words and the link depend on it."""

    MENTOR = "mentor"
    MENTEE = "mentee"
    GUARDIAN = "guardian"
    STAFF = "staff"
    REPORTER = "reporter"


@dataclass(frozen=True)
class Recipient:
    user_id: int
    capacity: As
    person: Person | None = None
    # When told as a guardian: the child the notification is about.
    child: Person | None = field(default=None, compare=False)


def _is_minor(person: Person, today: object) -> bool:
    age = person.age_on(today)  # type: ignore[arg-type]
    return age is not None and age < ADULT_AGE


def people(
    organisation: Organisation | int,
    wanted: Iterable[tuple[Person, As]],
    *,
    guardians: bool = True,
) -> list[Recipient]:
    """The accounts of `wanted` people whose data may be used, and, with `guardians`, the
    accounts of the legal guardians of the minors among them."""
    wanted = list(wanted)
    if not wanted:
        return []
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    pks = {person.pk for person, _ in wanted}
    allowed = set(
        Person.objects.filter(pk__in=pks, organisation_id=org_id)
        .filter(valid_consent_q(Purpose.PROCESSING))
        .values_list("pk", flat=True)
    )
    result: list[Recipient] = []
    today = timezone.localdate()
    minors: dict[int, Person] = {}
    for person, capacity in wanted:
        if person.pk not in allowed:
            continue
        if person.user_id:
            result.append(Recipient(person.user_id, capacity, person))
        if guardians and _is_minor(person, today):
            minors[person.pk] = person
    if minors:
        links = (
            GuardianLink.objects.filter(organisation_id=org_id, child__in=list(minors))
            .exclude(guardian__user__isnull=True)
            .exclude(guardian__in=Person.objects.filter(hidden_q()))
            .select_related("guardian")
        )
        for link in links:
            result.append(
                Recipient(link.guardian.user_id, As.GUARDIAN, link.guardian, minors[link.child_id])  # type: ignore[arg-type]
            )
    return unique(result)


def staff(
    organisation: Organisation | int,
    roles: Iterable[Role],
    *,
    exclude_users: Iterable[int] = (),
) -> list[Recipient]:
    """The accounts holding any of `roles` in the organisation."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    users = (
        Membership.objects.filter(organisation_id=org_id, role__in=list(roles))
        .exclude(user__in=list(exclude_users))
        .values_list("user_id", flat=True)
        .distinct()
    )
    return [Recipient(user_id, As.STAFF) for user_id in sorted(set(users))]


def unique(recipients: Iterable[Recipient]) -> list[Recipient]:
    """One notification per account: the first capacity wins (a mentor who is also a guardian
    is told as the mentor)."""
    seen: set[int] = set()
    result = []
    for recipient in recipients:
        if recipient.user_id not in seen:
            seen.add(recipient.user_id)
            result.append(recipient)
    return result
