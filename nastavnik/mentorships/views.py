"""The programme's pairs and groups: a read-only list and card (stage 5 creates them; their life
is stage 6)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nastavnik.consents.rules import hidden_q
from nastavnik.core.access import OrgContext, org_view
from nastavnik.mentorships.access import mentorship_for, mentorships_of, with_people
from nastavnik.mentorships.forms import MentorshipFilter
from nastavnik.orgs.policy import Perm
from nastavnik.people.validators import org_today
from nastavnik.programmes.access import current_programme, programmes_of


def _ctx(request: HttpRequest) -> OrgContext:
    return request.org  # type: ignore[attr-defined]


@org_view(Perm.MENTORSHIPS_VIEW)
def mentorship_list(request: HttpRequest) -> HttpResponse:
    ctx = _ctx(request)
    current = current_programme(ctx, org_today(ctx.organisation))
    filters = MentorshipFilter(
        request.GET or None,
        organisation=ctx.organisation,
        programmes=programmes_of(ctx),
        initial={"programme": current.pk if current else None},
    )
    programme = filters.chosen_programme(current)
    mentorships = []
    if programme is not None:
        found = (
            mentorships_of(ctx)
            .filter(programme=programme)
            .exclude(hidden_q(ref="mentor__person"))
            .order_by("form__order", "mentor__person__name_key", "pk")
        )
        found = filters.narrow(found)
        mentorships = list(with_people(found))
    return render(
        request,
        "mentorships/list.html",
        {"filters": filters, "programme": programme, "mentorships": mentorships},
    )


@org_view(Perm.MENTORSHIPS_VIEW)
def mentorship_detail(request: HttpRequest, mentorship_pk: int) -> HttpResponse:
    mentorship = mentorship_for(_ctx(request), mentorship_pk)
    return render(request, "mentorships/detail.html", {"mentorship": mentorship})
