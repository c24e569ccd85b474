"""The curator's matching pages: the runs of the programme by form, a new run, a run's proposals
and unmatched mentees with their explanations, locks, exclusions, swaps, comparing two runs,
and confirming one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.catalogue.models import MentoringKind
from nastavnik.consents.rules import hidden_q
from nastavnik.core.access import OrgRequest, org_view
from nastavnik.core.outcomes import Success, perform, submit
from nastavnik.core.outcomes import attempt as _attempt
from nastavnik.core.outcomes import refuse as _refuse
from nastavnik.matching import services
from nastavnik.matching.access import proposal_for, run_for, runs_of, unmatched_for
from nastavnik.matching.forms import (
    AssignForm,
    CompareForm,
    ConfirmForm,
    OrderForm,
    RunForm,
    SynonymsForm,
)
from nastavnik.matching.models import MatchingRun, Proposal, RunStatus, UnmatchedMentee
from nastavnik.matching.profiles import MATCHED_STATUSES
from nastavnik.matching.synonyms import synonym_text, synonyms_save
from nastavnik.matching.tasks import matching_run_settle_if_lost
from nastavnik.matching.texts import (
    CRITERION_LABELS,
    FUNNEL_LABELS,
    MODES_EXPLAINED,
    criterion_label,
    impossible_text,
    missing_label,
    note_text,
    reason_text,
    tradeoff,
)
from nastavnik.matching_engine import CRITERIA, SCORE_SCALE
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentors.models import Mentor
from nastavnik.mentorships.models import Mentorship
from nastavnik.mentorships.services import default_kind
from nastavnik.orgs.policy import Perm
from nastavnik.people.models import Person
from nastavnik.people.validators import org_today
from nastavnik.programmes.access import current_programme, programme_form_for
from nastavnik.programmes.models import Programme, ProgrammeForm


def _to_run(run: MatchingRun, anchor: str = "") -> HttpResponse:
    return redirect(run.get_absolute_url() + (f"#{anchor}" if anchor else ""))


# --- The runs of the programme --------------------------------------------------------------------


@dataclass
class FormRuns:
    chosen: ProgrammeForm
    runs: list[MatchingRun] = field(default_factory=list)
    waiting: int = 0
    support: int = 0
    mentors: int = 0
    mentorships: int = 0


@org_view(Perm.MATCHING_RUN)
def index(request: OrgRequest) -> HttpResponse:
    """The runs of the current programme, form by form, with who is waiting for a mentor."""
    ctx = request.org
    programme = current_programme(ctx, org_today(ctx.organisation))
    if programme is None:
        return render(request, "matching/index.html", {"programme": None})
    forms = {
        chosen.form_id: FormRuns(chosen)
        for chosen in ProgrammeForm.objects.filter(programme=programme).select_related("form")
    }
    for run in runs_of(ctx).filter(programme=programme).select_related("order", "form"):
        if run.form_id in forms:
            forms[run.form_id].runs.append(run)
    waiting = Mentee.objects.filter(programme=programme, status=MenteeStatus.IN_BASE)
    for row in waiting.values("form").annotate(
        n=Count("pk"), support=Count("pk", filter=Q(support_needed=True))
    ):
        if row["form"] in forms:
            forms[row["form"]].waiting, forms[row["form"]].support = row["n"], row["support"]
    for mentor_row in (
        Mentor.objects.filter(programme=programme, status__in=MATCHED_STATUSES)
        .values("forms")
        .annotate(n=Count("pk"))
    ):
        if mentor_row["forms"] in forms:
            forms[mentor_row["forms"]].mentors = mentor_row["n"]
    for pair_row in (
        Mentorship.objects.filter(programme=programme)
        .active()
        .values("form")
        .annotate(n=Count("pk"))
    ):
        if pair_row["form"] in forms:
            forms[pair_row["form"]].mentorships = pair_row["n"]
    without_form = list(
        waiting.filter(form__isnull=True)
        .exclude(hidden_q(ref="person"))
        .select_related("person")
        .order_by("person__name_key")
    )
    return render(
        request,
        "matching/index.html",
        {"programme": programme, "forms": list(forms.values()), "without_form": without_form},
    )


# --- Synonyms -------------------------------------------------------------------------------------


@org_view(Perm.MATCHING_RUN)
def synonyms(request: OrgRequest) -> HttpResponse:
    """The organisation's synonym groups for requests and competencies."""
    ctx = request.org
    form = SynonymsForm(request.POST or None, initial={"text": synonym_text(ctx.organisation)})
    return submit(
        request,
        form,
        lambda: synonyms_save(ctx.organisation, form.cleaned_data["text"]),
        success=_("The synonym groups are saved; the next run uses them."),
        redirect_to=redirect("matching:synonyms", org_slug=ctx.organisation.slug),
        template="matching/synonyms.html",
    )


# --- A new run ------------------------------------------------------------------------------------


#: Profiles with missing data listed on the new-run page; the count says how many more.
MISSING_SHOWN = 100


@org_view(Perm.MATCHING_RUN)
def run_new(request: OrgRequest, programme_form_pk: int) -> HttpResponse:
    ctx = request.org
    chosen = programme_form_for(ctx, programme_form_pk)
    programme: Programme = chosen.programme
    source = None
    source_pk = request.POST.get("source") or request.GET.get("from")
    if source_pk and str(source_pk).isdigit():
        source = run_for(ctx, int(source_pk))
        if source.programme_id != programme.pk or source.form_id != chosen.form_id:
            source = None
    with_unmatched = Mentee.objects.filter(
        programme=programme, form=chosen.form, status=MenteeStatus.IN_BASE, support_needed=True
    ).exists()
    initial = RunForm.initial_from(services.run_settings_from(source))
    form = RunForm(request.POST or None, initial=initial, with_unmatched=with_unmatched)
    if request.method == "POST" and form.is_valid():
        run = _attempt(
            form,
            lambda: services.run_start(
                programme, chosen.form, form.run_settings(), by=request.user, source=source
            ),
        )
        if run is not None:
            if run.is_running:
                messages.info(request, _("The run is large: it is being made in the background."))
            else:
                messages.success(
                    request,
                    _("Run %(number)s is ready: %(matched)s pairs proposed.")
                    % {"number": run.number, "matched": run.summary.get("matched", 0)},
                )
            return _to_run(run)
    locks = Proposal.objects.filter(run=source, locked=True).count() if source else 0
    exclusions = source.exclusions.count() if source else 0
    gaps = services.missing_before_run(programme, chosen.form)
    return render(
        request,
        "matching/run_new.html",
        {
            "chosen": chosen,
            "programme": programme,
            "form": form,
            "source": source,
            "locks": locks,
            "exclusions": exclusions,
            "gaps": gaps[:MISSING_SHOWN],
            "gaps_count": len(gaps),
        },
    )


# --- A run ----------------------------------------------------------------------------------------


@dataclass
class CriterionLine:
    label: str
    percent: int
    weight: float
    points: int


@dataclass
class ProposalView:
    proposal: Proposal
    lines: list[CriterionLine]
    terms: list[str]
    subjects: list[str]
    slots: list[str]
    impossible: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """What either side left blank: those criteria scored nothing."""
        return [missing_label(code) for code in self.proposal.breakdown.get("missing", [])]

    @property
    def percent(self) -> int:
        return round(100 * self.proposal.score / SCORE_SCALE)


def explain(
    breakdown: dict[str, Any],
) -> tuple[list[CriterionLine], list[str], list[str], list[str]]:
    criteria = breakdown.get("criteria", {})
    lines = [
        CriterionLine(
            label=criterion_label(c.value),
            percent=round(100 * criteria[c.value]["value"]),
            weight=criteria[c.value]["weight"],
            points=criteria[c.value]["points"],
        )
        for c in CRITERIA
        if c.value in criteria and criteria[c.value]["weight"]
    ]
    return (
        lines,
        breakdown.get("terms", []),
        breakdown.get("subjects", []),
        breakdown.get("slots", []),
    )


@dataclass
class ClosestView:
    mentor: Mentor | None
    points: int
    taken_by: list[tuple[Mentee | None, int, bool]]


@dataclass
class UnmatchedView:
    unmatched: UnmatchedMentee
    reason: str
    closest: list[ClosestView]
    funnel: list[tuple[str, int]]
    impossible: list[str] = field(default_factory=list)


def _impossible_lines(details: list[dict[str, Any]]) -> list[str]:
    """The mentee's named choices the rules ruled out, in words (one query per call)."""
    if not details:
        return []
    mentors = Mentor.objects.select_related("person").in_bulk({d["mentor"] for d in details})
    lines = []
    for d in sorted(details, key=lambda d: d["rank"]):
        mentor = mentors.get(d["mentor"])
        name = mentor.person.full_name if mentor is not None else "—"
        lines.append(impossible_text(d["rank"], name, d["reason"]))
    return lines


def _unmatched_views(rows: list[UnmatchedMentee]) -> list[UnmatchedView]:
    mentor_pks: set[int] = set()
    mentee_pks: set[int] = set()
    for row in rows:
        for closest in row.details.get("closest", []):
            mentor_pks.add(closest["mentor"])
            mentee_pks.update(t["mentee"] for t in closest["taken_by"])
        if row.details.get("excluded_mentor"):
            mentor_pks.add(row.details["excluded_mentor"])
    mentors = Mentor.objects.select_related("person").in_bulk(mentor_pks)
    mentees = Mentee.objects.select_related("person").in_bulk(mentee_pks)
    views = []
    for row in rows:
        closest = [
            ClosestView(
                mentor=mentors.get(c["mentor"]),
                points=c["points"],
                taken_by=[
                    (mentees.get(t["mentee"]), t["points"], t["locked"]) for t in c["taken_by"]
                ],
            )
            for c in row.details.get("closest", [])
        ]
        funnel = [
            (str(FUNNEL_LABELS[step]), count)
            for step, count in row.details.get("funnel", {}).items()
            if step in FUNNEL_LABELS
        ]
        views.append(
            UnmatchedView(
                row,
                reason_text(row.reason),
                closest,
                funnel,
                _impossible_lines(row.details.get("named_impossible", [])),
            )
        )
    return views


def _notes(run: MatchingRun) -> list[str]:
    """The run's notes about its inputs, with the people named (one query)."""
    people: set[int] = set()
    for note in run.notes:
        people.update(note.get("people", ()))
        for pair in note.get("pairs", ()):
            people.update(pair)
    names = {
        pk: " ".join(part for part in parts if part)
        for pk, *parts in Person.objects.filter(pk__in=people).values_list(
            "pk", "last_name", "first_name", "middle_name"
        )
    }
    return [note_text(note, lambda pk: names.get(pk, str(pk))) for note in run.notes]


@org_view(Perm.MATCHING_RUN)
def run_detail(request: OrgRequest, matching_run_pk: int) -> HttpResponse:
    ctx = request.org
    # A run whose worker died is noticed here too, so it shows even when no worker runs.
    run = matching_run_settle_if_lost(run_for(ctx, matching_run_pk))
    if run.is_running and getattr(request, "htmx", None):
        return render(request, "matching/_running.html", {"run": run})
    proposals = list(
        Proposal.objects.filter(run=run)
        .exclude(hidden_q(ref="mentee__person"))
        .select_related("mentee__person", "mentee__role_model", "mentor__person")
    )
    unmatched = list(
        UnmatchedMentee.objects.filter(run=run)
        .exclude(hidden_q(ref="mentee__person"))
        .select_related("mentee__person")
    )
    exclusions = list(run.exclusions.select_related("mentee__person", "mentor__person"))
    views = [
        ProposalView(
            p, *explain(p.breakdown), _impossible_lines(p.breakdown.get("named_impossible", []))
        )
        for p in proposals
    ]
    return render(
        request,
        "matching/run.html",
        {
            "run": run,
            "proposals": views,
            "unmatched": _unmatched_views(unmatched),
            "exclusions": exclusions,
            "notes": _notes(run),
            "weights": [(CRITERION_LABELS[c], run.weights.get(c.value, 0)) for c in CRITERIA],
            "others": list(
                runs_of(ctx)
                .filter(programme=run.programme, form=run.form)
                .exclude(pk=run.pk)
                .order_by("-number")[:10]
            ),
            "mentorships": Mentorship.objects.filter(matching_run=run).count()
            if run.status == RunStatus.CONFIRMED
            else 0,
            "chosen_pk": ProgrammeForm.objects.filter(programme=run.programme, form=run.form)
            .values_list("pk", flat=True)
            .first(),
        },
    )


@org_view(Perm.MATCHING_RUN)
@require_POST
def proposal_lock(request: OrgRequest, proposal_pk: int) -> HttpResponse:
    proposal = proposal_for(request.org, proposal_pk)
    lock = request.POST.get("locked") != "0"
    return perform(
        request,
        lambda: services.proposal_lock(proposal, lock, by=request.user),
        success=None,
        redirect_to=_to_run(proposal.run, f"proposal-{proposal.pk}"),
    )


@org_view(Perm.MATCHING_RUN)
@require_POST
def proposal_exclude(request: OrgRequest, proposal_pk: int) -> HttpResponse:
    proposal = proposal_for(request.org, proposal_pk)
    return perform(
        request,
        lambda: services.proposal_exclude(proposal, by=request.user),
        success=_("The pair %(mentee)s — %(mentor)s is excluded; run again to find another mentor.")
        % {
            "mentee": proposal.mentee.person.full_name,
            "mentor": proposal.mentor.person.full_name,
        },
        redirect_to=_to_run(proposal.run, "unmatched"),
    )


def _assign(request: OrgRequest, run: MatchingRun, mentee: Mentee) -> HttpResponse:
    candidates = services.candidates_for(run, mentee) if run.is_proposed else []
    choices = [(c.mentor.pk, c.mentor.person.full_name) for c in candidates if not c.current]
    form = AssignForm(request.POST or None, choices=choices)
    if request.method == "POST" and run.is_proposed and form.is_valid():
        mentor = next(c.mentor for c in candidates if c.mentor.pk == form.cleaned_data["mentor"])
        try:
            services.mentee_assign(run, mentee, mentor, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(mentee)s is now paired with %(mentor)s; the pair is locked.")
                % {"mentee": mentee.person.full_name, "mentor": mentor.person.full_name},
            )
            return _to_run(run, "proposals")
    elif request.method == "POST":
        try:
            services.require_proposed(run)
        except ValidationError as error:
            _refuse(request, error)
            return _to_run(run)
    return render(
        request,
        "matching/assign.html",
        {"run": run, "mentee": mentee, "candidates": candidates, "form": form},
    )


@org_view(Perm.MATCHING_RUN)
def proposal_swap(request: OrgRequest, proposal_pk: int) -> HttpResponse:
    proposal = proposal_for(request.org, proposal_pk)
    return _assign(request, proposal.run, proposal.mentee)


@org_view(Perm.MATCHING_RUN)
def unmatched_assign(request: OrgRequest, unmatched_pk: int) -> HttpResponse:
    unmatched = unmatched_for(request.org, unmatched_pk)
    return _assign(request, unmatched.run, unmatched.mentee)


# --- Confirming -----------------------------------------------------------------------------------


def confirm_page(
    request: OrgRequest,
    form: ConfirmForm,
    confirm: Callable[..., Any],
    *,
    success: Success[Any],
    redirect_to: Callable[[Any], HttpResponse | str],
    template: str,
    context: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """Pairs confirmed with the order that forms them, from a run or from a self-match
    request: the same form gives the same terms to either service."""
    return submit(
        request,
        form,
        lambda: confirm(
            order=form.order_details(),
            started_on=form.cleaned_data["started_on"],
            planned_end=form.cleaned_data["planned_end"],
            by=request.user,
        ),
        success=success,
        redirect_to=redirect_to,
        template=template,
        context=context,
    )


@org_view(Perm.MATCHING_RUN)
def run_confirm(request: OrgRequest, matching_run_pk: int) -> HttpResponse:
    ctx = request.org
    run = run_for(ctx, matching_run_pk)
    return confirm_page(
        request,
        ConfirmForm.offered(request.POST or None, ctx.organisation),
        lambda **terms: services.run_confirm(run, **terms),
        success=lambda done: (
            _("The pairs are confirmed and the order № %(number)s is prepared.")
            % {"number": done.order.number}
        ),
        redirect_to=_to_run,
        template="matching/confirm.html",
        context=lambda: {
            "run": run,
            "stale": run.is_proposed and services.run_is_stale(run),
            "unmatched": run.unmatched.count(),
            "pair_kind": MentoringKind(default_kind(run.programme, run.form, is_group=False)).label,
        },
    )


@org_view(Perm.MATCHING_RUN)
def run_order(request: OrgRequest, matching_run_pk: int) -> HttpResponse:
    ctx = request.org
    run = run_for(ctx, matching_run_pk)
    form = OrderForm.offered(request.POST or None, ctx.organisation)
    return submit(
        request,
        form,
        lambda: services.run_order_create(run, form.order_details(), by=request.user),
        success=lambda made: _("The order № %(number)s is prepared.") % {"number": made.number},
        redirect_to=_to_run(run),
        template="matching/order.html",
        context={"run": run},
    )


# --- Comparing two runs ---------------------------------------------------------------------------


@dataclass
class Difference:
    mentee: Mentee
    a: Proposal | None
    b: Proposal | None


@org_view(Perm.MATCHING_RUN)
def compare(request: OrgRequest, programme_form_pk: int) -> HttpResponse:
    ctx = request.org
    chosen = programme_form_for(ctx, programme_form_pk)
    runs = list(
        runs_of(ctx)
        .filter(programme=chosen.programme, form=chosen.form)
        .exclude(status__in=(RunStatus.RUNNING, RunStatus.FAILED))
        .order_by("-number")
    )
    latest = {"a": runs[1].pk, "b": runs[0].pk} if len(runs) > 1 else None
    form = CompareForm(request.GET or None, runs=runs, initial=latest)
    context: dict[str, Any] = {"chosen": chosen, "form": form, "runs": runs}
    if form.is_valid():
        by_pk = {run.pk: run for run in runs}
        a, b = by_pk[form.cleaned_data["a"]], by_pk[form.cleaned_data["b"]]
        pairs: dict[int, dict[str, Proposal]] = {}
        for proposal in (
            Proposal.objects.filter(run__in=(a, b))
            .exclude(hidden_q(ref="mentee__person"))
            .select_related("mentee__person", "mentor__person")
        ):
            pairs.setdefault(proposal.mentee_id, {})["a" if proposal.run_id == a.pk else "b"] = (
                proposal
            )
        differences = [
            Difference((side.get("a") or side.get("b")).mentee, side.get("a"), side.get("b"))  # type: ignore[union-attr]
            for side in pairs.values()
            if (side.get("a") and side["a"].mentor_id) != (side.get("b") and side["b"].mentor_id)
        ]
        differences.sort(key=lambda d: d.mentee.person.name_key)
        context.update(
            {
                "a": a,
                "b": b,
                "differences": differences,
                "same": len(pairs) - len(differences),
                "tradeoff": tradeoff(a, b),
                "modes_explained": MODES_EXPLAINED,
            }
        )
    return render(request, "matching/compare.html", context)
