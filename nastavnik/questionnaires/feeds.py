"""Answers that feed the bases: a question may name a *feed*, and when a respondent who is a
known person submits, the answer lands in the structured profile field that matching reads
(a mentee's requests, a mentor's competencies, availability, preferences, an entry measure …),
not only among the raw answers.

The apps that own those fields implement the handlers; this module names them by dotted path so
that the questionnaire engine imports no app that it feeds (as `orders.kinds` does).

A handler is ``(feed: FeedContext, value) -> None``. The value has the question's type: ``str``
for text and single choice, ``list[str]`` for multiple choice, ``int``/``Decimal`` for scale and
number, ``date``, and for a ranking of people ``list[int]`` — primary keys of `Person`, best
first. A handler that cannot apply the answer (the respondent is not eligible, say) raises
`FeedSkipped` with a reason for the curator; the response is kept either way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from nastavnik.accounts.models import User
    from nastavnik.catalogue.models import MentoringForm
    from nastavnik.people.models import Person
    from nastavnik.programmes.models import Programme


class FeedSkipped(Exception):
    """The answer is kept but could not be written into the base; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FeedContext:
    programme: Programme
    person: Person
    # The campaign's form, when it is sent for one form (all mentors of a form …).
    form: MentoringForm | None
    # "entry" or "exit" for an assessment campaign, else "".
    phase: str
    answered_on: date
    # Who submitted: None when the respondent answered by link or code.
    by: User | None
    # The feed key after the dot for parameterised feeds: "assessment.engagement" → "engagement".
    argument: str = ""


@dataclass(frozen=True)
class Feed:
    label: Any
    handler: str

    def apply(self, feed: FeedContext, value: Any) -> None:
        handle: Callable[[FeedContext, Any], None] = import_string(self.handler)
        handle(feed, value)


FEEDS: dict[str, Feed] = {
    # The mentee base (nastavnik.mentees.feeds); the first answer of an application creates
    # the candidate if the person is eligible.
    "mentee.topics": Feed(_("Mentee: request topics"), "nastavnik.mentees.feeds.topics"),
    "mentee.request_text": Feed(
        _("Mentee: request in own words"), "nastavnik.mentees.feeds.request_text"
    ),
    "mentee.subjects": Feed(_("Mentee: subjects"), "nastavnik.mentees.feeds.subjects"),
    "mentee.availability": Feed(
        _("Mentee: time available"), "nastavnik.mentees.feeds.availability"
    ),
    "mentee.format": Feed(_("Mentee: meeting format"), "nastavnik.mentees.feeds.meeting_format"),
    "mentee.preferences": Feed(
        _("Mentee: preferred mentors"), "nastavnik.mentees.feeds.preferences"
    ),
    # The mentor base (nastavnik.mentors.feeds).
    "mentor.competencies": Feed(_("Mentor: competencies"), "nastavnik.mentors.feeds.competencies"),
    "mentor.subjects": Feed(_("Mentor: subjects"), "nastavnik.mentors.feeds.subjects"),
    "mentor.experience": Feed(
        _("Mentor: years of experience"), "nastavnik.mentors.feeds.experience"
    ),
    "mentor.hours": Feed(_("Mentor: hours a month available"), "nastavnik.mentors.feeds.hours"),
    "mentor.availability": Feed(
        _("Mentor: time available"), "nastavnik.mentors.feeds.availability"
    ),
    "mentor.format": Feed(_("Mentor: meeting format"), "nastavnik.mentors.feeds.meeting_format"),
    "mentor.motivation": Feed(_("Mentor: motivation"), "nastavnik.mentors.feeds.motivation"),
    "mentor.forms": Feed(_("Mentor: preferred forms"), "nastavnik.mentors.feeds.forms"),
    "mentor.share": Feed(
        _("Mentor: may be offered to other organisations"), "nastavnik.mentors.feeds.share"
    ),
    "mentor.preferences": Feed(
        _("Mentor: preferred mentees"), "nastavnik.mentors.feeds.preferences"
    ),
    # Entry and exit measures (nastavnik.assessments.feeds): "assessment.<parameter code>".
    "assessment": Feed(_("Assessment measure"), "nastavnik.assessments.feeds.measure"),
}


def feed_for(key: str) -> tuple[Feed, str]:
    """The feed of a question's key and its argument: "assessment.anxiety" → (…, "anxiety")."""
    if key in FEEDS:
        return FEEDS[key], ""
    head, _dot, argument = key.partition(".")
    if head in FEEDS and argument:
        return FEEDS[head], argument
    raise LookupError(f"no feed is defined for {key!r}")
