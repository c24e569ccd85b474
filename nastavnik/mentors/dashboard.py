"""What the curator's dashboard shows of the mentor base: documents of external mentors that
end within 30 days, and how many external mentors have none valid."""

from __future__ import annotations

from datetime import date

from nastavnik.mentors.models import Mentor
from nastavnik.mentors.rules import EXPIRY_WARNING_DAYS, expiring_documents, missing_documents_q
from nastavnik.orgs.models import Organisation
from nastavnik.programmes.models import ProgrammeStatus


def documents_for_dashboard(organisation: Organisation, today: date) -> dict[str, object]:
    documents = list(
        expiring_documents(organisation, today)
        .select_related("person")
        .order_by("valid_until", "pk")
    )
    running = (
        Mentor.objects.for_org(organisation)
        .active()
        .exclude(programme__status=ProgrammeStatus.FINISHED)
    )
    # The card to open for each person: their entry in the latest running programme.
    cards: dict[int, int] = {}
    for person_id, pk in (
        running.filter(person__in=[document.person_id for document in documents])
        .order_by("programme__academic_year__start_year", "pk")
        .values_list("person_id", "pk")
    ):
        cards[person_id] = pk
    return {
        "mentor_documents_expiring": [
            (document, cards.get(document.person_id)) for document in documents
        ],
        "mentor_documents_missing": running.filter(missing_documents_q(today)).count(),
        "mentor_documents_days": EXPIRY_WARNING_DAYS,
    }
