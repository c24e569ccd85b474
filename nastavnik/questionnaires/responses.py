"""Answering: checking what a respondent typed, saving a response, feeding the bases.

`parse_answers` reads the raw form values question by question, in order. A conditional
question whose condition is not met is hidden: its answer is dropped and it is not required,
whatever the browser sent. Every problem is reported at once, per question code.

`response_submit` saves the answers of one invitation (by link, by code, or typed in by the
curator from paper), `response_enter_anonymous` the answers of an anonymous paper form. Both
check everything first and write nothing on bad input.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from nastavnik.accounts.models import User
from nastavnik.audit.models import AuditAction, AuditChannel, AuditObject
from nastavnik.audit.services import audit_record
from nastavnik.consents.models import Purpose
from nastavnik.consents.rules import with_valid_consent
from nastavnik.people.models import GuardianLink, Person
from nastavnik.people.validators import org_today
from nastavnik.questionnaires.audiences import AUDIENCES
from nastavnik.questionnaires.codes import normalise_code
from nastavnik.questionnaires.feeds import FeedContext, FeedSkipped, feed_for
from nastavnik.questionnaires.models import (
    Answer,
    Campaign,
    Channel,
    Invitation,
    Question,
    QuestionType,
    Response,
    hash_secret,
)

logger = logging.getLogger(__name__)

SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 5000

MESSAGES = {
    "required": _("Answer this question."),
    "choice": _("Choose one of the options."),
    "choices": _("Choose only from the options listed."),
    "scale": _("Choose a whole number from %(min)s to %(max)s."),
    "number": _("Enter a number, for example 4 or 4,5."),
    "whole": _("Enter a whole number."),
    "min": _("The number must be at least %(min)s."),
    "max": _("The number must be at most %(max)s."),
    "date": _("Enter a date, for example 05.09.2025."),
    "length": _("At most %(max)s characters."),
    "rank_outside": _("Choose only people from the list."),
    "rank_twice": _("Each person can be named only once."),
    "rank_many": ngettext_lazy(
        "Name at most %(count)s person.", "Name at most %(count)s people.", "count"
    ),
    "feed_missing": _("The base does not take this answer yet."),
    "anonymous_only": _("Only an anonymous campaign takes answers without a respondent."),
}

Raw = Mapping[str, Sequence[str]]


class InvitationNotUsable(ValidationError):
    """The link or code cannot be used: unknown, already answered, closed, past the deadline,
    or the person's consent no longer allows using their answers."""

    STATES = ("not_found", "answered", "closed", "expired", "no_consent")

    def __init__(self, state: str, invitation: Invitation | None = None) -> None:
        super().__init__(state, code=state)
        self.state = state
        self.invitation = invitation


# --- Reading the answers --------------------------------------------------------------------


def _number_text(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def raw_from_post(post: Any, questions: Sequence[Question]) -> dict[str, list[str]]:
    """The form's values by question code (fields are named ``q-<code>``)."""
    return {q.code: [v for v in post.getlist(f"q-{q.code}")] for q in questions}


def is_shown(question: Question, answers: Mapping[str, Any], shown: set[str]) -> bool:
    if not question.show_if_code:
        return True
    if question.show_if_code not in shown:
        return False
    answer = answers.get(question.show_if_code)
    given = answer if isinstance(answer, list) else [answer] if answer is not None else []
    return any(str(value) in question.show_if_values for value in given)


def _one(values: Sequence[str]) -> str:
    present = [v.strip() for v in values if v is not None and str(v).strip()]
    return present[0] if present else ""


def _parse_decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise ValidationError(MESSAGES["number"], code="number") from None
    if not value.is_finite():
        raise ValidationError(MESSAGES["number"], code="number")
    return value


def _parse_date(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(MESSAGES["date"], code="date")


def _parse_one(question: Question, values: Sequence[str], pool: set[int] | None) -> Any:
    """The answer's value, or None when nothing was given. Raises ValidationError."""
    kind = question.type
    if kind == QuestionType.MULTIPLE:
        chosen = list(dict.fromkeys(v.strip() for v in values if v and v.strip()))
        if not chosen:
            return None
        if not set(chosen) <= set(question.choice_values):
            raise ValidationError(MESSAGES["choices"], code="choices")
        # In the order of the options, whatever order they came in.
        return [v for v in question.choice_values if v in chosen]
    if kind == QuestionType.RANKING:
        picked = [v.strip() for v in values if v and v.strip()]
        if not picked:
            return None
        try:
            people = [int(v) for v in picked]
        except ValueError:
            raise ValidationError(MESSAGES["rank_outside"], code="rank_outside") from None
        if len(set(people)) != len(people):
            raise ValidationError(MESSAGES["rank_twice"], code="rank_twice")
        if not set(people) <= (pool or set()):
            raise ValidationError(MESSAGES["rank_outside"], code="rank_outside")
        if len(people) > (question.rank_count or 1):
            raise ValidationError(
                MESSAGES["rank_many"], code="rank_many", params={"count": question.rank_count}
            )
        return people
    text = _one(values)
    if not text:
        return None
    if kind == QuestionType.SINGLE:
        if text not in question.choice_values:
            raise ValidationError(MESSAGES["choice"], code="choice")
        return text
    if kind == QuestionType.SCALE:
        low, high = question.scale_range
        try:
            number = int(text)
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            raise ValidationError(MESSAGES["scale"], code="scale", params={"min": low, "max": high})
        return number
    if kind == QuestionType.NUMBER:
        value = _parse_decimal(text)
        if question.integer_only and value != value.to_integral_value():
            raise ValidationError(MESSAGES["whole"], code="whole")
        if question.min_value is not None and value < question.min_value:
            raise ValidationError(
                MESSAGES["min"], code="min", params={"min": _number_text(question.min_value)}
            )
        if question.max_value is not None and value > question.max_value:
            raise ValidationError(
                MESSAGES["max"], code="max", params={"max": _number_text(question.max_value)}
            )
        return int(value) if question.integer_only else value
    if kind == QuestionType.DATE:
        return _parse_date(text)
    limit = SHORT_TEXT_MAX if kind == QuestionType.SHORT_TEXT else LONG_TEXT_MAX
    if len(text) > limit:
        raise ValidationError(MESSAGES["length"], code="length", params={"max": limit})
    return text


def parse_answers(
    questions: Sequence[Question], raw: Raw, pools: Mapping[str, set[int]]
) -> dict[str, Any]:
    """{code: value} of the shown questions that were answered; ValidationError({code: …})
    with every problem otherwise. `questions` in the order respondents see them; `pools`: the
    people each ranking question may name, by code."""
    answers: dict[str, Any] = {}
    shown: set[str] = set()
    errors: dict[str, ValidationError] = {}
    for question in questions:
        if not is_shown(question, answers, shown):
            continue
        shown.add(question.code)
        try:
            value = _parse_one(question, raw.get(question.code, ()), pools.get(question.code))
        except ValidationError as error:
            errors[question.code] = error
            continue
        if value is None:
            if question.required:
                errors[question.code] = ValidationError(MESSAGES["required"], code="required")
            continue
        answers[question.code] = value
    if errors:
        raise ValidationError(errors)
    return answers


def stored(question: Question, value: Any) -> tuple[Any, Decimal | None]:
    """An answer as the database keeps it: a JSON value, and a number for averages."""
    if isinstance(value, date):
        return value.isoformat(), None
    if isinstance(value, Decimal):
        return _number_text(value), value
    if question.type in (QuestionType.SCALE, QuestionType.NUMBER):
        return value, Decimal(value)
    return value, None


def typed(question: Question, value: Any) -> Any:
    """A stored answer back as its type (the one feeds take)."""
    if value is None:
        return None
    if question.type == QuestionType.DATE:
        return date.fromisoformat(value)
    if question.type == QuestionType.NUMBER and not question.integer_only:
        return Decimal(str(value))
    return value


# --- Pools of ranking questions ---------------------------------------------------------------


def questions_of(campaign: Campaign) -> list[Question]:
    return list(
        campaign.questionnaire.questions.select_related("section").order_by(
            "section__position", "position", "pk"
        )
    )


def pool_people(campaign: Campaign, question: Question) -> list[Person]:
    """Whom a ranking question lets the respondent name: the pool audience of the campaign's
    programme (and form), only people whose data may be used for the programme."""
    audience = AUDIENCES.get(question.pool)
    if audience is None:
        return []
    params: dict[str, Any] = {"form": campaign.form_id} if campaign.form_id else {}
    try:
        people = audience.people(campaign.programme, params)
    except ImportError:
        logger.error("audience %s is not available", question.pool)
        return []
    people = with_valid_consent(people, Purpose.PARTICIPATION, org_today(campaign.organisation))
    return list(people.order_by("last_name", "first_name", "middle_name", "pk"))


def family_of(person: Person) -> set[int]:
    """The person and their family as the guardian links record it: guardians, children, and
    the other children of their guardians — nobody names them as a mentor or mentee."""
    guardians = set(GuardianLink.objects.filter(child=person).values_list("guardian_id", flat=True))
    children = set(GuardianLink.objects.filter(guardian=person).values_list("child_id", flat=True))
    siblings = set(
        GuardianLink.objects.filter(guardian__in=guardians).values_list("child_id", flat=True)
    )
    return {person.pk} | guardians | children | siblings


def pools_of(
    campaign: Campaign, questions: Sequence[Question], respondent: Person | None = None
) -> dict[str, list[Person]]:
    """Whom each ranking question lists; never the respondent nor the respondent's family."""
    left_out = family_of(respondent) if respondent is not None else set()
    return {
        q.code: [p for p in pool_people(campaign, q) if p.pk not in left_out]
        for q in questions
        if q.type == QuestionType.RANKING
    }


def _pool_keys(pools: Mapping[str, list[Person]]) -> dict[str, set[int]]:
    return {code: {p.pk for p in people} for code, people in pools.items()}


# --- Finding the invitation -----------------------------------------------------------------


def _invitations() -> Any:
    return Invitation.objects.select_related(
        "campaign__organisation",
        "campaign__questionnaire",
        "campaign__programme",
        "person",
    )


def invitation_by_token(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return _invitations().filter(token_hash=hash_secret(token)).first()


def invitation_by_code(typed_code: str) -> Invitation | None:
    code = normalise_code(typed_code or "")
    if code is None:
        return None
    return _invitations().filter(code_hash=hash_secret(code)).first()


def check_usable(invitation: Invitation, *, paper: bool = False) -> None:
    """Raise InvitationNotUsable unless the invitation can take answers now. Typed in from
    paper, answers are taken after the deadline too, until the campaign is closed."""
    campaign = invitation.campaign
    if invitation.answered:
        raise InvitationNotUsable("answered", invitation)
    if campaign.closed_at is not None:
        raise InvitationNotUsable("closed", invitation)
    today = org_today(campaign.organisation)
    if not paper and today > campaign.deadline:
        raise InvitationNotUsable("expired", invitation)
    if not campaign.anonymous and not _may_take_part(invitation.person, today):
        raise InvitationNotUsable("no_consent", invitation)


def _may_take_part(person: Person, today: date) -> bool:
    # One query; the same rule as `consents.rules.may_use`.
    people = Person.objects.filter(pk=person.pk)
    return with_valid_consent(people, Purpose.PARTICIPATION, today).exists()


# --- Saving ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedNote:
    question: str
    feed: str
    reason: str


def _apply_feeds(
    campaign: Campaign,
    person: Person,
    questions: Sequence[Question],
    answers: Mapping[str, Any],
    answered_on: date,
    by: User | None,
) -> list[FeedNote]:
    """Write the answers that feed the bases; what a base cannot take is noted, not lost."""
    notes = []
    for question in questions:
        if not question.feed or question.code not in answers:
            continue
        feed, argument = feed_for(question.feed)
        try:
            import_string(feed.handler)
        except ImportError:
            logger.error("feed handler %s is missing", feed.handler)
            notes.append(FeedNote(question.code, question.feed, str(MESSAGES["feed_missing"])))
            continue
        context = FeedContext(
            programme=campaign.programme,
            person=person,
            form=campaign.form,
            phase=campaign.phase,
            answered_on=answered_on,
            by=by,
            argument=argument,
        )
        try:
            # A savepoint: a handler that gives up half-way leaves nothing behind.
            with transaction.atomic():
                feed.apply(context, answers[question.code])
        except FeedSkipped as skipped:
            notes.append(FeedNote(question.code, question.feed, str(skipped.reason)))
    return notes


def _save(
    campaign: Campaign,
    questions: Sequence[Question],
    answers: Mapping[str, Any],
    *,
    invitation: Invitation | None,
    channel: str,
    by: User | None,
) -> Response:
    today = org_today(campaign.organisation)
    named = invitation is not None and not campaign.anonymous
    response = Response.objects.create(
        organisation=campaign.organisation,
        campaign=campaign,
        invitation=invitation if named else None,
        person=invitation.person if named else None,  # type: ignore[union-attr]
        channel=channel if named or channel == Channel.PAPER else Channel.ONLINE,
        submitted_on=today,
        submitted_at=timezone.now() if named else None,
        entered_by=by,
    )
    by_code = {q.code: q for q in questions}
    rows = []
    for code, value in answers.items():
        question = by_code[code]
        json_value, number = stored(question, value)
        rows.append(
            Answer(
                organisation=campaign.organisation,
                response=response,
                question=question,
                value=json_value,
                number=number,
            )
        )
    Answer.objects.bulk_create(rows)
    if named:
        person = invitation.person  # type: ignore[union-attr]
        notes = _apply_feeds(campaign, person, questions, answers, today, by)
        if notes:
            response.feed_notes = [note.__dict__ for note in notes]
            response.save(update_fields=["feed_notes"])
        audit_record(
            campaign.organisation,
            action=AuditAction.CREATE,
            object_type=AuditObject.RESPONSE,
            object_id=response.pk,
            label=f"{campaign.title}: {person.full_name}",
            by=by,
            person=person,
            channel=AuditChannel.WEB if by is not None else AuditChannel.LINK,
            changes={"campaign": [None, campaign.pk], "channel": [None, channel]},
        )
    return response


@transaction.atomic
def response_submit(
    invitation: Invitation, raw: Raw, *, channel: str, by: User | None = None
) -> Response:
    """Save the answers of an invitation. Anonymous campaigns keep only the fact that the
    invitation was answered."""
    locked = _invitations().select_for_update(of=("self",)).get(pk=invitation.pk)
    check_usable(locked, paper=channel == Channel.PAPER)
    campaign = locked.campaign
    questions = questions_of(campaign)
    pools = pools_of(campaign, questions, locked.person)
    answers = parse_answers(questions, raw, _pool_keys(pools))
    response = _save(campaign, questions, answers, invitation=locked, channel=channel, by=by)
    locked.answered = True
    locked.save(update_fields=["answered"])
    return response


@transaction.atomic
def response_enter_anonymous(campaign: Campaign, raw: Raw, *, by: User | None) -> Response:
    """An anonymous paper form typed in by the curator, until the campaign is closed."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not locked.anonymous:
        raise ValidationError(MESSAGES["anonymous_only"], code="anonymous_only")
    if locked.closed_at is not None:
        raise InvitationNotUsable("closed")
    questions = questions_of(campaign)
    answers = parse_answers(questions, raw, _pool_keys(pools_of(campaign, questions)))
    return _save(campaign, questions, answers, invitation=None, channel=Channel.PAPER, by=by)
