"""Self-match in the cabinets: the mentee (or the parent of a child under 14) sees the suggested
mentors and asks one; the mentor answers and may pause. Rows come only from the user's own
entries and guardian links: any other key sent in a form is answered 404. The rules are in
`matching.selfmatch`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.core.access import OrgContext, OrgRequest, org_view
from nastavnik.core.outcomes import perform
from nastavnik.matching import selfmatch
from nastavnik.matching.models import (
    SELFMATCH_MESSAGE_MAX,
    SelfMatchMentor,
    SelfMatchRequest,
    SelfMatchStatus,
    SelfMatchWindow,
)
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentors.models import Mentor
from nastavnik.mentorships.access import own_people
from nastavnik.orgs.models import AcademicYear
from nastavnik.orgs.policy import Perm
from nastavnik.people.models import GuardianLink, Person
from nastavnik.people.validators import org_today
from nastavnik.programmes.access import current_programme
from nastavnik.programmes.models import Programme

#: The latest decided requests a mentee sees besides an open one.
RECENT_SHOWN = 3


@dataclass
class ChoiceBlock:
    """One mentee entry with self-match open or a request of theirs: what the page shows."""

    mentee: Mentee
    window: SelfMatchWindow | None
    #: The viewer may ask for this mentee (the mentee of 14+, the parent of a child under 14).
    acts: bool
    open_request: SelfMatchRequest | None = None
    recent: list[SelfMatchRequest] = field(default_factory=list)
    suggestions: list[selfmatch.Suggestion] = field(default_factory=list)
    message_max: int = SELFMATCH_MESSAGE_MAX


def _entries(ctx: OrgContext, people: Any, today: date) -> list[Mentee]:
    """The people's entries of the running programme (`current_programme`: the organisation's
    one of the academic year `today` falls in), found in the entries' query itself."""
    return list(
        Mentee.objects.for_org(ctx.organisation)
        .filter(
            programme__organisation=ctx.organisation,
            programme__academic_year__start_year=AcademicYear.start_year_for(today),
            person__in=people,
            form__isnull=False,
        )
        .select_related("person", "programme__organisation", "form")
        .order_by("person__name_key", "pk")
    )


def choice_blocks(
    ctx: OrgContext, people: Any, today: date, *, as_guardian: bool
) -> list[ChoiceBlock]:
    entries = _entries(ctx, people, today)
    windows: dict[tuple[int, int | None], SelfMatchWindow] = {
        (w.programme_form.programme_id, w.programme_form.form_id): w
        for w in SelfMatchWindow.objects.filter(
            organisation=ctx.organisation,
            programme_form__programme__in={e.programme_id for e in entries},
        ).select_related("programme_form")
    }
    requests: dict[int, list[SelfMatchRequest]] = {}
    for row in (
        SelfMatchRequest.objects.for_org(ctx.organisation)
        .filter(mentee__in=entries)
        .select_related("mentor__person")
        .order_by("-created_at", "-pk")
    ):
        requests.setdefault(row.mentee_id, []).append(row)
    blocks = []
    for entry in entries:
        window = windows.get((entry.programme_id, entry.form_id))
        mine = requests.get(entry.pk, [])
        if (window is None or not window.enabled) and not mine:
            continue
        acts = selfmatch.acts_for_self(entry, today) != as_guardian
        open_request = next((r for r in mine if r.is_open), None)
        block = ChoiceBlock(
            mentee=entry,
            window=window,
            acts=acts,
            open_request=open_request,
            recent=[r for r in mine if not r.is_open][:RECENT_SHOWN],
        )
        if acts and open_request is None and entry.status == MenteeStatus.IN_BASE:
            block.suggestions = selfmatch.suggestions_for(entry, today)
        blocks.append(block)
    return blocks


def _ask(request: OrgRequest, entry: Mentee, actor: Person, back: str) -> HttpResponse:
    ctx = request.org
    return perform(
        request,
        lambda: selfmatch.request_create(
            entry,
            request.POST.get("mentor", ""),
            request.POST.get("message", ""),
            actor=actor,
            by=request.user,
        ),
        success=_("The request is sent. The mentor will answer within the set days."),
        redirect_to=redirect(back, org_slug=ctx.organisation.slug),
    )


@org_view(Perm.PAIR_WORK)
@require_POST
def ask(request: OrgRequest) -> HttpResponse:
    """The mentee asks a suggested mentor, for themselves."""
    ctx = request.org
    today = org_today(ctx.organisation)
    me = own_people(ctx, request.user)
    entry = next(
        (e for e in _entries(ctx, me, today) if str(e.pk) == request.POST.get("mentee", "")),
        None,
    )
    if entry is None:
        raise Http404
    return _ask(request, entry, entry.person, "cabinets:mentee")


@org_view(Perm.CHILDREN_OWN)
@require_POST
def ask_for_child(request: OrgRequest) -> HttpResponse:
    """A parent asks a suggested mentor for their child under 14."""
    ctx = request.org
    today = org_today(ctx.organisation)
    me = own_people(ctx, request.user)
    links = GuardianLink.objects.filter(organisation=ctx.organisation, guardian__in=me)
    children = links.values("child")
    entry = next(
        (e for e in _entries(ctx, children, today) if str(e.pk) == request.POST.get("mentee", "")),
        None,
    )
    if entry is None:
        raise Http404
    guardian = links.filter(child=entry.person).select_related("guardian").first()
    assert guardian is not None  # the entry was found among the linked children
    return _ask(request, entry, guardian.guardian, "cabinets:guardian")


# --- The mentor -----------------------------------------------------------------------------


@dataclass
class MentorSelfMatch:
    entry: Mentor
    settings: SelfMatchMentor
    pending: list[SelfMatchRequest]
    accepted: list[SelfMatchRequest]


def mentor_block(
    ctx: OrgContext, people: Any, programme: Programme | None
) -> MentorSelfMatch | None:
    """The self-match of the people's mentor entry in `programme`, the running one
    (`current_programme`, which the cabinet reads once for this and the mentor school)."""
    if programme is None:
        return None
    entry = Mentor.objects.filter(programme=programme, person__in=people).first()
    if entry is None:
        return None
    rows = list(
        SelfMatchRequest.objects.for_org(ctx.organisation)
        .open()
        .filter(mentor=entry)
        .select_related("mentee__person", "form")
        .order_by("answer_by", "pk")
    )
    return MentorSelfMatch(
        entry=entry,
        settings=selfmatch.mentor_settings(entry),
        pending=[r for r in rows if r.status == SelfMatchStatus.PENDING],
        accepted=[r for r in rows if r.status == SelfMatchStatus.ACCEPTED],
    )


@org_view(Perm.PAIR_WORK)
@require_POST
def answer(request: OrgRequest) -> HttpResponse:
    """The mentor accepts or declines a request made to them."""
    ctx = request.org
    me = own_people(ctx, request.user)
    chosen = request.POST.get("request", "")
    row = get_object_or_404(
        SelfMatchRequest.objects.for_org(ctx.organisation).filter(mentor__person__in=me),
        pk=int(chosen) if chosen.isdigit() else 0,
    )
    verdict = request.POST.get("answer")
    if verdict not in ("accept", "decline"):
        messages.error(request, _("Choose to accept or to decline the request."))
        return redirect("cabinets:mentor", org_slug=ctx.organisation.slug)
    return perform(
        request,
        lambda: selfmatch.request_answer(row, accept=verdict == "accept", by=request.user),
        success=_("You accepted the request: the curator will approve the pair.")
        if verdict == "accept"
        else _("You declined the request."),
        redirect_to=redirect("cabinets:mentor", org_slug=ctx.organisation.slug),
    )


@org_view(Perm.PAIR_WORK)
@require_POST
def mentor_settings(request: OrgRequest) -> HttpResponse:
    """The mentor pauses taking requests, or lets mentees see what they have in common."""
    ctx = request.org
    me = own_people(ctx, request.user)
    block = mentor_block(ctx, me, current_programme(ctx, org_today(ctx.organisation)))
    if block is None:
        raise Http404
    selfmatch.mentor_settings_save(
        block.entry,
        paused=request.POST.get("paused") == "on",
        shows_reasons=request.POST.get("shows_reasons") == "on",
        by=request.user,
    )
    messages.success(request, _("Your choices about requests are saved."))
    return redirect("cabinets:mentor", org_slug=ctx.organisation.slug)
