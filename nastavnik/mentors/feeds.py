"""Answers of the mentor application that land in the mentor base (see
`nastavnik.questionnaires.feeds` for the contract).

Each handler finds the respondent's entry in the programme's mentor base, or creates it as a
candidate, and writes one profile field through `services.mentor_update`, so a questionnaire
answer obeys the same rules as the curator's form. The campaign's form, when it has one, is
added to the mentor's forms. A person whose data may not be used (no valid consent to take
part, or data hidden after a withdrawal), an entry that has left or was turned down, and a
value the base cannot take are skipped with the reason: the answer itself is kept either way.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nastavnik.catalogue.models import MentoringForm
from nastavnik.catalogue.profile import SLOTS, MeetingFormat
from nastavnik.consents.models import Purpose
from nastavnik.consents.rules import is_hidden, may_use
from nastavnik.mentors import services
from nastavnik.mentors.models import INACTIVE_STATUSES, Mentor
from nastavnik.programmes.models import ProgrammeStatus
from nastavnik.questionnaires.feeds import FeedContext, FeedSkipped

YES = ("yes", "да", "true", "1")
NO = ("no", "нет", "false", "0")


def _entry(feed: FeedContext) -> Mentor:
    person, programme = feed.person, feed.programme
    if person.organisation_id != programme.organisation_id:
        raise FeedSkipped(_("The respondent is not a person of the programme's organisation."))
    if programme.status == ProgrammeStatus.FINISHED:
        raise FeedSkipped(_("The programme is finished."))
    if is_hidden(person, feed.answered_on) or not may_use(
        person, Purpose.PARTICIPATION, feed.answered_on
    ):
        raise FeedSkipped(
            _("%(name)s has no valid consent to take part in the mentoring programme.")
            % {"name": person.full_name}
        )
    mentor = Mentor.objects.filter(programme=programme, person=person).first()
    if mentor is None:
        mentor = _write(lambda: services.mentor_add(programme, person, by=feed.by))
    elif mentor.status in INACTIVE_STATUSES:
        raise FeedSkipped(
            _("%(name)s is out of the mentor base (%(status)s).")
            % {"name": person.full_name, "status": mentor.get_status_display()}
        )
    return mentor


def _write(write: Any) -> Any:
    try:
        return write()
    except ValidationError as error:
        raise FeedSkipped(" ".join(error.messages)) from error


def _apply(feed: FeedContext, data: dict[str, Any]) -> None:
    """Write `data` into the respondent's entry, with the campaign's form added, all or none."""
    with transaction.atomic():
        mentor = _entry(feed)
        if feed.form is not None:
            forms = list(mentor.forms.all())
            if feed.form.pk not in {form.pk for form in forms}:
                data = {"forms": [*forms, feed.form], **data}
        _write(lambda: services.mentor_update(mentor, data, by=feed.by))


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "\n".join(str(item) for item in value if item is not None)
    if value is None:
        return ""
    return str(value)


def _unknown(value: Any) -> FeedSkipped:
    return FeedSkipped(_("The answer «%(value)s» does not fit the mentor base.") % {"value": value})


def _number(value: Any) -> int:
    """A whole number from a scale, a number or a typed text; anything else is skipped."""
    if isinstance(value, bool):
        raise _unknown(value)
    if isinstance(value, int):
        return value
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise _unknown(value) from None
    if number != number.to_integral_value():
        raise _unknown(value)
    return int(number)


def _choices(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    raise _unknown(value)


# --- The handlers named in questionnaires.feeds.FEEDS ------------------------------------------


def competencies(feed: FeedContext, value: Any) -> None:
    _apply(feed, {"competencies": _text(value)})


def subjects(feed: FeedContext, value: Any) -> None:
    _apply(feed, {"subjects": value if isinstance(value, list) else _text(value)})


def experience(feed: FeedContext, value: Any) -> None:
    _apply(feed, {"experience_years": _number(value)})


def hours(feed: FeedContext, value: Any) -> None:
    _apply(feed, {"hours_per_month": _number(value)})


def availability(feed: FeedContext, value: Any) -> None:
    slots = _choices(value)
    unknown = [slot for slot in slots if slot not in SLOTS]
    if unknown:
        raise _unknown(", ".join(unknown))
    _apply(feed, {"availability": slots})


def meeting_format(feed: FeedContext, value: Any) -> None:
    """The stored value («in_person») or its label, in any case."""
    text = _text(value).strip().casefold()
    for choice in MeetingFormat:
        if text in (choice.value, str(choice.label).casefold()):
            _apply(feed, {"meeting_format": choice.value})
            return
    raise _unknown(value)


def motivation(feed: FeedContext, value: Any) -> None:
    _apply(feed, {"motivation": _text(value)})


def forms(feed: FeedContext, value: Any) -> None:
    """Codes of the mentoring forms the mentor takes; they join the forms already there."""
    codes = list(dict.fromkeys(_choices(value)))
    organisation = feed.programme.organisation
    found = {
        form.code: form
        for form in MentoringForm.objects.available_to(organisation).filter(code__in=codes)
    }
    # The organisation's own form of a code comes before the built-in one.
    for form in MentoringForm.objects.filter(organisation=organisation, code__in=codes):
        found[form.code] = form
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise _unknown(", ".join(unknown))
    with transaction.atomic():
        mentor = _entry(feed)
        chosen = {form.pk: form for form in mentor.forms.all()}
        for form in (*(found[code] for code in codes), feed.form):
            if form is not None:
                chosen.setdefault(form.pk, form)
        _write(lambda: services.mentor_update(mentor, {"forms": list(chosen.values())}, by=feed.by))


def share(feed: FeedContext, value: Any) -> None:
    answer = _text(value).strip().casefold()
    if answer in YES:
        _apply(feed, {"share_with_others": True})
    elif answer in NO:
        _apply(feed, {"share_with_others": False})
    else:
        raise _unknown(value)


def preferences(feed: FeedContext, value: Any) -> None:
    """A ranking of people, best first: primary keys of the organisation's people."""
    if not isinstance(value, list | tuple):
        raise _unknown(value)
    _apply(feed, {"preferences": [_number(item) for item in value]})
