"""Rows behind the mentor URLs, for the project-wide isolation test. Each row has its file where
the view serves one, so a refusal is the tenancy's and not an empty field's."""

from nastavnik.mentors.tests.factories import (
    MentorDocumentFactory,
    MentorFactory,
    PortfolioItemFactory,
    TrainingEventFactory,
)
from nastavnik.people.tests.factories import StaffFactory
from nastavnik.programmes.tests.isolation import _programme

ROW_MAKERS = {
    "mentor_pk": lambda org: MentorFactory(programme=_programme(org)).pk,
    "mentor_document_pk": lambda org: (
        MentorDocumentFactory(person=StaffFactory(organisation=org)).pk
    ),
    "training_event_pk": lambda org: TrainingEventFactory(programme=_programme(org)).pk,
    "portfolio_item_pk": lambda org: PortfolioItemFactory(person=StaffFactory(organisation=org)).pk,
}
