"""A pair's individual development plan: the mentor and the mentees keep it, the curator
comments. Every view goes through `mentorships.access.workable_for` / `plans.access`, so a
mentor or a mentee of another pair gets 404 like an outsider."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.consents.rules import hidden_q
from nastavnik.core.access import OrgRequest, org_view
from nastavnik.core.outcomes import download, perform, refuse, stored_file, submit
from nastavnik.core.text import file_name
from nastavnik.mentorships.access import (
    Side,
    mentorships_of,
    own_people,
    side_of,
    with_people,
    workable_for,
)
from nastavnik.mentorships.models import MentorAssignment, Mentorship
from nastavnik.mentorships.suspension import suspensions_of
from nastavnik.orgs.policy import Perm
from nastavnik.people.validators import org_today
from nastavnik.plans import services
from nastavnik.plans.access import plan_item_for
from nastavnik.plans.documents import in_plan_order, render_plan
from nastavnik.plans.forms import CommentForm, ContactForm, PlanItemForm
from nastavnik.plans.models import DevelopmentPlan, PlanItem
from nastavnik.programmes.access import current_programme
from nastavnik.programmes.models import PlanSection

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _pair(request: OrgRequest, mentorship_pk: int) -> Mentorship:
    return workable_for(request.org, request.user, mentorship_pk)


def _plan_of(mentorship: Mentorship) -> DevelopmentPlan | None:
    return DevelopmentPlan.objects.filter(mentorship=mentorship).first()


def _plan_url(mentorship: Mentorship) -> str:
    return reverse(
        "plans:plan",
        kwargs={"org_slug": mentorship.organisation.slug, "mentorship_pk": mentorship.pk},
    )


@org_view(Perm.PAIR_WORK)
def plan_detail(request: OrgRequest, mentorship_pk: int) -> HttpResponse:
    ctx = request.org
    # The user's own people once, for the access rule and for the side they are on.
    me = list(own_people(ctx, request.user).values_list("pk", flat=True))
    mentorship = workable_for(ctx, request.user, mentorship_pk, me)
    side = side_of(ctx, request.user, mentorship, set(me))
    plan = _plan_of(mentorship)
    today = org_today(ctx.organisation)
    context: dict[str, Any] = {
        "mentorship": mentorship,
        # Who mentored the pair before a replacement, and when: the plan is theirs too.
        "earlier_mentors": list(
            MentorAssignment.objects.filter(mentorship=mentorship, released_on__isnull=False)
            .exclude(mentor_id=mentorship.mentor_id, released_on=mentorship.ended_on)
            .select_related("mentor__person")
            .order_by("assigned_on", "pk")
        ),
        "plan": plan,
        "side": side,
        "is_curator": side == Side.CURATOR,
        "today": today,
    }
    if plan is None:
        context["typical_count"] = len(services.typical_lines(mentorship))
        return render(request, "plans/start.html", context)
    items = list(in_plan_order(plan).prefetch_related("comments"))
    context.update(
        {
            "sections": [
                (section, [i for i in items if i.section == section]) for section in PlanSection
            ],
            "progress": services.progress_of(items, today),
            "plan_comments": plan.comments.filter(item__isnull=True),
            "item_form": PlanItemForm(),
            "comment_form": CommentForm(),
            "contact_form": ContactForm(initial={"mentor_contact": plan.mentor_contact}),
            # The members came with the pair (`workable_for`): one query, not three.
            "editable": mentorship.is_active
            and not suspensions_of([mentorship])[mentorship.pk].whole,
        }
    )
    return render(request, "plans/plan.html", context)


@org_view(Perm.PAIR_WORK)
@require_POST
def plan_start(request: OrgRequest, mentorship_pk: int) -> HttpResponse:
    mentorship = _pair(request, mentorship_pk)
    return perform(
        request,
        lambda: services.plan_start(
            mentorship, from_typical=request.POST.get("from") != "empty", by=request.user
        ),
        success=_started,
        redirect_to=_plan_url(mentorship),
    )


def _started(plan: DevelopmentPlan) -> str:
    count = plan.items.count()
    return (
        _(
            "The plan is drawn up from the typical plan: %(count)s items. Set the dates and "
            "add your own."
        )
        % {"count": count}
        if count
        else _("An empty plan is started. Add its goals, tasks and activities.")
    )


def _item_page(
    request: HttpRequest,
    mentorship: Mentorship,
    form: PlanItemForm,
    write: Callable[[], PlanItem],
    item: PlanItem | None,
    success: str,
) -> HttpResponse:
    return submit(
        request,
        form,
        write,
        success=success,
        redirect_to=_plan_url(mentorship),
        template="plans/item_form.html",
        context={"mentorship": mentorship, "item": item, "back": _plan_url(mentorship)},
    )


@org_view(Perm.PAIR_WORK)
def item_add(request: OrgRequest, mentorship_pk: int) -> HttpResponse:
    mentorship = _pair(request, mentorship_pk)
    plan = _plan_of(mentorship)
    if plan is None:
        messages.info(request, _("Draw up the plan first."))
        return redirect(_plan_url(mentorship))
    form = PlanItemForm(request.POST or None, request.FILES or None)
    return _item_page(
        request,
        mentorship,
        form,
        lambda: services.item_create(plan, form.cleaned_data, by=request.user),
        None,
        _("The item is added to the plan."),
    )


@org_view(Perm.PAIR_WORK)
def item_edit(request: OrgRequest, plan_item_pk: int) -> HttpResponse:
    item = plan_item_for(request.org, request.user, plan_item_pk)
    mentorship = _pair(request, item.plan.mentorship_id)
    form = PlanItemForm(
        request.POST or None, request.FILES or None, initial=services.item_values(item)
    )
    return _item_page(
        request,
        mentorship,
        form,
        lambda: services.item_update(item, form.cleaned_data, by=request.user),
        item,
        _("The item is saved."),
    )


@org_view(Perm.PAIR_WORK)
@require_POST
def item_delete(request: OrgRequest, plan_item_pk: int) -> HttpResponse:
    item = plan_item_for(request.org, request.user, plan_item_pk)
    mentorship = item.plan.mentorship
    return perform(
        request,
        lambda: services.item_delete(item, by=request.user),
        success=_("The item is removed from the plan."),
        redirect_to=_plan_url(mentorship),
    )


@org_view(Perm.PAIR_WORK)
def item_evidence(request: OrgRequest, plan_item_pk: int) -> HttpResponseBase:
    item = plan_item_for(request.org, request.user, plan_item_pk)
    return stored_file(item.evidence, f"Подтверждение {item.pk}")


@org_view(Perm.PAIR_WORK)
@require_POST
def comment_add(request: OrgRequest, mentorship_pk: int) -> HttpResponse:
    ctx = request.org
    mentorship = _pair(request, mentorship_pk)
    plan = get_object_or_404(DevelopmentPlan, mentorship=mentorship)
    form = CommentForm(request.POST)
    if not form.is_valid():
        refuse(request, ValidationError(services.MESSAGES["comment_required"]))
        return redirect(_plan_url(mentorship))
    item = None
    if form.cleaned_data["item"]:
        item = plan.items.filter(pk=form.cleaned_data["item"]).first()
        if item is None:
            raise Http404
    return perform(
        request,
        lambda: services.comment_add(
            plan,
            form.cleaned_data["text"],
            item=item,
            side=side_of(ctx, request.user, mentorship),
            by=request.user,
        ),
        success=_("The comment is added."),
        redirect_to=_plan_url(mentorship),
    )


@org_view(Perm.PAIR_WORK)
@require_POST
def contact_set(request: OrgRequest, mentorship_pk: int) -> HttpResponse:
    ctx = request.org
    mentorship = _pair(request, mentorship_pk)
    plan = get_object_or_404(DevelopmentPlan, mentorship=mentorship)
    form = ContactForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                # An ErrorList yields its messages as text already; str() tells the types so.
                messages.error(request, str(error))
        return redirect(_plan_url(mentorship))
    return perform(
        request,
        lambda: services.contact_set(
            plan,
            form.cleaned_data["mentor_contact"],
            side=side_of(ctx, request.user, mentorship),
            by=request.user,
        ),
        success=_("The mentees will see how to reach the mentor."),
        redirect_to=_plan_url(mentorship),
    )


@org_view(Perm.PAIR_WORK)
def plan_docx(request: OrgRequest, mentorship_pk: int) -> HttpResponseBase:
    mentorship = _pair(request, mentorship_pk)
    plan = get_object_or_404(DevelopmentPlan, mentorship=mentorship)
    name = file_name(f"ИПР {mentorship.mentor.person.short_name}", "docx")
    return download(render_plan(mentorship, plan), name, DOCX)


@org_view(Perm.MENTORSHIPS_VIEW)
def plan_overview(request: OrgRequest) -> HttpResponse:
    """The curator's view of every pair's plan in the running programme: who has none yet,
    how far each has got, what is overdue."""
    ctx = request.org
    today = org_today(ctx.organisation)
    programme = current_programme(ctx, today)
    rows = []
    if programme is not None:
        pairs = list(
            with_people(mentorships_of(ctx).filter(programme=programme).active())
            .exclude(hidden_q(ref="mentor__person"))
            .order_by("form__order", "mentor__person__name_key", "pk")
        )
        plans = {
            plan.mentorship_id: plan
            for plan in DevelopmentPlan.objects.filter(mentorship__in=pairs).prefetch_related(
                "items"
            )
        }
        for mentorship in pairs:
            plan = plans.get(mentorship.pk)
            progress = services.progress_of(list(plan.items.all()), today) if plan else None
            rows.append((mentorship, plan, progress))
    return render(
        request,
        "plans/overview.html",
        {"programme": programme, "rows": rows, "without_plan": sum(1 for r in rows if not r[1])},
    )
