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
from django.db.models import Count, Q

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
    # Given by the respondents themselves (not typed in from paper by the staff), when that
    # is what falls short.
    online: int | None = None

    @property
    def needed(self) -> int:
        return self.minimum - (self.answered if self.online is None else self.online)


class ResultsWithheld(Exception):
    """Raised by whatever would hand out the answers of a campaign below the minimum."""

    def __init__(self, withheld: Withheld) -> None:
        super().__init__(f"{withheld.answered} of {withheld.minimum} answers")
        self.withheld = withheld


def withheld(campaign: Campaign) -> Withheld | None:
    """None when the campaign's answers may be shown; else how far it is from the minimum.

    Paper forms are typed in by the staff, who have read them: one who typed in four forms
    and saw the results of five would know the fifth. So the answers given online count on
    their own too: none, or at least the minimum."""
    if not campaign.anonymous:
        return None
    counts = campaign.responses.aggregate(
        total=Count("pk"), typed=Count("pk", filter=Q(entered_by__isnull=False))
    )
    return judged(counts["total"], counts["total"] - counts["typed"])


def judged(total: int, online: int) -> Withheld | None:
    """The rule on the counts of an anonymous campaign: all answers, and those given online."""
    least = minimum()
    if total < least:
        return Withheld(total, least)
    if 0 < online < least:
        return Withheld(total, least, online)
    return None


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
