"""A depersonalised person's traces in the mentor base (see `consents.scrub`)."""

from __future__ import annotations

from nastavnik.consents.scrub import SCRUBBED
from nastavnik.mentors.models import (
    Interview,
    Mentor,
    MentorDocument,
    PortfolioItem,
    SelectionScore,
)
from nastavnik.people.models import Person


def person_mentor_text_scrub(person: Person) -> None:
    Mentor.objects.filter(person=person).update(
        competencies="", motivation="", decision_note="", left_reason="", training_note=""
    )
    SelectionScore.objects.filter(mentor__person=person).update(note="")
    Interview.objects.filter(mentor__person=person).update(notes=SCRUBBED)
    PortfolioItem.objects.filter(person=person).update(title=SCRUBBED, text="")


def person_files_scrub(person: Person) -> None:
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
