"""The rules of the mentor base that other apps ask about: who needs documents and whether they
are valid, and whether a mentor has completed the mentor school.

An external mentor (a parent, a graduate, an employee of a partner, an entrepreneur, a
university student; `catalogue.profile.EXTERNAL_CATEGORIES`) brings a certificate of no criminal
record and medical documents before working with students (seed 002 §5.1, DESIGN §4). Without
both valid on a day, the mentor cannot be put forward, approved, or paired on that day.

Each check exists for one mentor and as a `Q` for querysets of `Mentor`, so a list of any
length is judged in one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from nastavnik.catalogue.profile import EXTERNAL_CATEGORIES, MentorCategory
from nastavnik.mentors.models import (
    Attendance,
    DocumentKind,
    Mentor,
    MentorDocument,
    MentorQuerySet,
    TrainingEvent,
)
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import ExternalCategory, Person, PersonKind
from nastavnik.programmes.models import ProgrammeStatus

EXPIRY_WARNING_DAYS = 30
REQUIRED_DOCUMENTS: tuple[str, ...] = tuple(DocumentKind.values)

_CATEGORY_OF_KIND: dict[str, str] = {
    PersonKind.STUDENT: MentorCategory.STUDENT,
    PersonKind.STAFF: MentorCategory.STAFF,
    PersonKind.PARENT: MentorCategory.PARENT,
    PersonKind.GRADUATE: MentorCategory.GRADUATE,
}
_CATEGORY_OF_EXTERNAL: dict[str, str] = {
    ExternalCategory.EMPLOYER: MentorCategory.EMPLOYER,
    ExternalCategory.ENTREPRENEUR: MentorCategory.ENTREPRENEUR,
    ExternalCategory.UNIVERSITY_STUDENT: MentorCategory.UNIVERSITY_STUDENT,
    ExternalCategory.PARTNER: MentorCategory.PARTNER,
}


def category_for(person: Person) -> str:
    """The mentor category a person's record suggests."""
    if person.kind == PersonKind.EXTERNAL:
        return _CATEGORY_OF_EXTERNAL.get(person.external_category, MentorCategory.PARTNER)
    return _CATEGORY_OF_KIND.get(person.kind, MentorCategory.PARTNER)


# --- Documents ------------------------------------------------------------------------------


def needs_documents(mentor: Mentor) -> bool:
    return mentor.category in EXTERNAL_CATEGORIES


def _valid_document(kind: str, on: date, ref: str = "person") -> Exists:
    return Exists(
        MentorDocument.objects.filter(
            person=OuterRef(ref), kind=kind, issued_on__lte=on, valid_until__gte=on
        )
    )


def documents_valid_q(on: date) -> Q:
    """Mentors who need no documents, or have every required one valid on `on`."""
    have_all = Q()
    for kind in REQUIRED_DOCUMENTS:
        have_all &= Q(_valid_document(kind, on))
    return ~Q(category__in=EXTERNAL_CATEGORIES) | have_all


def documents_valid(mentor: Mentor, on: date) -> bool:
    if not needs_documents(mentor):
        return True
    valid = set(
        MentorDocument.objects.filter(
            person_id=mentor.person_id, issued_on__lte=on, valid_until__gte=on
        ).values_list("kind", flat=True)
    )
    return valid.issuperset(REQUIRED_DOCUMENTS)


def expiring_documents(
    organisation: Organisation, on: date, within_days: int = EXPIRY_WARNING_DAYS
) -> QuerySet[MentorDocument]:
    """Documents of the organisation's active external mentors that are valid on `on` but end
    within `within_days` days: the curator asks for new ones ahead of time."""
    people = (
        Mentor.objects.for_org(organisation)
        .active()
        .filter(category__in=EXTERNAL_CATEGORIES)
        .exclude(programme__status=ProgrammeStatus.FINISHED)
        .values("person_id")
    )
    return MentorDocument.objects.filter(
        organisation=organisation,
        person__in=people,
        issued_on__lte=on,
        valid_until__gte=on,
        valid_until__lte=on + timedelta(days=within_days),
    )


def missing_documents_q(on: date) -> Q:
    return Q(category__in=EXTERNAL_CATEGORIES) & ~documents_valid_q(on)


def expiring_documents_q(on: date, within_days: int = EXPIRY_WARNING_DAYS) -> Q:
    """External mentors whose documents are all valid now, one of them ending soon."""
    soon = Exists(
        MentorDocument.objects.filter(
            person=OuterRef("person"),
            valid_until__gte=on,
            valid_until__lte=on + timedelta(days=within_days),
        )
    )
    return Q(category__in=EXTERNAL_CATEGORIES) & documents_valid_q(on) & Q(soon)


class DocumentState:
    NOT_NEEDED = "not_needed"
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    MISSING = "missing"


DOCUMENT_STATE_LABELS = {
    DocumentState.NOT_NEEDED: _("not needed"),
    DocumentState.VALID: _("valid"),
    DocumentState.EXPIRING: _("expiring soon"),
    DocumentState.EXPIRED: _("expired"),
    DocumentState.MISSING: _("missing"),
}


@dataclass(frozen=True)
class DocumentCheck:
    kind: str
    state: str
    document: MentorDocument | None

    @property
    def label(self) -> str:
        return str(DocumentKind(self.kind).label)

    @property
    def state_label(self) -> str:
        return str(DOCUMENT_STATE_LABELS[self.state])


def document_state(document: MentorDocument | None, on: date) -> str:
    if document is None:
        return DocumentState.MISSING
    if document.valid_until < on or document.issued_on > on:
        return DocumentState.EXPIRED
    if document.valid_until <= on + timedelta(days=EXPIRY_WARNING_DAYS):
        return DocumentState.EXPIRING
    return DocumentState.VALID


def document_checks(
    mentor: Mentor, documents: list[MentorDocument], on: date
) -> list[DocumentCheck]:
    """The state of each required document, from the person's documents already loaded."""
    by_kind = {document.kind: document for document in documents}
    return [
        DocumentCheck(kind, document_state(by_kind.get(kind), on), by_kind.get(kind))
        for kind in REQUIRED_DOCUMENTS
    ]


_WORST_FIRST = (
    DocumentState.MISSING,
    DocumentState.EXPIRED,
    DocumentState.EXPIRING,
    DocumentState.VALID,
)


def overall_state(mentor: Mentor, checks: list[DocumentCheck]) -> str:
    if not needs_documents(mentor):
        return DocumentState.NOT_NEEDED
    states = {check.state for check in checks}
    return next((state for state in _WORST_FIRST if state in states), DocumentState.VALID)


# --- The mentor school ------------------------------------------------------------------------


def required_held(programme_id: int, on: date) -> int:
    """How many required events of the programme's mentor school have taken place by `on`."""
    return TrainingEvent.objects.filter(
        programme_id=programme_id, required=True, held_on__lte=on
    ).count()


def with_training(mentors: MentorQuerySet, on: date) -> MentorQuerySet:
    """Annotated with `attended_required`: the required events held by `on` each attended."""
    attended = (
        Attendance.objects.filter(
            mentor=OuterRef("pk"), event__required=True, event__held_on__lte=on
        )
        .values("mentor")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return mentors.annotate(
        attended_required=Coalesce(Subquery(attended, output_field=IntegerField()), 0)
    )


def training_completed_q(held: int) -> Q:
    """On a queryset `with_training`: marked completed by the curator, or — once at least one
    required event has taken place — every required event held so far attended. With none
    held yet nobody has completed anything, so the answer is the curator's mark alone."""
    marked = Q(training_marked_on__isnull=False)
    if held == 0:
        return marked
    return marked | Q(attended_required__gte=held)


def training_completed(mentor: Mentor, held: int, attended: int) -> bool:
    if mentor.training_marked_on is not None:
        return True
    return held > 0 and attended >= held
