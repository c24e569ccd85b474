"""Personal cabinets: the mentor's, the mentee's and the guardian's page of their own rows.

No URL here names a row: each page lists what belongs to the user — the pairs the user
mentors or is a mentee of (listed even when the user's part is suspended, then without the
links into the pair's work, which `mentorships.access.workable` refuses), the children through the
user's guardian links, the consents through `consents.access.own_consents`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.audit.models import AuditAction, AuditObject
from nastavnik.audit.services import audit_record
from nastavnik.cabinets import meetings_bridge, selfmatch
from nastavnik.cabinets.access_export import person_data, sheets_docx, sheets_xlsx
from nastavnik.consents.access import own_consents
from nastavnik.consents.rules import consent_states, hidden_among, signing_for
from nastavnik.core.access import OrgContext, OrgRequest, org_view
from nastavnik.documents.render import PdfConversionError, PdfConverterMissing, docx_to_pdf
from nastavnik.documents.spreadsheet import XLSX_CONTENT_TYPE
from nastavnik.mentees.models import Mentee
from nastavnik.mentors.models import Attendance, Mentor, TrainingEvent
from nastavnik.mentors.rules import training_completed
from nastavnik.mentorships.access import mentee_of_q, mentorships_of, own_people, with_people
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.mentorships.suspension import NONE as NO_SUSPENSION
from nastavnik.mentorships.suspension import Suspension, suspensions_of
from nastavnik.orgs.models import Role
from nastavnik.orgs.policy import Perm
from nastavnik.people.models import GuardianLink, Person
from nastavnik.people.validators import org_today
from nastavnik.plans.models import DevelopmentPlan
from nastavnik.plans.services import Progress, progress_of
from nastavnik.programmes.access import current_programme
from nastavnik.programmes.models import Programme
from nastavnik.questionnaires.models import Invitation
from nastavnik.questionnaires.respond import SESSION_INVITATION
from nastavnik.questionnaires.responses import InvitationNotUsable, check_usable


@dataclass
class PairCard:
    mentorship: Mentorship
    plan: DevelopmentPlan | None
    progress: Progress | None
    meetings_url: str | None
    held_meetings: int = 0
    mentor_hidden: bool = False
    upcoming: list[Any] = field(default_factory=list)
    suspension: Suspension = NO_SUSPENSION
    # The viewer's own part is suspended: the pair is listed, its plan and meetings are not open.
    own_suspended: bool = False
    show_suspended: bool = False


def _own_suspended(mentorship: Mentorship, suspension: Suspension, me: set[int]) -> bool:
    return (suspension.mentor and mentorship.mentor.person_id in me) or bool(
        suspension.mentees & me
    )


def _shows_suspended(mentorship: Mentorship, suspension: Suspension, me: set[int]) -> bool:
    """The mark on the card: one's own part, the whole pair, or (for its mentor) any mentee of
    the group; another mentee of a group is not told that a group-mate withdrew."""
    return (
        _own_suspended(mentorship, suspension, me)
        or suspension.whole
        or (mentorship.mentor.person_id in me and suspension.any)
    )


def _cards(
    ctx: OrgContext, mentorships: Any, today: date, me: set[int] | None = None
) -> list[PairCard]:
    # The pairs' ids first, then the pairs with their people: in one query the access joins and
    # the select_related ones make 13 tables, and PostgreSQL spends ~40 ms planning that (its
    # genetic optimiser starts at 12), more than the rest of the page.
    chosen = list(mentorships.values_list("pk", flat=True))
    pairs = list(
        with_people(Mentorship.objects.filter(pk__in=chosen))
        .select_related("programme__academic_year")
        .order_by("status", "-started_on", "pk")
    )
    ids = [m.pk for m in pairs]
    plans = {
        plan.mentorship_id: plan
        for plan in DevelopmentPlan.objects.filter(mentorship__in=ids).prefetch_related("items")
    }
    held = meetings_bridge.held_meetings(ids)
    suspensions = suspensions_of(pairs)
    hidden = hidden_among({m.mentor.person_id for m in pairs}, today)
    upcoming: dict[int, list[Any]] = {}
    for meeting in meetings_bridge.upcoming_meetings(ids, timezone.now(), 3 * max(len(ids), 1)):
        upcoming.setdefault(getattr(meeting, "mentorship_id", 0), []).append(meeting)
    cards = []
    for mentorship in pairs:
        plan = plans.get(mentorship.pk)
        suspension = suspensions[mentorship.pk]
        cards.append(
            PairCard(
                mentorship=mentorship,
                plan=plan,
                progress=progress_of(list(plan.items.all()), today) if plan else None,
                meetings_url=meetings_bridge.meetings_url(ctx.organisation.slug, mentorship.pk),
                held_meetings=held.get(mentorship.pk, 0),
                mentor_hidden=mentorship.mentor.person_id in hidden,
                upcoming=upcoming.get(mentorship.pk, [])[:3],
                suspension=suspension,
                own_suspended=_own_suspended(mentorship, suspension, me or set()),
                show_suspended=_shows_suspended(mentorship, suspension, me or set()),
            )
        )
    return cards


def _pending_invitations(ctx: OrgContext, me: Any, today: date) -> list[Invitation]:
    """Questionnaires waiting for the user's answer: invitations of open campaigns."""
    return list(
        Invitation.objects.filter(
            organisation=ctx.organisation,
            person__in=me,
            answered=False,
            campaign__closed_at__isnull=True,
            campaign__deadline__gte=today,
        )
        .select_related("campaign")
        .order_by("campaign__deadline", "pk")
    )


def _training(
    ctx: OrgContext, me: Any, today: date, programme: Programme | None
) -> dict[str, Any] | None:
    """The mentor school of the running programme (`current_programme`), with the user's
    attendance."""
    if programme is None:
        return None
    entry = Mentor.objects.filter(programme=programme, person__in=me).first()
    if entry is None:
        return None
    events = list(TrainingEvent.objects.filter(programme=programme).order_by("held_on", "pk"))
    attended = set(Attendance.objects.filter(mentor=entry).values_list("event_id", flat=True))
    held_required = [e for e in events if e.required and e.held_on <= today]
    return {
        "events": [(event, event.pk in attended) for event in events],
        "completed": training_completed(
            entry, len(held_required), sum(1 for e in held_required if e.pk in attended)
        ),
    }


@org_view(Perm.PAIR_WORK)
def mentor(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    today = org_today(ctx.organisation)
    me = list(own_people(ctx, request.user).values_list("pk", flat=True))
    # Not `workable`: a suspended mentor still sees the pair listed, marked suspended.
    mine = mentorships_of(ctx).filter(mentor__person__in=me)
    # Read once for the mentor school and the self-match block.
    programme = current_programme(ctx, today)
    return render(
        request,
        "cabinets/mentor.html",
        {
            "cards": _cards(ctx, mine, today, set(me)),
            "feedback_due": meetings_bridge.feedback_due(me, timezone.now()),
            "training": _training(ctx, me, today, programme),
            "has_portfolio": ctx.can(Perm.PORTFOLIO_OWN),
            "invitations": _pending_invitations(ctx, me, today),
            "selfmatch": selfmatch.mentor_block(ctx, me, programme),
            "today": today,
        },
    )


@org_view(Perm.PAIR_WORK)
def mentee(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    today = org_today(ctx.organisation)
    me = list(own_people(ctx, request.user).values_list("pk", flat=True))
    # Not `workable`: a suspended mentee still sees the pair listed, marked suspended.
    # With the ended pairs: the mentee keeps their history, as the mentor does.
    mine = mentorships_of(ctx).filter(mentee_of_q(me))
    return render(
        request,
        "cabinets/mentee.html",
        {
            "cards": _cards(ctx, mine, today, set(me)),
            "feedback_due": meetings_bridge.feedback_due(me, timezone.now()),
            "invitations": _pending_invitations(ctx, me, today),
            "choices": selfmatch.choice_blocks(ctx, me, today, as_guardian=False),
            "today": today,
        },
    )


@org_view(Perm.PAIR_WORK)
@require_POST
def questionnaire_open(request: OrgRequest) -> HttpResponse:
    """Open one's own pending questionnaire without a link or a code: the same answering
    page the code opens, with the invitation remembered in the session."""
    ctx = request.org
    today = org_today(ctx.organisation)
    me = own_people(ctx, request.user)
    chosen = request.POST.get("invitation", "")
    invitation = next(
        (i for i in _pending_invitations(ctx, me, today) if str(i.pk) == chosen), None
    )
    if invitation is None:
        raise Http404
    try:
        check_usable(invitation)
    except InvitationNotUsable:
        messages.error(request, _("This questionnaire cannot be answered now."))
        return redirect("cabinets:mentee", org_slug=ctx.organisation.slug)
    request.session[SESSION_INVITATION] = invitation.pk
    return redirect("respond:answer")


@dataclass
class ChildCard:
    child: Person
    relation: str
    entries: list[Mentee]
    cards: list[PairCard]
    # The data download is for a minor's representative only (see `child_data`).
    minor: bool = True


@org_view(Perm.CHILDREN_OWN)
def guardian(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    today = org_today(ctx.organisation)
    me = own_people(ctx, request.user)
    links = list(
        GuardianLink.objects.filter(organisation=ctx.organisation, guardian__in=me)
        .select_related("child")
        .order_by("child__name_key", "pk")
    )
    children = [link.child for link in links]
    entries = (
        Mentee.objects.for_org(ctx.organisation)
        .filter(person__in=children)
        .select_related("programme__academic_year", "form")
        .order_by("-programme__academic_year__start_year", "pk")
    )
    memberships = MentorshipMentee.objects.filter(
        organisation=ctx.organisation, mentee__person__in=children
    ).values_list("mentorship", "mentee__person")
    pairs_of: dict[int, list[int]] = {}
    for mentorship_pk, child_pk in memberships:
        pairs_of.setdefault(child_pk, []).append(mentorship_pk)
    all_pairs = [pk for pks in pairs_of.values() for pk in pks]
    cards = {
        card.mentorship.pk: card
        for card in _cards(
            ctx,
            Mentorship.objects.for_org(ctx.organisation).filter(pk__in=all_pairs),
            today,
            {child.pk for child in children},
        )
    }
    child_cards = [
        ChildCard(
            child=link.child,
            relation=link.get_relation_display(),
            entries=[e for e in entries if e.person_id == link.child_id],
            cards=[cards[pk] for pk in pairs_of.get(link.child_id, []) if pk in cards],
            minor=signing_for(link.child, today).minor,
        )
        for link in links
    ]
    consents = list(
        own_consents(ctx, request.user)
        .select_related("subject", "given_by")
        .order_by("subject__name_key", "purpose", "-given_on")
    )
    return render(
        request,
        "cabinets/guardian.html",
        {
            "children": child_cards,
            "choices": selfmatch.choice_blocks(ctx, children, today, as_guardian=True),
            "own_consents": list(zip(consents, consent_states(consents, today), strict=True)),
            "today": today,
        },
    )


def _cabinet(ctx: OrgContext) -> str:
    """The cabinet the user came from, to go back to when the PDF cannot be made."""
    for role, name in (
        (Role.MENTOR, "mentor"),
        (Role.MENTEE, "mentee"),
        (Role.GUARDIAN, "guardian"),
    ):
        if ctx.has_role(role):
            return f"cabinets:{name}"
    return "orgs:dashboard"


def _data_download(request: HttpRequest, ctx: OrgContext, subject: Person) -> HttpResponse:
    """The workbook of `subject` (or, with ?format=pdf, the same as a PDF), recorded in the
    audit log as downloaded by the user once it is made."""
    today = org_today(ctx.organisation)
    me = own_people(ctx, request.user).first()  # type: ignore[arg-type]
    sheets = person_data(subject, today)
    as_pdf = request.GET.get("format") == "pdf"
    if as_pdf:
        title = _("Data held about %(name)s on %(day)s") % {
            "name": subject.full_name,
            "day": date_format(today, "SHORT_DATE_FORMAT"),
        }
        try:
            content = docx_to_pdf(sheets_docx(title, sheets))
        except PdfConverterMissing:
            messages.error(
                request, _("PDF cannot be made on this server; download the XLSX instead.")
            )
            return redirect(_cabinet(ctx), org_slug=ctx.organisation.slug)
        except PdfConversionError:
            messages.error(request, _("The PDF could not be made; try again or download the XLSX."))
            return redirect(_cabinet(ctx), org_slug=ctx.organisation.slug)
        content_type, extension = "application/pdf", "pdf"
    else:
        content, content_type, extension = sheets_xlsx(sheets), XLSX_CONTENT_TYPE, "xlsx"
    audit_record(
        ctx.organisation,
        action=AuditAction.ACCESS_EXPORT,
        object_type=AuditObject.PERSON,
        object_id=subject.pk,
        label=subject.full_name,
        by=request.user,  # type: ignore[arg-type]
        changes={"format": [None, extension]},
        person=subject,
        related_person=me if me is not None and me.pk != subject.pk else None,
    )
    response = HttpResponse(content, content_type=content_type)
    name = f"personal-data-{subject.pk}-{today:%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@org_view(Perm.DATA_OWN)
def own_data(request: OrgRequest) -> HttpResponse:
    """What the system holds about the user's own registry entry (152-ФЗ art. 14)."""
    ctx = request.org
    me = own_people(ctx, request.user).first()
    if me is None:
        raise Http404
    return _data_download(request, ctx, me)


@org_view(Perm.CHILDREN_OWN)
def child_data(request: OrgRequest) -> HttpResponse:
    """What the system holds about one of the user's children (?child=<pk>), for the
    guardian; any other person, in this organisation or another, is a 404."""
    ctx = request.org
    chosen = request.GET.get("child", "")
    if not chosen.isdigit() or len(chosen) > 18:
        raise Http404
    me = own_people(ctx, request.user)
    link = (
        GuardianLink.objects.filter(
            organisation=ctx.organisation, guardian__in=me, child=int(chosen)
        )
        .select_related("child")
        .first()
    )
    # A legal representative speaks for a minor only: a child of age asks for their own data.
    if link is None or not signing_for(link.child, org_today(ctx.organisation)).minor:
        raise Http404
    return _data_download(request, ctx, link.child)
