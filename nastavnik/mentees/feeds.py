"""Questionnaire answers that land in the mentee base (`questionnaires.feeds`).

The first answer of an application makes the respondent a candidate of the programme (in the
campaign's form when it has one), if they are eligible and their data may be used; later
answers update the same entry. Every value goes through `services`, so an answer is held to the
same rules as the curator's typing; whatever the rules refuse becomes `FeedSkipped` with the
reason, and the raw answer is kept by the questionnaire either way.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from nastavnik.catalogue.profile import split_list
from nastavnik.mentees.models import Mentee
from nastavnik.mentees.services import MESSAGES, mentee_add, mentee_update
from nastavnik.people.models import PersonKind
from nastavnik.questionnaires.feeds import FeedContext, FeedSkipped


def _reason(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _apply(feed: FeedContext, field: str, value: Any) -> None:
    person, programme = feed.person, feed.programme
    if person.organisation_id != programme.organisation_id:
        raise FeedSkipped(str(MESSAGES["person"]))
    entry = Mentee.objects.filter(programme=programme, person=person).first()
    try:
        if entry is None:
            data: dict[str, Any] = {
                field: value,
                # A teacher who fills in the mentee application is asking for a mentor
                # (seed 002 §2.3: «изъявившие желание в назначении наставника»).
                "asked_for_mentor": person.kind == PersonKind.STAFF,
            }
            if feed.form is not None:
                data["form"] = feed.form
            mentee_add(programme, person, data, by=feed.by)
        else:
            mentee_update(entry, {field: value}, by=feed.by)
    except ValidationError as error:
        raise FeedSkipped(_reason(error)) from error


def _text_list(value: Any) -> str:
    """A multiple choice (a list) or free text, as the comma-separated text of the field."""
    if isinstance(value, list | tuple):
        return ", ".join(str(item).strip() for item in value if str(item).strip())
    return ", ".join(split_list(str(value or "")))


def topics(feed: FeedContext, value: Any) -> None:
    _apply(feed, "topics", value)


def request_text(feed: FeedContext, value: Any) -> None:
    _apply(feed, "request_text", "" if value is None else str(value))


def subjects(feed: FeedContext, value: Any) -> None:
    _apply(feed, "subjects", _text_list(value))


def availability(feed: FeedContext, value: Any) -> None:
    _apply(feed, "availability", value)


def meeting_format(feed: FeedContext, value: Any) -> None:
    _apply(feed, "meeting_format", value)


def preferences(feed: FeedContext, value: Any) -> None:
    _apply(feed, "preferences", value)
