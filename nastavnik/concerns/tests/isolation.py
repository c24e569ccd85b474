"""Rows behind the safeguarding channel's URLs, for the project-wide isolation test."""

from nastavnik.concerns.models import Concern, Topic
from nastavnik.people.tests.factories import PersonFactory


def concern_in(org) -> int:
    return Concern.objects.create(
        organisation=org,
        reporter=PersonFactory(organisation=org),
        reporter_kind="mentee",
        topic=Topic.OTHER,
        text="Мне тревожно",
    ).pk


ROW_MAKERS = {
    "concern_pk": concern_in,
    "own_concern_pk": concern_in,
}
