"""What the public page shows, read at the moment of the request.

People appear only under a valid consent to publication today (processing and publication; a
minor's from the legal guardian, `consents.rules`), checked in the same query that lists them:
a withdrawal takes a mentor off the registry, the portfolio off the site and the names off the
cases with the very next request. Nothing is copied to a «published» table that a withdrawal
would have to chase.

The page is cacheable by the browser and any proxy, yet never stale: `fingerprint` is a hash of
a few aggregates — the latest change and the number of rows of every table the page reads,
the consents of the organisation among them, the day in the organisation's time zone (a consent
ends with a day, an announcement passes with one) and the language. The views answer a
conditional GET with 304 when it has not changed, and send ``Cache-Control: public, no-cache``:
anyone may store the page, everyone must ask again before using it. Asking costs two queries.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.utils import timezone, translation

from nastavnik.cases.models import Case
from nastavnik.cases.rules import attach_shown_people, with_pair
from nastavnik.consents.models import Consent, Depersonalisation, Purpose
from nastavnik.consents.rules import hidden_q, needed_for, valid_exists
from nastavnik.mentors.models import (
    Mentor,
    MentorQuerySet,
    MentorStatus,
    PortfolioItem,
    PortfolioItemQuerySet,
)
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.orgs.models import AcademicYear, Organisation
from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme, ProgrammeStatus, RoadmapEvent, SocialPartner
from nastavnik.showcase.models import Announcement, PublicPage

#: How many cases and announcements the page lists; the rest wait for their turn.
CASES_SHOWN = 20
ANNOUNCEMENTS_SHOWN = 10


# --- The programme ------------------------------------------------------------------------


def programme_shown(organisation: Organisation, today: date) -> Programme | None:
    """The programme of the academic year `today` falls in, else the latest one."""
    programmes = Programme.objects.for_org(organisation).select_related("academic_year")
    start_year = AcademicYear.start_year_for(today)
    return (
        programmes.filter(academic_year__start_year=start_year).first()
        or programmes.order_by("-academic_year__start_year").first()
    )


def documents_public(programme: Programme | None) -> bool:
    """The programme and its roadmap go on the site once an order has approved them."""
    return (
        programme is not None
        and programme.status != ProgrammeStatus.DRAFT
        and programme.approved_on is not None
    )


# --- People ------------------------------------------------------------------------------


def consented(queryset: Any, on: date, ref: str) -> Any:
    """Rows whose person (at `ref`) may be published today and is not hidden."""
    queryset = queryset.exclude(hidden_q(on, ref=ref))
    for purpose in needed_for(Purpose.PUBLICATION):
        queryset = queryset.filter(valid_exists(purpose, on, ref=ref))
    return queryset


def registry(programme: Programme | None, on: date) -> MentorQuerySet:
    """The registered mentors of the programme who may be published today."""
    if programme is None:
        return Mentor.objects.none()
    mentors = Mentor.objects.filter(programme=programme, status=MentorStatus.REGISTERED)
    return (
        consented(mentors, on, "person")
        .select_related("person")
        .prefetch_related("forms")
        .order_by("person__name_key", "pk")
    )


def portfolio(mentor: Mentor, on: date) -> PortfolioItemQuerySet:
    return (
        PortfolioItem.objects.for_org(mentor.organisation)
        .filter(person=mentor.person)
        .public(on)
        .order_by("-dated", "-pk")
    )


def with_public_items(mentors: MentorQuerySet, on: date) -> MentorQuerySet:
    """Each mentor's count of items on the site, in the same query."""
    items = (
        PortfolioItem.objects.public(on)
        .filter(person=OuterRef("person"), organisation=OuterRef("organisation"))
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return mentors.annotate(public_items=Subquery(items))


# --- The rest of the page ------------------------------------------------------------------


def partners(programme: Programme | None) -> QuerySet[SocialPartner]:
    """Partner organisations by name and part; their contact people are not published."""
    if programme is None:
        return SocialPartner.objects.none()
    return programme.partners.order_by("name", "pk")


def upcoming(organisation: Organisation, today: date) -> QuerySet[Announcement]:
    """Published announcements from the start of today (the organisation's) on."""
    since = timezone.make_aware(datetime.combine(today, time.min))
    return (
        Announcement.objects.for_org(organisation)
        .published()
        .filter(starts_at__gte=since)
        .order_by("starts_at", "pk")[:ANNOUNCEMENTS_SHOWN]
    )


def cases(organisation: Organisation, on: date) -> list[Case]:
    found = list(
        with_pair(Case.objects.for_org(organisation).published()).order_by("-published_at", "-pk")[
            :CASES_SHOWN
        ]
    )
    return attach_shown_people(found, on)


def published_case(organisation: Organisation, pk: int, on: date) -> Case | None:
    found = with_pair(Case.objects.for_org(organisation).published()).filter(pk=pk).first()
    if found is not None:
        attach_shown_people([found], on)
    return found


# --- The fingerprint -------------------------------------------------------------------------


def _latest(model: Any, field: str, organisation_field: str = "organisation") -> Subquery:
    rows = (
        model.objects.filter(**{organisation_field: OuterRef("pk")})
        .order_by()
        .values(organisation_field)
    )
    return Subquery(rows.annotate(v=Max(field)).values("v")[:1])


def _count(model: Any, organisation_field: str = "organisation") -> Subquery:
    rows = (
        model.objects.filter(**{organisation_field: OuterRef("pk")})
        .order_by()
        .values(organisation_field)
    )
    return Subquery(rows.annotate(v=Count("pk")).values("v")[:1])


# Every table the page, its mentor pages, its case pages and its documents read, with the
# column that changes when a row does. Partners have no such column and are read whole.
_WATCHED: tuple[tuple[str, Any, str], ...] = (
    ("programme", Programme, "updated_at"),
    ("event", RoadmapEvent, "updated_at"),
    ("person", Person, "updated_at"),
    ("mentor", Mentor, "updated_at"),
    ("item", PortfolioItem, "updated_at"),
    ("case", Case, "updated_at"),
    ("pair", Mentorship, "updated_at"),
    ("announcement", Announcement, "updated_at"),
    ("page", PublicPage, "updated_at"),
    ("consent", Consent, "recorded_at"),
    ("withdrawal", Consent, "withdrawn_at"),
    ("depersonalised", Depersonalisation, "at"),
)
_COUNTED: tuple[tuple[str, Any], ...] = (
    ("programme", Programme),
    ("event", RoadmapEvent),
    ("mentor", Mentor),
    ("item", PortfolioItem),
    ("case", Case),
    ("member", MentorshipMentee),
    ("announcement", Announcement),
    ("consent", Consent),
    ("depersonalised", Depersonalisation),
)


def fingerprint(page: PublicPage, today: date) -> str:
    """A hash that changes whenever anything the public page shows may have changed."""
    organisation = page.organisation
    annotations = {f"latest_{name}": _latest(model, field) for name, model, field in _WATCHED}
    annotations |= {f"count_{name}": _count(model) for name, model in _COUNTED}
    state = Organisation.objects.filter(pk=organisation.pk).values(**annotations).get()
    partner_rows = SocialPartner.objects.filter(organisation=organisation).values_list(
        "pk", "programme_id", "name", "contribution"
    )
    parts = [
        repr(sorted(state.items())),
        repr(list(partner_rows.order_by("pk"))),
        repr((organisation.name, organisation.short_name, organisation.address)),
        repr((organisation.phone, organisation.email, organisation.website)),
        today.isoformat(),
        translation.get_language() or "",
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
