"""The figures the stage view shows for stages 3 and 4 (`programmes.stages`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nastavnik.mentors.models import INACTIVE_STATUSES, Mentor, MentorStatus
from nastavnik.mentors.rules import (
    missing_documents_q,
    required_held,
    training_completed_q,
    with_training,
)
from nastavnik.programmes.models import Programme
from nastavnik.programmes.stages import Indicator, register_indicators


def _url(name: str, programme: Programme, query: str = "") -> str:
    url = reverse(f"mentors:{name}", kwargs={"org_slug": programme.organisation.slug})
    return f"{url}?programme={programme.pk}{query}"


def mentor_base(programme: Programme, today: date) -> Iterable[Indicator]:
    counts = (
        Mentor.objects.filter(programme=programme)
        .exclude(status__in=INACTIVE_STATUSES)
        .aggregate(
            total=Count("pk"),
            missing=Count("pk", filter=missing_documents_q(today)),
        )
    )
    return [
        Indicator(_("Mentors in the base"), counts["total"], _url("list", programme)),
        Indicator(
            _("External mentors without valid documents"),
            counts["missing"],
            _url("list", programme, "&documents=missing"),
        ),
    ]


def selection(programme: Programme, today: date) -> Iterable[Indicator]:
    counts = Mentor.objects.filter(programme=programme).aggregate(
        put_forward=Count("pk", filter=Q(status=MentorStatus.SELECTION)),
        approved=Count("pk", filter=Q(status=MentorStatus.APPROVED)),
        registered=Count("pk", filter=Q(status=MentorStatus.REGISTERED)),
    )
    held = required_held(programme.pk, today)
    trained = (
        with_training(Mentor.objects.filter(programme=programme), today)
        .exclude(status__in=INACTIVE_STATUSES)
        .filter(training_completed_q(held))
        .count()
    )
    return [
        Indicator(
            _("Waiting for the commission"), counts["put_forward"], _url("selection", programme)
        ),
        Indicator(
            _("Approved, waiting for the order"), counts["approved"], _url("registry", programme)
        ),
        Indicator(_("In the registry"), counts["registered"], _url("registry", programme)),
        Indicator(_("Completed the mentor school"), trained, _url("training", programme)),
    ]


def register() -> None:
    register_indicators(3, mentor_base)
    register_indicators(4, selection)
