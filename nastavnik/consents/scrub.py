"""What depersonalisation clears beyond the person's own row and consents: the free text
written by or about the person and the files uploaded for them (152-ФЗ art. 21: data whose
processing has no ground left are destroyed or depersonalised).

Kept: the structured facts the aggregate figures count (statuses, dates, scores, codes of
topics, pks), the rows themselves, and text that belongs to the pair or the programme rather
than to the person (meeting notes, plan items, the pair's achievements).

Each app that holds such text clears its own (`<app>/scrub.py`), registered here from its
`AppConfig.ready`: consents sit below those apps and import none of them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from nastavnik.accounts.models import Invitation as AccountInvitation
from nastavnik.consents.models import ConsentLink
from nastavnik.people.models import Person

# What a scrubbed text reads, where the field may not be empty.
SCRUBBED = "—"

TracesScrub = Callable[[Person], None]
_SCRUBS: list[TracesScrub] = []


def register_traces_scrub(scrub: TracesScrub) -> None:
    if scrub not in _SCRUBS:
        _SCRUBS.append(scrub)


def person_traces_scrub(person: Person) -> None:
    """Clear the person's free text everywhere and delete their uploaded files from storage."""
    for scrub in _SCRUBS:
        scrub(person)
    # The addresses messages went to: contacts, cleared with the person's own.
    ConsentLink.objects.filter(Q(subject=person) | Q(addressee=person)).update(sent_to="")
    AccountInvitation.objects.filter(person=person).update(email="")
