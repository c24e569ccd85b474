"""What of a person the current account may see: the policy's `visible_fields`, in a shape
templates and exports read (`shown.contacts`, `shown.birth_date`…).

Every page that shows a person's fields asks here instead of deciding itself, so a role's
view of people is declared once (orgs.policy.PERSON_FIELDS).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nastavnik.orgs.policy import FieldGroup, visible_fields


@dataclass(frozen=True)
class Shown:
    groups: frozenset[FieldGroup]

    @property
    def identity(self) -> bool:
        return FieldGroup.IDENTITY in self.groups

    @property
    def birth_date(self) -> bool:
        return FieldGroup.BIRTH_DATE in self.groups

    @property
    def contacts(self) -> bool:
        return FieldGroup.CONTACTS in self.groups

    @property
    def school(self) -> bool:
        return FieldGroup.SCHOOL in self.groups

    @property
    def family(self) -> bool:
        return FieldGroup.FAMILY in self.groups

    @property
    def notes(self) -> bool:
        return FieldGroup.NOTES in self.groups


def shown_for(roles: Iterable[str], person_kind: str) -> Shown:
    return Shown(visible_fields(roles, person_kind))


def shown_for_any(roles: Iterable[str], kinds: Iterable[str]) -> Shown:
    """What shows of at least one of `kinds`: whether a list needs the column at all."""
    roles = list(roles)
    return Shown(frozenset().union(*(visible_fields(roles, kind) for kind in kinds)))
