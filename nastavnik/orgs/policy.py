"""Which role may do what. The one place for this rule: views ask `allows`, never a role."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from nastavnik.orgs.models import Role


class Perm(StrEnum):
    DASHBOARD = "dashboard.view"
    PEOPLE_VIEW = "people.view"
    PEOPLE_EDIT = "people.edit"
    CATALOGUE_VIEW = "catalogue.view"
    CATALOGUE_EDIT = "catalogue.edit"
    MEMBERS_VIEW = "members.view"
    MEMBERS_MANAGE = "members.manage"
    ORGANISATION_EDIT = "organisation.edit"


_EVERY_ROLE = frozenset({Perm.DASHBOARD})
_STAFF_READ = frozenset({Perm.PEOPLE_VIEW, Perm.CATALOGUE_VIEW})
_RUNS_PROGRAMME = _STAFF_READ | {
    Perm.PEOPLE_EDIT,
    Perm.CATALOGUE_EDIT,
    Perm.MEMBERS_VIEW,
    Perm.MEMBERS_MANAGE,
}

GRANTS: dict[Role, frozenset[Perm]] = {
    Role.DIRECTOR: _EVERY_ROLE | _RUNS_PROGRAMME | {Perm.ORGANISATION_EDIT},
    Role.CURATOR: _EVERY_ROLE | _RUNS_PROGRAMME,
    # Class teachers, psychologists, social pedagogues read the registry to add their input.
    Role.SPECIALIST: _EVERY_ROLE | _STAFF_READ,
    Role.COMMISSION_MEMBER: _EVERY_ROLE | {Perm.CATALOGUE_VIEW},
    Role.MENTOR: _EVERY_ROLE | {Perm.CATALOGUE_VIEW},
    Role.MENTEE: _EVERY_ROLE,
    Role.GUARDIAN: _EVERY_ROLE,
}


def allows(roles: Iterable[str], perm: Perm) -> bool:
    return any(perm in GRANTS.get(Role(role), frozenset()) for role in roles)
