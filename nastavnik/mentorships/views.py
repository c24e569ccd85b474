"""The programme's pairs and groups: the list, the card with their history, and the changes of
their life (stages 6–7) for those who run the programme — each a form whose POST goes through
the service, a refusal shown on the form with nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from nastavnik.consents.rules import hidden_q
from nastavnik.core.access import OrgRequest, org_view
from nastavnik.core.outcomes import submit
from nastavnik.mentorships import services
from nastavnik.mentorships.access import mentorship_for, mentorships_of, with_people
from nastavnik.mentorships.candidates import replacement_candidates
from nastavnik.mentorships.forms import (
    CompleteEarlyForm,
    CompleteForm,
    ExtendForm,
    KindForm,
    MentorshipFilter,
    ReplaceForm,
    ResultsForm,
    TermForm,
    TerminateForm,
)
from nastavnik.mentorships.models import (
    RESULT_FIELDS,
    MentorAssignment,
    Mentorship,
    MentorshipExtension,
    MentorshipResult,
)
from nastavnik.mentorships.suspension import suspended_q
from nastavnik.orgs.policy import Perm
from nastavnik.people.validators import org_today
from nastavnik.programmes.access import current_programme, programmes_of


@org_view(Perm.MENTORSHIPS_VIEW)
def mentorship_list(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    current = current_programme(ctx, org_today(ctx.organisation))
    filters = MentorshipFilter(
        request.GET or None,
        organisation=ctx.organisation,
        programmes=programmes_of(ctx),
        initial={"programme": current.pk if current else None},
    )
    programme = filters.chosen(current)
    mentorships = []
    if programme is not None:
        found = (
            mentorships_of(ctx)
            .filter(programme=programme)
            .exclude(hidden_q(ref="mentor__person"))
            # The same derived state as every other page (mentorships.suspension), in one query.
            .annotate(has_suspended=ExpressionWrapper(suspended_q(), output_field=BooleanField()))
            .order_by("form__order", "mentor__person__name_key", "pk")
        )
        found = filters.narrow(found)
        mentorships = list(with_people(found))
    return render(
        request,
        "mentorships/list.html",
        {"filters": filters, "programme": programme, "mentorships": mentorships},
    )


def _result_of(mentorship: Mentorship) -> MentorshipResult | None:
    return MentorshipResult.objects.filter(mentorship=mentorship).first()


@org_view(Perm.MENTORSHIPS_VIEW)
def mentorship_detail(request: OrgRequest, mentorship_pk: int) -> HttpResponse:
    ctx = request.org
    mentorship = mentorship_for(ctx, mentorship_pk)
    assignments = list(
        MentorAssignment.objects.filter(mentorship=mentorship)
        .with_meetings_held()
        .select_related("mentor__person", "order")
        .order_by("assigned_on", "pk")
    )
    extensions = list(
        MentorshipExtension.objects.filter(mentorship=mentorship).order_by("absent_from", "pk")
    )
    return render(
        request,
        "mentorships/detail.html",
        {
            "mentorship": mentorship,
            "assignments": assignments,
            "replaced": len(assignments) > 1,
            "extensions": extensions,
            "result": _result_of(mentorship),
            "manage": ctx.can(Perm.MENTORSHIPS_MANAGE),
            "write_case": ctx.can(Perm.CASES_MANAGE),
            "programme_open": not mentorship.programme.is_finished,
        },
    )


def _action(
    request: HttpRequest,
    mentorship: Mentorship,
    form: Any,
    write: Callable[[], Any],
    *,
    done: str,
    template: str = "mentorships/action.html",
    **context: Any,
) -> HttpResponse:
    """GET shows the form; a valid POST goes through the service and back to the card."""
    return submit(
        request,
        form,
        write,
        success=done,
        redirect_to=mentorship.get_absolute_url(),
        template=template,
        context={"mentorship": mentorship, **context},
    )


@org_view(Perm.MENTORSHIPS_MANAGE)
def mentorship_complete(request: OrgRequest, mentorship_pk: int) -> HttpResponse:
    ctx = request.org
    mentorship = mentorship_for(ctx, mentorship_pk)
    today = org_today(ctx.organisation)
    # Completed on its planned end, or later when the curator comes to it late.
    form = CompleteForm(
        request.POST or None,
        mentorship=mentorship,
        initial={"ended_on": min(today, mentorship.planned_end)},
    )
    return _action(
        request,
        mentorship,
        form,
        lambda: services.mentorship_complete(
            mentorship, ended_on=form.cleaned_data["ended_on"], by=request.user, **form.results()
        ),
        done=_("The mentoring is completed and its results are saved."),
        title=_("Completing the mentoring"),
        intro=_(
            "The mentees finish mentoring this year and may take part again next year; the "
            "mentor's place becomes free. The results go to the mentor's history; they can be "
            "corrected later while the programme is open."
        ),
        submit=_("Complete"),
        early_url=(
            reverse(
                "mentorships:complete_early",
                kwargs={"org_slug": ctx.organisation.slug, "mentorship_pk": mentorship.pk},
            )
            if today < mentorship.planned_end
            else ""
        ),
    )


@org_view(Perm.MENTORSHIPS_MANAGE)
def mentorship_complete_early(request: OrgRequest, mentorship_pk: int) -> HttpResponse:
    ctx = request.org
    mentorship = mentorship_for(ctx, mentorship_pk)
    today = org_today(ctx.organisation)
    form = CompleteEarlyForm(
        request.POST or None,
        organisation=ctx.organisation,
        initial={"ended_on": today, **CompleteEarlyForm.order_initial(ctx.organisation, today)},
    )
    return _action(
        request,
        mentorship,
        form,
        lambda: services.mentorship_complete_early(
            mentorship,
            ended_on=form.cleaned_data["ended_on"],
            reason=form.cleaned_data["reason"],
            order=form.order_details(),
            by=request.user,
        ),
        done=_(
            "The mentoring is completed early; the draft order is prepared. Enter the results "
            "on the card."
        ),
        title=_("Completing the mentoring early"),
        intro=_(
            "By agreement of the mentor and the curator, when the mentee has quickly mastered "
            "what was planned (regulation §2.7). The order of the early completion is prepared "
            "as a draft for the director to sign."
        ),
        submit=_("Complete early and prepare the order"),
        with_order=True,
    )


@org_view(Perm.MENTORSHIPS_MANAGE)
def mentorship_terminate(request: OrgRequest, mentorship_pk: int) -> HttpResponse:
    ctx = request.org
    mentorship = mentorship_for(ctx, mentorship_pk)
    form = TerminateForm(request.POST or None, initial={"ended_on": org_today(ctx.organisation)})
    return _action(
        request,
        mentorship,
        form,
        lambda: services.mentorship_terminate(
            mentorship,
            ended_on=form.cleaned_data["ended_on"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        ),
        done=_("The pair or group is terminated; its mentees are back in the base."),
        title=_("Terminating the mentoring"),
        intro=_(
            "The pair or group ends without completing the programme. Its mentees go back to "
            "the base and can be given another mentor. To keep the pair with another mentor, "
            "replace the mentor instead."
        ),
        submit=_("Terminate"),
    )


@org_view(Perm.MENTORSHIPS_MANAGE)
def mentorship_extend(request: OrgRequest, mentorship_pk: int) -> HttpResponse:
    ctx = request.org
    mentorship = mentorship_for(ctx, mentorship_pk)
    form = ExtendForm(request.POST or None)

    def write() -> Any:
        data = form.cleaned_data
        return services.mentorship_extend(
            mentorship,
            reason=data["reason"],
            reason_text=data["reason_text"],
            absent_side=data["absent_side"],
            absent_from=data["absent_from"],
            absent_to=data["absent_to"],
            by=request.user,
        )

    return _action(
        request,
        mentorship,
        form,
        write,
        done=_("The term is extended: the planned end moved by the days of the absence."),
        title=_("Extending the term for an absence"),
        intro=_(
            "For a temporary incapacity for work, a business trip or another long absence for a "
            "valid reason of the mentor or the mentee (regulation §2.7). The planned end moves "
            "later by the days of the absence, and so does the one-year limit."
        ),
        submit=_("Extend"),
    )


@org_view(Perm.MENTORSHIPS_MANAGE)
def mentorship_term(request: OrgRequest, mentorship_pk: int) -> HttpResponse:
    ctx = request.org
    mentorship = mentorship_for(ctx, mentorship_pk)
    form = TermForm(request.POST or None, initial={"planned_end": mentorship.planned_end})
    latest = services.latest_end(mentorship.started_on, mentorship.extension_days)
    return _action(
        request,
        mentorship,
        form,
        lambda: services.mentorship_set_end(
            mentorship, planned_end=form.cleaned_data["planned_end"], by=request.user
        ),
        done=_("The planned end is changed."),
        title=_("Changing the planned end"),
        intro=_(
            "The term is set for each pair according to its plan, at most one calendar year "
            "and the days of its extensions: the planned end can be %(latest)s at the latest."
        )
        % {"latest": latest.strftime("%d.%m.%Y")},
        submit=_("Save"),
    )


@org_view(Perm.MENTORSHIPS_MANAGE)
def mentorship_kind(request: OrgRequest, mentorship_pk: int) -> HttpResponse:
    ctx = request.org
    mentorship = mentorship_for(ctx, mentorship_pk)
    form = KindForm(
        request.POST or None, is_group=mentorship.is_group, initial={"kind": mentorship.kind}
    )
    return _action(
        request,
        mentorship,
        form,
        lambda: services.mentorship_set_kind(
            mentorship, kind=form.cleaned_data["kind"], by=request.user
        ),
        done=_("The kind of mentoring is changed."),
        title=_("Kind of mentoring"),
        intro=_(
            "How the mentoring is done, whatever its form: one to one, in a group, remotely, "
            "the younger teaching the elder, help with one problem, or short meetings. The "
            "indicators and the reports count pairs and groups by kind."
        ),
        submit=_("Save"),
    )


@org_view(Perm.MENTORSHIPS_MANAGE)
def mentorship_replace(request: OrgRequest, mentorship_pk: int) -> HttpResponse:
    ctx = request.org
    mentorship = mentorship_for(ctx, mentorship_pk)
    today = org_today(ctx.organisation)
    suggestions = replacement_candidates(mentorship, today) if mentorship.is_active else []
    form = ReplaceForm(
        request.POST or None,
        organisation=ctx.organisation,
        suggestions=suggestions,
        # A concern's "replace the mentor" link names the ground of a justified request.
        initial={
            "on": today,
            "ground": request.GET.get("ground", ""),
            **ReplaceForm.order_initial(ctx.organisation, today),
        },
    )

    def write() -> Any:
        data = form.cleaned_data
        return services.mentor_replace(
            mentorship,
            new_mentor=form.chosen(),
            ground=data["ground"],
            on=data["on"],
            note=data["note"],
            order=form.order_details(),
            by=request.user,
        )

    return _action(
        request,
        mentorship,
        form,
        write,
        done=_(
            "The mentor is replaced from the chosen day; the draft order is prepared for the "
            "director to sign."
        ),
        template="mentorships/replace.html",
        suggestions=suggestions,
    )


@org_view(Perm.MENTORSHIPS_MANAGE)
def mentorship_results(request: OrgRequest, mentorship_pk: int) -> HttpResponse:
    ctx = request.org
    mentorship = mentorship_for(ctx, mentorship_pk)
    result = _result_of(mentorship)
    initial = {name: getattr(result, name) for name in RESULT_FIELDS} if result else {}
    form = ResultsForm(request.POST or None, initial=initial)
    return _action(
        request,
        mentorship,
        form,
        lambda: services.mentorship_results_save(mentorship, by=request.user, **form.results()),
        done=_("The results are saved."),
        title=_("Results of the mentoring"),
        intro=_(
            "What the pair or group achieved. The results go to the mentor's history and can "
            "be corrected while the programme is open."
        ),
        submit=_("Save"),
    )
