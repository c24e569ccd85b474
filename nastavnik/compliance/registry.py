"""The registry of compliance checks: one entry per rule of the regulation (seed 002) or the
methodology (seed 000) that the data can break.

Each check has a stable code, a title, the clause it comes from and a function that returns the
rows that break it now, each with a label and the address of the page that fixes it. The
compliance page, its XLSX and the dashboards' count read this one registry; a new rule is one
entry here with its test. Every function runs a fixed number of queries, whatever the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from nastavnik.orgs.models import Organisation
from nastavnik.programmes.models import Programme


@dataclass(frozen=True)
class Scope:
    """What a check looks at: the organisation, its programme of the running year (None when
    it runs none) and the organisation's today."""

    organisation: Organisation
    programme: Programme | None
    today: date


@dataclass(frozen=True)
class Row:
    """One thing that breaks a rule now, and the page where it is put right."""

    label: str
    href: str
    detail: str = ""


M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class QueryRows(Generic[M]):
    """The rows breaking a rule as the query that finds them and how one is labelled.

    The dashboards only count the breaches, which is one COUNT in the database; labelling
    hundreds of rows (names, addresses of pages) is left to the compliance page and its XLSX,
    which show them. Both read the same query, so the count is the length of the list.
    A row function that reads the query's annotations (`hidden`, `load`…) takes `Any`: the
    model's type does not know them.
    """

    queryset: QuerySet[M]
    row: Callable[[M], Row]

    def count(self) -> int:
        return self.queryset.count()

    def __iter__(self) -> Iterator[Row]:
        return (self.row(item) for item in self.queryset)


# A check gives its rows as a list when they are few by nature (one commission, one
# assessment) or found in Python, and as a query otherwise.
Found = list[Row] | QueryRows[Any]
RowsFn = Callable[[Scope], Found]


@dataclass(frozen=True)
class ComplianceCheck:
    code: str
    title: str | Promise
    # The clause as the curator would look it up: «Положение, п. 2.6».
    clause: str | Promise
    rows: RowsFn
    # What to do about a row, shown above the list.
    advice: str | Promise = ""


@dataclass
class Result:
    check: ComplianceCheck
    rows: list[Row] = field(default_factory=list)

    @property
    def broken(self) -> bool:
        return bool(self.rows)


CHECKS: dict[str, ComplianceCheck] = {}


def check(
    code: str, title: str | Promise, clause: str | Promise, advice: str | Promise = ""
) -> Callable[[RowsFn], RowsFn]:
    """Register the decorated function as the rows of the check `code`."""

    def decorator(fn: RowsFn) -> RowsFn:
        if code in CHECKS and CHECKS[code].rows is not fn:
            raise LookupError(f"compliance check {code!r} is registered twice")
        CHECKS[code] = ComplianceCheck(code, title, clause, fn, advice)
        return fn

    return decorator


def run_checks(scope: Scope) -> list[Result]:
    """Every check, in the order of registration, with the rows breaking it now."""
    return [Result(entry, list(entry.rows(scope))) for entry in CHECKS.values()]


def count_found(found: Found) -> int:
    return len(found) if isinstance(found, list) else found.count()


def count_breaches(scope: Scope) -> int:
    """How many rows break a rule now, counted without labelling them: `broken_count` of
    `run_checks`, for the dashboards."""
    return sum(count_found(entry.rows(scope)) for entry in CHECKS.values())


def broken_count(results: list[Result]) -> int:
    return sum(len(result.rows) for result in results)
