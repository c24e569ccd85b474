"""What depersonalisation clears beyond the person's own row and consents: the free text
written by or about the person and the files uploaded for them (152-ФЗ art. 21: data whose
processing has no ground left are destroyed or depersonalised).

Kept: the structured facts the aggregate figures count (statuses, dates, scores, codes of
topics, pks), the rows themselves, and text that belongs to the pair or the programme rather
than to the person (meeting notes, plan items, the pair's achievements).
"""

from __future__ import annotations

from django.db.models import Q

from nastavnik.accounts.models import Invitation as AccountInvitation
from nastavnik.awards.models import JuryScore, Nominee
from nastavnik.concerns.models import Concern
from nastavnik.consents.models import ConsentLink
from nastavnik.meetings.models import Feedback
from nastavnik.mentees.models import Mentee, MenteeInput
from nastavnik.mentors.models import (
    Interview,
    Mentor,
    MentorDocument,
    PortfolioItem,
    SelectionScore,
)
from nastavnik.mentorships.models import MentorshipResult
from nastavnik.people.models import Person
from nastavnik.questionnaires.models import TEXT_TYPES, Answer, Response
from nastavnik.questionnaires.models import Invitation as CampaignInvitation

# What a scrubbed text reads, where the field may not be empty.
SCRUBBED = "—"


def person_traces_scrub(person: Person) -> None:
    """Clear the person's free text everywhere and delete their uploaded files from storage."""
    _questionnaire_answers(person)
    _mentee_text(person)
    _mentor_text(person)
    _files(person)
    _awards_text(person)
    # A concern the person raised, about their child, or about them: the reporter's words and
    # the curator's answer and note all tell of the person. The rest of the record stays, so
    # the channel's figures and the link to a replacement survive.
    Concern.objects.filter(Q(reporter=person) | Q(child=person) | Q(about=person)).update(
        text=SCRUBBED, answer="", note=""
    )
    Feedback.objects.filter(author=person).update(comment="")
    MentorshipResult.objects.filter(mentorship__mentor__person=person).update(mentor_feedback="")
    MentorshipResult.objects.filter(mentorship__members__mentee__person=person).update(
        mentee_feedback=""
    )
    # The addresses messages went to: contacts, cleared with the person's own.
    CampaignInvitation.objects.filter(person=person).update(sent_to="")
    ConsentLink.objects.filter(Q(subject=person) | Q(addressee=person)).update(sent_to="")
    AccountInvitation.objects.filter(person=person).update(email="")


def _questionnaire_answers(person: Person) -> None:
    """Free-text answers go; choices, scales and numbers stay for the figures."""
    theirs = Response.objects.filter(Q(person=person) | Q(invitation__person=person))
    Answer.objects.filter(response__in=theirs, question__type__in=TEXT_TYPES).update(value="")
    theirs.update(feed_notes=[])


def _mentee_text(person: Person) -> None:
    Mentee.objects.filter(person=person).update(request_text="", left_reason="")
    # What class teachers, psychologists and parents wrote about the person.
    MenteeInput.objects.filter(mentee__person=person).update(text=SCRUBBED)


def _mentor_text(person: Person) -> None:
    Mentor.objects.filter(person=person).update(
        competencies="", motivation="", decision_note="", left_reason="", training_note=""
    )
    SelectionScore.objects.filter(mentor__person=person).update(note="")
    Interview.objects.filter(mentor__person=person).update(notes=SCRUBBED)
    PortfolioItem.objects.filter(person=person).update(title=SCRUBBED, text="")


def _files(person: Person) -> None:
    """Scans of the person's documents and portfolio files leave the storage; the rows stay
    without them, so the counts do."""
    for document in MentorDocument.objects.select_for_update().filter(person=person):
        if document.scan:
            document.scan.delete(save=False)
        document.scan = ""
        document.save(update_fields=["scan"])
    for item in PortfolioItem.objects.select_for_update().filter(person=person):
        if item.file:
            item.file.delete(save=False)
        item.file = ""
        item.save(update_fields=["file"])


def _awards_text(person: Person) -> None:
    about = Nominee.objects.filter(
        Q(person=person) | Q(mentor__person=person) | Q(mentorship__mentor__person=person)
    )
    about.update(merits="")
    JuryScore.objects.filter(nominee__in=about).update(comment="")
