"""Ids that cannot exist find nothing, on every database.

No column holds an integer outside the signed 64-bit range, so a row with such an id is simply
not there. Django already answers so for ``pk=…`` (`IntegerFieldOverflow`), but not for
``pk__in=[…]`` (every ModelMultipleChoiceField and ModelMultipleChoiceFilter), nor for a foreign
key (``programme_id=…``, ``mentor__in=[…]``): there SQLite's driver raises OverflowError, a 500
for `99999999999999999999` typed into a form, a URL or a query string.

The lookups below are the one place that decides it: registered on every integer field and
every foreign key, they drop impossible ids before the query is built, so forms say
«Выберите корректный вариант», URLs answer 404 and filters show nothing, whoever asks.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


def is_possible_id(value: Any) -> bool:
    """False only for an integer no database column can hold."""
    return not isinstance(value, int) or INT64_MIN <= value <= INT64_MAX


def possible_id(value: Any) -> int | None:
    """The id a form or query-string value names, or None when it can name no row."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if is_possible_id(number) else None


class PossibleIdsInMixin:
    # The lookup's right-hand side, set by Lookup.__init__.
    rhs: Any

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value() and isinstance(self.rhs, list | tuple | set | frozenset):  # type: ignore[attr-defined]
            # An empty list left over makes `In` raise EmptyResultSet: nothing matches.
            self.rhs = [value for value in self.rhs if is_possible_id(value)]
        return super().process_rhs(compiler, connection)  # type: ignore[misc]


class PossibleIdExactMixin:
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value() and not is_possible_id(self.rhs):  # type: ignore[attr-defined]
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)  # type: ignore[misc]


class PossibleIdsIn(PossibleIdsInMixin, In):
    pass


class PossibleIdsRelatedIn(PossibleIdsInMixin, RelatedIn):
    pass


class PossibleIdRelatedExact(PossibleIdExactMixin, RelatedExact):
    pass


def register() -> None:
    """Called once from the core app's ready(); subclasses (AutoField, BigAutoField,
    OneToOneField…) inherit the lookups."""
    models.IntegerField.register_lookup(PossibleIdsIn)
    models.ForeignKey.register_lookup(PossibleIdsRelatedIn)
    models.ForeignKey.register_lookup(PossibleIdRelatedExact)
