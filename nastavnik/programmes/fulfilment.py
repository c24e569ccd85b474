"""Roadmap events that close themselves: the act that fulfils an event of a recognised kind
(the registry order signed, the pairs' order signed, the first meetings held, the half-year
snapshot taken…) marks it done, and the event reopens when the act is undone.

The acts live in apps above the programme, so each kind's test is registered from above
(`register_fulfilment`, called by the compliance package). `roadmap_refresh` is the one place
that writes the result: it sets `done_on` from the data on the events the data fulfil and
clears it on the events it once closed and the data no longer fulfil. A mark the curator made
by hand is never undone here: the curator may have done the work outside the system.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from nastavnik.programmes.models import Programme, ProgrammeStatus, RoadmapEvent


@dataclass(frozen=True)
class Fulfilled:
    """When the act happened, and what the roadmap says about it («Приказ от … № …»)."""

    on: date
    note: str = ""


Fulfilment = Callable[[Programme, date], Fulfilled | None]
_FULFILMENTS: dict[str, Fulfilment] = {}


def register_fulfilment(code: str, fulfilment: Fulfilment) -> None:
    """The data test of the template event `code` (roadmap_template.EVENTS)."""
    _FULFILMENTS[code] = fulfilment


def fulfilment_codes() -> frozenset[str]:
    return frozenset(_FULFILMENTS)


def roadmap_refresh(programme: Programme, today: date) -> int:
    """Bring the events of recognised kinds in line with the data; the number changed.

    A finished programme's roadmap is history and stays as it was. One query for the events,
    one per recognised kind present, one write per event that changed. Each write is one
    UPDATE of values the data decide, so two refreshes at once write the same thing.
    """
    if programme.status == ProgrammeStatus.FINISHED:
        return 0
    events = list(
        RoadmapEvent.objects.filter(
            programme=programme, template_code__in=list(_FULFILMENTS)
        ).filter(Q(done_on__isnull=True) | Q(done_auto=True))
    )
    answers: dict[str, Fulfilled | None] = {}
    changed = 0
    for event in events:
        code = event.template_code
        if code not in answers:
            answers[code] = _FULFILMENTS[code](programme, today)
        found = answers[code]
        if found is not None:
            done_on = min(found.on, today)
            if (event.done_on, event.done_note, event.done_auto) == (done_on, found.note, True):
                continue
            event.done_on, event.done_note, event.done_auto = done_on, found.note, True
        elif event.done_auto:
            event.done_on, event.done_note, event.done_auto = None, "", False
        else:
            continue
        event.save(update_fields=["done_on", "done_note", "done_auto", "updated_at"])
        changed += 1
    return changed
