"""The organisation's public mentoring page, readable without an account (seed 002 §7.4).

Every view resolves the open page by the organisation's address (404 when closed or unknown),
works in the organisation's time zone, and answers a conditional GET from the page's
fingerprint (`publication.fingerprint`): 304 while nothing it shows has changed, with
``Cache-Control: public, no-cache`` so that a browser or a proxy keeps a copy but asks before
every use — a consent withdrawn a second ago is never served from a cache. The pages carry no
script and no form; they work as plain HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition, require_safe

from nastavnik.core.access import public_view
from nastavnik.core.outcomes import download
from nastavnik.documents.render import render_docx
from nastavnik.orders.documents import lower_first
from nastavnik.programmes.documents import programme_context, roadmap_context
from nastavnik.programmes.models import RESPONSIBLE_ROLE_DOCUMENT_NAMES, Programme, RoadmapEvent
from nastavnik.showcase import publication
from nastavnik.showcase.access import open_page
from nastavnik.showcase.models import PublicPage

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

PublicView = Callable[..., HttpResponseBase]


def revalidated(view: PublicView) -> PublicView:
    """Resolve the open page, then serve `view(request, page, today, **kwargs)` under the
    page's ETag; GET and HEAD only."""

    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponseBase:
        page = open_page(slug)
        timezone.activate(page.organisation.timezone)
        today = timezone.localdate()
        etag = publication.fingerprint(page, today)

        @condition(etag_func=lambda _request, **_kwargs: etag)
        def respond(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
            return view(request, page, today, **kwargs)

        response = respond(request, **kwargs)
        patch_cache_control(response, public=True, no_cache=True)
        # The language comes from the browser or the language cookie.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    return public_view(require_safe(wrapped))


@revalidated
def page(request: HttpRequest, page: PublicPage, today: Any) -> HttpResponse:
    organisation = page.organisation
    programme = publication.programme_shown(organisation, today)
    mentors = list(publication.with_public_items(publication.registry(programme, today), today))
    return render(
        request,
        "showcase/public/page.html",
        {
            "page": page,
            "organisation": organisation,
            "programme": programme,
            "mentors": mentors,
            "partners": list(publication.partners(programme)),
            "announcements": list(publication.upcoming(organisation, today)),
            "cases": publication.cases(organisation, today),
            "documents": publication.documents_public(programme),
        },
    )


@revalidated
def mentor(request: HttpRequest, page: PublicPage, today: Any, mentor_id: int) -> HttpResponse:
    programme = publication.programme_shown(page.organisation, today)
    found = publication.registry(programme, today).filter(pk=mentor_id).first()
    if found is None:
        raise Http404
    return render(
        request,
        "showcase/public/mentor.html",
        {
            "page": page,
            "organisation": page.organisation,
            "programme": programme,
            "mentor": found,
            "items": list(publication.portfolio(found, today)),
        },
    )


@revalidated
def case(request: HttpRequest, page: PublicPage, today: Any, case_id: int) -> HttpResponse:
    found = publication.published_case(page.organisation, case_id, today)
    if found is None:
        raise Http404
    return render(
        request,
        "showcase/public/case.html",
        {"page": page, "organisation": page.organisation, "case": found},
    )


# --- Documents -----------------------------------------------------------------------------
#
# The public copies leave out the people the documents name — the curator, the team, the
# responsible person of a roadmap event, the partners' contact people: the site names people
# only under the consent to publication, which covers the last and the first name and not the
# full name with the patronymic that documents print. PDF is not offered here: converting
# needs LibreOffice for seconds a request, which an address open to anyone must not trigger.


def _approved_programme(page: PublicPage, today: Any) -> Programme:
    programme = publication.programme_shown(page.organisation, today)
    if programme is None or not publication.documents_public(programme):
        raise Http404
    return programme


def _roles_only(event: RoadmapEvent) -> str:
    names = [RESPONSIBLE_ROLE_DOCUMENT_NAMES[role] for role in event.responsible_roles]
    return ", ".join([names[0], *(lower_first(n) for n in names[1:])]) if names else ""


def _year(programme: Programme) -> str:
    return programme.academic_year.label.replace("/", "-")


@revalidated
def programme_docx(request: HttpRequest, page: PublicPage, today: Any) -> HttpResponseBase:
    programme = _approved_programme(page, today)
    context = programme_context(programme)
    context.update(curator=None, curator_position="", team=[])
    for partner in context["partners"]:
        partner["contacts"] = ""
    return download(
        render_docx("programme.docx", context),
        f"Программа наставничества {_year(programme)}.docx",
        DOCX,
    )


@revalidated
def roadmap_docx(request: HttpRequest, page: PublicPage, today: Any) -> HttpResponseBase:
    programme = _approved_programme(page, today)
    context = roadmap_context(programme)
    for stage in context["stages"]:
        for row in stage["events"]:
            row["responsible"] = _roles_only(row["event"])
    return download(
        render_docx("roadmap.docx", context), f"Дорожная карта {_year(programme)}.docx", DOCX
    )
