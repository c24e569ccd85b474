"""Which role may do what. The one place for this rule: views ask `allows`, never a role."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from nastavnik.orgs.models import Role


class Perm(StrEnum):
    DASHBOARD = "dashboard.view"
    PEOPLE_VIEW = "people.view"
    PEOPLE_EDIT = "people.edit"
    PEOPLE_IMPORT = "people.import"
    PEOPLE_EXPORT = "people.export"
    CATALOGUE_VIEW = "catalogue.view"
    CATALOGUE_EDIT = "catalogue.edit"
    MEMBERS_VIEW = "members.view"
    MEMBERS_MANAGE = "members.manage"
    ORGANISATION_EDIT = "organisation.edit"
    CONSENTS_VIEW = "consents.view"
    CONSENTS_MANAGE = "consents.manage"
    # Withdrawing the consents one gave oneself or for one's child, in one's cabinet.
    CONSENTS_OWN = "consents.own"
    AUDIT_VIEW = "audit.view"
    PROGRAMME_VIEW = "programme.view"
    PROGRAMME_EDIT = "programme.edit"
    ORDERS_VIEW = "orders.view"
    ORDER_EDIT = "orders.edit"
    ORDER_SIGN = "orders.sign"


_EVERY_ROLE = frozenset({Perm.DASHBOARD, Perm.CONSENTS_OWN})
_STAFF_READ = frozenset({Perm.PEOPLE_VIEW, Perm.CATALOGUE_VIEW})
_RUNS_PROGRAMME = _STAFF_READ | {
    Perm.PEOPLE_EDIT,
    # Bulk import and export of personal data: those answerable for the bases only.
    Perm.PEOPLE_IMPORT,
    Perm.PEOPLE_EXPORT,
    Perm.CATALOGUE_EDIT,
    Perm.MEMBERS_VIEW,
    Perm.MEMBERS_MANAGE,
    Perm.CONSENTS_VIEW,
    Perm.CONSENTS_MANAGE,
    Perm.AUDIT_VIEW,
    Perm.PROGRAMME_VIEW,
    Perm.PROGRAMME_EDIT,
    Perm.ORDERS_VIEW,
    Perm.ORDER_EDIT,
}

GRANTS: dict[Role, frozenset[Perm]] = {
    # Orders are signed by the head of the organisation only.
    Role.DIRECTOR: _EVERY_ROLE | _RUNS_PROGRAMME | {Perm.ORGANISATION_EDIT, Perm.ORDER_SIGN},
    Role.CURATOR: _EVERY_ROLE | _RUNS_PROGRAMME,
    # Class teachers, psychologists, social pedagogues read the registry to add their input.
    Role.SPECIALIST: _EVERY_ROLE | _STAFF_READ | {Perm.PROGRAMME_VIEW},
    Role.COMMISSION_MEMBER: _EVERY_ROLE | {Perm.CATALOGUE_VIEW, Perm.PROGRAMME_VIEW},
    Role.MENTOR: _EVERY_ROLE | {Perm.CATALOGUE_VIEW, Perm.PROGRAMME_VIEW},
    Role.MENTEE: _EVERY_ROLE,
    Role.GUARDIAN: _EVERY_ROLE,
}


def allows(roles: Iterable[str], perm: Perm) -> bool:
    return any(perm in GRANTS.get(Role(role), frozenset()) for role in roles)
