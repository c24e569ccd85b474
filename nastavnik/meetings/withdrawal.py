"""What a withdrawn participation consent does to the pairs and groups at work, at once.

Registered with `consents.services.on_withdrawal` (MeetingsConfig.ready) and run inside the
withdrawal's transaction: every active pair and group of the person is suspended (the state
itself is derived, see `mentorships.suspension`); where the whole pair is suspended its future
planned meetings are cancelled; the curator of the programme and the mentor are told by mail —
that the participation is suspended, never why (the reason belongs to the consent register).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from nastavnik.consents.models import Consent, Purpose
from nastavnik.consents.rules import is_hidden, is_participation_withdrawn, needed_for
from nastavnik.core.tasks import queue_mail
from nastavnik.meetings.models import Meeting
from nastavnik.meetings.services import meeting_cancel
from nastavnik.mentorships.models import Mentorship, MentorshipStatus
from nastavnik.mentorships.suspension import suspension_of
from nastavnik.people.models import Person

if TYPE_CHECKING:
    from nastavnik.accounts.models import User


def _pairs_of(person: Person) -> list[Mentorship]:
    return list(
        Mentorship.objects.filter(status=MentorshipStatus.ACTIVE)
        .filter(Q(mentor__person=person) | Q(members__mentee__person=person, members__active=True))
        .select_related("organisation", "programme__curator", "mentor__person")
        .distinct()
        .order_by("pk")
    )


def _cancel_future_meetings(mentorship: Mentorship, by: User | None) -> int:
    future = Meeting.objects.filter(mentorship=mentorship, starts_at__gt=timezone.now()).planned()
    cancelled = 0
    for meeting in future.order_by("starts_at", "pk"):
        meeting_cancel(meeting, by=by, reason=str(_("The consent to participation was withdrawn.")))
        cancelled += 1
    return cancelled


def _tell(mentorship: Mentorship, person: Person) -> None:
    """The curator and the mentor (unless the mentor is the one who withdrew), by mail, without
    the reason: that stays in the consent register."""
    url = settings.SITE_URL.rstrip("/") + reverse(
        "mentorships:detail",
        kwargs={"org_slug": mentorship.organisation.slug, "mentorship_pk": mentorship.pk},
    )
    recipients = []
    curator = mentorship.programme.curator
    if curator is not None and curator.email and not is_hidden(curator):
        recipients.append((curator, True))
    mentor = mentorship.mentor.person
    if mentor.pk != person.pk and mentor.email and not is_hidden(mentor):
        recipients.append((mentor, False))
    for recipient, is_curator in recipients:
        with override(settings.LANGUAGE_CODE):
            subject = _("Participation suspended: %(name)s") % {"name": person.full_name}
            lines = [
                _(
                    "The consent to participation of %(name)s in the mentoring programme was "
                    "withdrawn, so their participation in the pair or group of %(mentor)s is "
                    "suspended from today: the plan is read-only, no new meetings can be planned "
                    "and the planned ones are cancelled."
                )
                % {"name": person.full_name, "mentor": mentor.full_name},
            ]
            if is_curator:
                lines.append(
                    _("End the participation by an early completion: %(url)s") % {"url": url}
                )
            else:
                lines.append(_("The curator of the programme will tell you what comes next."))
        queue_mail(subject, "\n\n".join(str(line) for line in lines), recipient.email)


def suspend_participation(consent: Consent, by: User | None) -> None:
    if Purpose(consent.purpose) not in needed_for(Purpose.PARTICIPATION):
        return
    person = consent.subject
    # Another valid consent of the same purpose may still stand (given again since).
    if not is_participation_withdrawn(person):
        return
    for mentorship in _pairs_of(person):
        if suspension_of(mentorship).whole:
            _cancel_future_meetings(mentorship, by)
        _tell(mentorship, person)
