"""The one place that decides who is told of what, and with which words.

Each `Kind` is one entry: the event it listens to (emitted by the app where the thing happened,
`core.events`), the people to tell (a function of the event's context), and the text and link
for each of them. Adding an event is adding one entry to `KINDS`; its table test lives in
tests/test_registry.py. Texts are rendered in Russian when the event happens and stored with
the notification, so the list and the letters show what was true then.

To add an event (say the self-match's "selfmatch.requested"): emit it where it happens
(`events.emit("selfmatch.requested", request=..., by=user)`), write its recipients and message
functions below with the helpers `people` / `staff` (consents and guardians are handled there),
and add one `Kind` to `KINDS` — plus its row in tests/test_registry.py, whose first test fails
until it is there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from nastavnik.core import events
from nastavnik.notifications.models import Channel
from nastavnik.notifications.recipients import As, Recipient, people, staff, unique
from nastavnik.orgs.models import Role
from nastavnik.people.models import Gender, Person

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The event's objects, and the organisation's slug for links ("org_slug", added by delivery).
Context = dict[str, Any]


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str  # a path on this site


@dataclass(frozen=True)
class Kind:
    event: str
    label: str | Promise
    # The context object whose organisation the notification belongs to.
    about: str
    recipients: Callable[[Context], list[Recipient]]
    message: Callable[[Recipient, Context], Message]
    default: Channel = Channel.MAIL
    # The app already sends its own letter for this event (a reminder, a survey's personal
    # link, the concern channel's content-free alert, the withdrawal's consequences): here it
    # is told in the system only.
    mailed_elsewhere: bool = False

    def organisation_id(self, context: Context) -> int:
        return context[self.about].organisation_id

    @property
    def channels(self) -> list[tuple[str, StrOrPromise]]:
        if self.mailed_elsewhere:
            return [(Channel.IN_APP.value, Channel.IN_APP.label)]
        return list(Channel.choices)


# --- Words ---------------------------------------------------------------------------------


def actor(organisation_id: int, user: Any) -> Person | None:
    """The registry entry of the account that did it, for its name and gender."""
    if user is None:
        return None
    return Person.objects.filter(organisation_id=organisation_id, user=user).first()


def gendered(person: Person | None, male: str, female: str, neutral: str) -> str:
    """A verb about a person agrees with their gender («отменил» / «отменила»)."""
    if person is None:
        return neutral
    return female if person.gender == Gender.FEMALE else male


def _when(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _day(day: Any) -> str:
    return date_format(day, "DATE_FORMAT")


def cabinet_url(recipient: Recipient, context: Context, staff_url: str = "") -> str:
    """Where the recipient sees it: their cabinet, or the staff page of the thing."""
    slug = context["org_slug"]
    names = {
        As.MENTOR: "cabinets:mentor",
        As.MENTEE: "cabinets:mentee",
        As.GUARDIAN: "cabinets:guardian",
    }
    if recipient.capacity in names:
        return reverse(names[recipient.capacity], kwargs={"org_slug": slug})
    return staff_url or reverse("orgs:dashboard", kwargs={"org_slug": slug})


def _page(context: Context, name: str, **pk: int) -> str:
    """The path of a page of the event's organisation: the URL `name` with its pk argument."""
    return reverse(name, kwargs={"org_slug": context["org_slug"], **pk})


def _child_note(recipient: Recipient) -> str:
    if recipient.child is None:
        return ""
    return "\n" + _("You receive this as the legal guardian of %(name)s.") % {
        "name": recipient.child.full_name
    }


# --- Who: the members of a pair --------------------------------------------------------------


def pair_people(mentorship: Any, *, mentor: bool = True) -> list[tuple[Person, As]]:
    wanted = [(mentorship.mentor.person, As.MENTOR)] if mentor else []
    members = mentorship.members.filter(active=True).select_related("mentee__person")
    wanted += [(member.mentee.person, As.MENTEE) for member in members]
    return wanted


# --- Meetings ------------------------------------------------------------------------------


def _meeting_people(context: Context) -> list[Recipient]:
    meeting = context["meeting"]
    return people(meeting.organisation_id, pair_people(meeting.mentorship))


def _meeting_message(
    recipient: Recipient, context: Context, *, title: str, male: str, female: str, neutral: str
) -> Message:
    meeting = context["meeting"]
    who = actor(meeting.organisation_id, context.get("by"))
    when = _when(meeting.starts_at)
    text = gendered(who, male, female, neutral) % {
        "name": who.short_name if who else "",
        "when": when,
        "topic": meeting.get_kind_display(),
    }
    if context.get("reason"):
        text += "\n" + _("Reason: %(reason)s") % {"reason": context["reason"]}
    url = _page(context, "meetings:detail", meeting_pk=meeting.pk)
    return Message(title % {"when": when}, text + _child_note(recipient), url)


def _meeting_words(
    title: StrOrPromise, male: StrOrPromise, female: StrOrPromise, neutral: StrOrPromise
) -> Callable[[Recipient, Context], Message]:
    """One meeting event's message. The words are lazy and looked up when a message is made,
    in the language delivery activated."""

    def message(recipient: Recipient, context: Context) -> Message:
        return _meeting_message(
            recipient,
            context,
            title=str(title),
            male=str(male),
            female=str(female),
            neutral=str(neutral),
        )

    return message


_scheduled_message = _meeting_words(
    gettext_lazy("A meeting on %(when)s"),
    gettext_lazy("%(name)s scheduled a meeting on %(when)s. Topic: %(topic)s."),
    pgettext_lazy("female", "%(name)s scheduled a meeting on %(when)s. Topic: %(topic)s."),
    gettext_lazy("A meeting is scheduled on %(when)s. Topic: %(topic)s."),
)
_changed_message = _meeting_words(
    gettext_lazy("The meeting is changed: %(when)s"),
    gettext_lazy("%(name)s changed the meeting: now on %(when)s, topic: %(topic)s."),
    pgettext_lazy("female", "%(name)s changed the meeting: now on %(when)s, topic: %(topic)s."),
    gettext_lazy("The meeting is changed: now on %(when)s, topic: %(topic)s."),
)
_cancelled_message = _meeting_words(
    gettext_lazy("The meeting on %(when)s is cancelled"),
    gettext_lazy("%(name)s cancelled the meeting on %(when)s."),
    pgettext_lazy("female", "%(name)s cancelled the meeting on %(when)s."),
    gettext_lazy("The meeting on %(when)s is cancelled."),
)


def _reminder_message(recipient: Recipient, context: Context) -> Message:
    meeting = context["meeting"]
    url = _page(context, "meetings:detail", meeting_pk=meeting.pk)
    return Message(
        _("Reminder: a meeting on %(when)s") % {"when": _when(meeting.starts_at)},
        _("Topic: %(topic)s. Place: %(place)s.")
        % {"topic": meeting.get_kind_display(), "place": meeting.place or "—"}
        + _child_note(recipient),
        url,
    )


def _feedback_people(context: Context) -> list[Recipient]:
    """Those who were at the meeting and have not rated it yet (no guardians: the rating is the
    participant's own)."""
    from nastavnik.meetings.models import Feedback

    meeting = context["meeting"]
    rated = set(Feedback.objects.filter(meeting=meeting).values_list("author_id", flat=True))
    present = meeting.attendance.select_related("member__mentee__person")
    wanted = [(meeting.mentor.person, As.MENTOR)] + [
        (a.member.mentee.person, As.MENTEE) for a in present
    ]
    return people(
        meeting.organisation_id,
        [(person, capacity) for person, capacity in wanted if person.pk not in rated],
        guardians=False,
    )


def _feedback_message(recipient: Recipient, context: Context) -> Message:
    meeting = context["meeting"]
    return Message(
        _("Rate the meeting of %(when)s") % {"when": _when(meeting.starts_at)},
        _("The meeting took place. Please rate it in your cabinet: it takes a minute."),
        cabinet_url(recipient, context),
    )


# --- Plans ---------------------------------------------------------------------------------


def _plan_people(context: Context) -> list[Recipient]:
    plan = context["comment"].plan
    return people(plan.organisation_id, pair_people(plan.mentorship))


def _plan_message(recipient: Recipient, context: Context) -> Message:
    comment = context["comment"]
    who = actor(comment.organisation_id, context.get("by"))
    text = gendered(
        who,
        _("%(name)s commented on the development plan:"),
        pgettext("female", "%(name)s commented on the development plan:"),
        _("A comment on the development plan:"),
    ) % {"name": who.short_name if who else ""}
    return Message(
        _("A new comment on the development plan"),
        f"{text}\n{comment.text[:500]}" + _child_note(recipient),
        cabinet_url(recipient, context),
    )


# --- Pairs ---------------------------------------------------------------------------------


def _replacement_people(context: Context) -> list[Recipient]:
    mentorship = context["mentorship"]
    previous = context.get("previous")
    wanted = pair_people(mentorship)
    if previous is not None:
        wanted.append((previous.person, As.MENTOR))
    return people(mentorship.organisation_id, wanted)


def _replacement_message(recipient: Recipient, context: Context) -> Message:
    mentorship = context["mentorship"]
    new = mentorship.mentor.person
    previous = context.get("previous")
    day = _day(context["on"])
    if (
        previous is not None
        and recipient.person is not None
        and recipient.person.pk == (previous.person_id)
    ):
        body = _("From %(day)s the pair is mentored by %(name)s. Thank you for your work.")
    elif recipient.person is not None and recipient.person.pk == new.pk:
        body = _("From %(day)s you mentor the pair of %(name)s.")
        return Message(
            _("You are the new mentor of a pair"),
            body % {"day": day, "name": _mentees(mentorship)},
            cabinet_url(recipient, context, mentorship.get_absolute_url()),
        )
    else:
        body = _("From %(day)s the mentor is %(name)s.")
    return Message(
        _("The mentor has changed"),
        body % {"day": day, "name": new.full_name} + _child_note(recipient),
        cabinet_url(recipient, context, mentorship.get_absolute_url()),
    )


def _mentees(mentorship: Any) -> str:
    return ", ".join(
        m.mentee.person.short_name
        for m in mentorship.members.filter(active=True).select_related("mentee__person")
    )


def _ended_people(context: Context) -> list[Recipient]:
    # After the end nobody is an active member: the event names who was in it at the end.
    mentorship = context["mentorship"]
    wanted = [(mentorship.mentor.person, As.MENTOR)]
    wanted += [(person, As.MENTEE) for person in context["mentees"]]
    return people(mentorship.organisation_id, wanted)


def _ended_message(recipient: Recipient, context: Context) -> Message:
    from nastavnik.mentorships.models import MentorshipStatus

    mentorship = context["mentorship"]
    day = _day(mentorship.ended_on)
    if mentorship.status in (MentorshipStatus.COMPLETED, MentorshipStatus.COMPLETED_EARLY):
        title = _("The mentoring is completed")
        body = _("The mentoring was completed on %(day)s. Thank you!") % {"day": day}
    else:
        title = _("The mentoring has ended")
        body = _("The mentoring ended on %(day)s; the curator will say what comes next.") % {
            "day": day
        }
    return Message(title, body + _child_note(recipient), cabinet_url(recipient, context))


def _extended_people(context: Context) -> list[Recipient]:
    mentorship = context["extension"].mentorship
    return people(mentorship.organisation_id, pair_people(mentorship))


def _extended_message(recipient: Recipient, context: Context) -> Message:
    extension = context["extension"]
    days = extension.days
    body = ngettext(
        "The term of the mentoring was extended by %(n)s day, until %(day)s.",
        "The term of the mentoring was extended by %(n)s days, until %(day)s.",
        days,
    ) % {"n": days, "day": _day(extension.planned_end_after)}
    return Message(
        _("The term of the mentoring is extended"),
        body + _child_note(recipient),
        cabinet_url(recipient, context),
    )


# --- Concerns ------------------------------------------------------------------------------


def _concern_staff(context: Context) -> list[Recipient]:
    """The curators (and the psychologists, if the reporter chose so), never anyone the concern
    is about: a mentor is not told of a concern about them, even as a curator."""
    from nastavnik.concerns.access import PSYCHOLOGIST_POSITION
    from nastavnik.concerns.services import people_about

    concern = context["concern"]
    about = set(
        Person.objects.filter(pk__in=people_about(concern), user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    told = staff(concern.organisation_id, [Role.CURATOR], exclude_users=about)
    if concern.to_psychologist:
        psychologists = Person.objects.filter(
            organisation_id=concern.organisation_id,
            position__icontains=PSYCHOLOGIST_POSITION,
            user__isnull=False,
        ).values_list("user_id", flat=True)
        told += [
            r
            for r in staff(concern.organisation_id, [Role.SPECIALIST], exclude_users=about)
            if r.user_id in set(psychologists)
        ]
    return unique(told)


def _concern_message(recipient: Recipient, context: Context) -> Message:
    concern = context["concern"]
    # The text stays on its page, read under the audit log: the notification only points there.
    return Message(
        _("Urgent concern in the safeguarding channel")
        if concern.urgent
        else _("New concern in the safeguarding channel"),
        _("Concern No. %(n)s is waiting for an answer.") % {"n": concern.pk},
        concern.get_absolute_url(),
    )


def _reporter(context: Context) -> list[Recipient]:
    concern = context["concern"]
    if concern.reporter_user_id is None:
        return []
    return [Recipient(concern.reporter_user_id, As.REPORTER, concern.reporter)]


def _answer_message(recipient: Recipient, context: Context) -> Message:
    concern = context["concern"]
    url = _page(context, "concerns:own_detail", own_concern_pk=concern.pk)
    return Message(
        _("Your concern was answered"),
        _("The curator answered your concern No. %(n)s. The answer is in the system.")
        % {"n": concern.pk},
        url,
    )


# --- Self-match: a mentee asks a suggested mentor ------------------------------------------


def _selfmatch_mentee(context: Context) -> list[Recipient]:
    # The mentee and, for a minor, the guardians: under 14 the guardian asked, from 14 the
    # mentee did and the guardian is told all the same.
    request = context["request"]
    return people(request.organisation_id, [(request.mentee.person, As.MENTEE)])


def _selfmatch_mentor(context: Context) -> list[Recipient]:
    request = context["request"]
    return people(request.organisation_id, [(request.mentor.person, As.MENTOR)], guardians=False)


def _selfmatch_requested_people(context: Context) -> list[Recipient]:
    # The mentor is asked; the mentee's guardians learn what was asked in their child's name.
    request = context["request"]
    mentee_side = [r for r in _selfmatch_mentee(context) if r.capacity == As.GUARDIAN]
    return unique(
        _selfmatch_mentor(context) + mentee_side + staff(request.organisation_id, [Role.CURATOR])
    )


def _selfmatch_answered_people(context: Context) -> list[Recipient]:
    # An accepted request waits for the curator's approval.
    request = context["request"]
    curators = staff(request.organisation_id, [Role.CURATOR]) if context.get("accepted") else []
    return unique(_selfmatch_mentee(context) + curators)


def _selfmatch_everyone(context: Context) -> list[Recipient]:
    return unique(_selfmatch_mentee(context) + _selfmatch_mentor(context))


def _selfmatch_url(recipient: Recipient, context: Context) -> str:
    request = context["request"]
    staff_url = _page(context, "matching:selfmatch_approve", selfmatch_request_pk=request.pk)
    return cabinet_url(recipient, context, staff_url)


def _selfmatch_message(recipient: Recipient, context: Context, title: str, text: str) -> Message:
    request = context["request"]
    words = {
        "mentee": request.mentee.person.short_name,
        "mentor": request.mentor.person.short_name,
        "day": _day(timezone.localtime(request.answer_by).date()),
    }
    return Message(
        title % words, text % words + _child_note(recipient), _selfmatch_url(recipient, context)
    )


def _requested_message(recipient: Recipient, context: Context) -> Message:
    request = context["request"]
    if recipient.capacity == As.MENTOR:
        text = _("%(mentee)s asks you to be their mentor. Please answer by %(day)s.")
        if request.message:
            text += "\n" + _("The message: %(message)s") % {"message": request.message}
    elif recipient.capacity == As.GUARDIAN:
        text = _("A request to the mentor %(mentor)s has been sent for %(mentee)s.")
    else:
        text = _("%(mentee)s asked %(mentor)s to be their mentor; the mentor answers by %(day)s.")
    return _selfmatch_message(recipient, context, _("A request for a mentor"), text)


def _answered_message(recipient: Recipient, context: Context) -> Message:
    if context.get("accepted"):
        title = _("The mentor agreed")
        text = _(
            "%(mentor)s agreed to mentor %(mentee)s. The pair is formed once the curator "
            "approves it."
        )
    else:
        title = _("The mentor declined")
        text = _(
            "%(mentor)s cannot mentor %(mentee)s. You may choose another of the suggested mentors."
        )
    return _selfmatch_message(recipient, context, title, text)


def _selfmatch_words(
    title: StrOrPromise, text: StrOrPromise
) -> Callable[[Recipient, Context], Message]:
    """A self-match message with the same words for everyone it goes to (lazy: looked up when
    the message is made, in the language delivery activated)."""

    def message(recipient: Recipient, context: Context) -> Message:
        return _selfmatch_message(recipient, context, str(title), str(text))

    return message


_selfmatch_reminder_message = _selfmatch_words(
    gettext_lazy("Reminder: a request for a mentor"),
    gettext_lazy("%(mentee)s is waiting for your answer until %(day)s."),
)
_expired_message = _selfmatch_words(
    gettext_lazy("A request for a mentor expired"),
    gettext_lazy(
        "The request of %(mentee)s to %(mentor)s got no answer in time and expired. "
        "Another mentor may be chosen."
    ),
)
_approved_message = _selfmatch_words(
    gettext_lazy("The pair is formed"),
    gettext_lazy("The curator approved the pair %(mentor)s — %(mentee)s."),
)
_declined_message = _selfmatch_words(
    gettext_lazy("The curator did not approve the pair"),
    gettext_lazy(
        "The curator did not approve the pair %(mentor)s — %(mentee)s; the mentee stays "
        "for the curator's matching."
    ),
)
_closed_message = _selfmatch_words(
    gettext_lazy("A request for a mentor is closed"),
    gettext_lazy(
        "%(mentee)s was paired with another mentor, so the request to %(mentor)s is closed."
    ),
)


# --- Awards --------------------------------------------------------------------------------


def _award_people(context: Context) -> list[Recipient]:
    from nastavnik.awards.services import nominee_people

    nomination = context["nomination"]
    wanted = [
        (person, As.MENTEE)
        for nominee in nomination.nominees.all()
        for person in nominee_people(nominee)
    ]
    return people(nomination.organisation_id, wanted)


def _award_message(recipient: Recipient, context: Context) -> Message:
    from nastavnik.awards.services import nominee_people

    nomination = context["nomination"]
    place = None
    subject = recipient.child or recipient.person
    for nominee in nomination.nominees.all():
        if subject is not None and subject.pk in {p.pk for p in nominee_people(nominee)}:
            place = nominee.place
    if place:
        body = _("Place %(place)s in the nomination «%(name)s». Congratulations!")
    else:
        body = _("The results of the nomination «%(name)s» are decided. Thank you for taking part!")
    return Message(
        _("The results of the nomination «%(name)s»") % {"name": nomination.name},
        body % {"place": place, "name": nomination.name} + _child_note(recipient),
        cabinet_url(recipient, context),
    )


# --- Consents ------------------------------------------------------------------------------


def _expiring_people(context: Context) -> list[Recipient]:
    consent = context["consent"]
    return people(consent.organisation_id, [(consent.subject, As.MENTEE)])


def _expiring_message(recipient: Recipient, context: Context) -> Message:
    consent = context["consent"]
    days = context["days"]
    body = ngettext(
        "The consent «%(purpose)s» ends in %(n)s day, on %(day)s. Ask the curator to renew it.",
        "The consent «%(purpose)s» ends in %(n)s days, on %(day)s. Ask the curator to renew it.",
        days,
    ) % {"purpose": consent.get_purpose_display(), "n": days, "day": _day(consent.valid_until)}
    return Message(
        _("A consent is about to end"),
        body + _child_note(recipient),
        cabinet_url(recipient, context),
    )


def _withdrawn_people(context: Context) -> list[Recipient]:
    """The curators, and the mentors of the pairs the withdrawal suspended (not the one who
    withdrew: their data may not be used any more)."""
    from nastavnik.mentorships.models import Mentorship, MentorshipStatus

    consent = context["consent"]
    pairs = Mentorship.objects.filter(
        status=MentorshipStatus.ACTIVE, members__mentee__person=consent.subject
    ).select_related("mentor__person")
    wanted = [(pair.mentor.person, As.MENTOR) for pair in pairs]
    return unique(
        staff(consent.organisation_id, [Role.CURATOR])
        + people(consent.organisation_id, wanted, guardians=False)
    )


def _withdrawn_message(recipient: Recipient, context: Context) -> Message:
    from nastavnik.mentorships.models import Mentorship, MentorshipStatus

    consent = context["consent"]
    if recipient.capacity == As.MENTOR:
        return Message(
            _("Work with a mentee is paused"),
            _("The work of your pair is paused; the curator will say what comes next."),
            cabinet_url(recipient, context),
        )
    pairs = Mentorship.objects.filter(
        status=MentorshipStatus.ACTIVE, members__mentee__person=consent.subject
    ).count()
    changed = ngettext(
        "%(n)s pair is paused until a new consent.",
        "%(n)s pairs are paused until a new consent.",
        pairs,
    ) % {"n": pairs}
    url = _page(context, "consents:person", person_pk=consent.subject_id)
    return Message(
        _("A consent was withdrawn"),
        _("The consent «%(purpose)s» of %(name)s was withdrawn.")
        % {"purpose": consent.get_purpose_display(), "name": consent.subject.short_name}
        + ("\n" + changed if pairs else ""),
        url,
    )


# --- Questionnaires ------------------------------------------------------------------------


def _campaign_people(context: Context) -> list[Recipient]:
    campaign = context["campaign"]
    invited = Person.objects.filter(
        organisation_id=campaign.organisation_id, pk__in=context["people"]
    )
    return people(campaign.organisation_id, [(person, As.MENTEE) for person in invited])


def _campaign_message(recipient: Recipient, context: Context) -> Message:
    campaign = context["campaign"]
    return Message(
        _("A questionnaire to fill in: «%(title)s»") % {"title": campaign.title},
        _("Please answer by %(day)s.") % {"day": _day(campaign.deadline)} + _child_note(recipient),
        cabinet_url(recipient, context),
    )


# --- The registry --------------------------------------------------------------------------


KINDS: dict[str, Kind] = {
    kind.event: kind
    for kind in (
        Kind(
            "meeting.scheduled",
            gettext_lazy("A meeting is scheduled"),
            "meeting",
            _meeting_people,
            _scheduled_message,
        ),
        Kind(
            "meeting.changed",
            gettext_lazy("A meeting is changed"),
            "meeting",
            _meeting_people,
            _changed_message,
        ),
        Kind(
            "meeting.cancelled",
            gettext_lazy("A meeting is cancelled"),
            "meeting",
            _meeting_people,
            _cancelled_message,
        ),
        Kind(
            "meeting.reminder",
            gettext_lazy("A reminder of a meeting"),
            "meeting",
            _meeting_people,
            _reminder_message,
            default=Channel.IN_APP,
            mailed_elsewhere=True,
        ),
        Kind(
            "meeting.held",
            gettext_lazy("Rate a meeting"),
            "meeting",
            _feedback_people,
            _feedback_message,
            default=Channel.DIGEST,
        ),
        Kind(
            "plan.commented",
            gettext_lazy("A comment on the development plan"),
            "comment",
            _plan_people,
            _plan_message,
        ),
        Kind(
            "mentorship.mentor_replaced",
            gettext_lazy("The mentor has changed"),
            "mentorship",
            _replacement_people,
            _replacement_message,
        ),
        Kind(
            "mentorship.ended",
            gettext_lazy("The mentoring is completed or ended"),
            "mentorship",
            _ended_people,
            _ended_message,
        ),
        Kind(
            "mentorship.extended",
            gettext_lazy("The term of the mentoring is extended"),
            "extension",
            _extended_people,
            _extended_message,
        ),
        Kind(
            "concern.raised",
            gettext_lazy("A concern in the safeguarding channel"),
            "concern",
            _concern_staff,
            _concern_message,
            mailed_elsewhere=True,
        ),
        Kind(
            "concern.answered",
            gettext_lazy("An answer to your concern"),
            "concern",
            _reporter,
            _answer_message,
        ),
        Kind(
            "selfmatch.requested",
            gettext_lazy("A request for a mentor"),
            "request",
            _selfmatch_requested_people,
            _requested_message,
        ),
        Kind(
            "selfmatch.answered",
            gettext_lazy("The mentor's answer to a request"),
            "request",
            _selfmatch_answered_people,
            _answered_message,
        ),
        Kind(
            "selfmatch.reminder",
            gettext_lazy("A reminder of a request for a mentor"),
            "request",
            _selfmatch_mentor,
            _selfmatch_reminder_message,
        ),
        Kind(
            "selfmatch.expired",
            gettext_lazy("A request for a mentor expired"),
            "request",
            _selfmatch_everyone,
            _expired_message,
        ),
        Kind(
            "selfmatch.approved",
            gettext_lazy("A chosen pair is approved"),
            "request",
            _selfmatch_everyone,
            _approved_message,
        ),
        Kind(
            "selfmatch.declined_by_curator",
            gettext_lazy("A chosen pair is not approved"),
            "request",
            _selfmatch_everyone,
            _declined_message,
        ),
        Kind(
            "selfmatch.closed",
            gettext_lazy("A request for a mentor is closed"),
            "request",
            _selfmatch_everyone,
            _closed_message,
        ),
        Kind(
            "award.decided",
            gettext_lazy("The results of a nomination"),
            "nomination",
            _award_people,
            _award_message,
        ),
        Kind(
            "consent.expiring",
            gettext_lazy("A consent is about to end"),
            "consent",
            _expiring_people,
            _expiring_message,
        ),
        Kind(
            "consent.withdrawn",
            gettext_lazy("A consent was withdrawn"),
            "consent",
            _withdrawn_people,
            _withdrawn_message,
            # meetings.withdrawal already writes to the curator and the mentor what changed.
            mailed_elsewhere=True,
        ),
        Kind(
            "questionnaire.assigned",
            gettext_lazy("A questionnaire to fill in"),
            "campaign",
            _campaign_people,
            _campaign_message,
            mailed_elsewhere=True,
        ),
    )
}


def kind_of(event: str) -> Kind | None:
    return KINDS.get(event)


def connect() -> None:
    """Listen to every event of the registry (NotificationsConfig.ready)."""
    from nastavnik.notifications.delivery import notify

    for event in KINDS:
        events.subscribe(event, notify)


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
