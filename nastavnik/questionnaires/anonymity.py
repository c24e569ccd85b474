"""Anonymity by construction for anonymous campaigns.

An anonymous campaign keeps no link from an answer to a person (see models). That alone is not
enough: with one answer in, its results are that person's answers. So every way out of the
answers — the results page, the XLSX, anything built on `campaign_results` — asks this module
first: nothing is shown until at least `minimum()` people have answered, and then free text is
shown in an order that does not follow the order the answers came in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from nastavnik.questionnaires.models import Campaign

DEFAULT_MINIMUM = 5
# Below three, "the other answer" is one person: no setting may go lower.
FLOOR = 3


def minimum() -> int:
    """How many answers an anonymous campaign needs before anything of them is shown."""
    configured = getattr(settings, "QUESTIONNAIRE_ANONYMITY_MIN", DEFAULT_MINIMUM)
    try:
        wanted = int(configured)
    except (TypeError, ValueError):
        wanted = DEFAULT_MINIMUM
    return max(FLOOR, wanted)


@dataclass(frozen=True)
class Withheld:
    """Why the answers of an anonymous campaign are not shown yet."""

    answered: int
    minimum: int

    @property
    def needed(self) -> int:
        return self.minimum - self.answered


class ResultsWithheld(Exception):
    """Raised by whatever would hand out the answers of a campaign below the minimum."""

    def __init__(self, withheld: Withheld) -> None:
        super().__init__(f"{withheld.answered} of {withheld.minimum} answers")
        self.withheld = withheld


def withheld(campaign: Campaign, answered: int | None = None) -> Withheld | None:
    """None when the campaign's answers may be shown; else how far it is from the minimum."""
    if not campaign.anonymous:
        return None
    count = campaign.responses.count() if answered is None else answered
    needed = minimum()
    return Withheld(count, needed) if count < needed else None


def require_shown(campaign: Campaign) -> None:
    if (found := withheld(campaign)) is not None:
        raise ResultsWithheld(found)


def content_key(text: str) -> tuple[str, str]:
    """A sort key from the text alone: a fixed shuffle that no order of arrival can steer."""
    return hashlib.sha256(text.encode()).hexdigest(), text


def unlinked(texts: Iterable[str]) -> list[str]:
    """Texts in an order that depends on the texts only: the same answers given in any order
    come out the same, so the place of a text says nothing about when, or by whom, it came."""
    return sorted(texts, key=content_key)
