"""The mentor base, the selection, the registry, the mentor school and portfolios.

The pages of a programme take it from ``?programme=<pk>``, else the programme of the current
academic year, else the latest one: the navigation links to them without a programme.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from nastavnik.catalogue.models import MentoringForm
from nastavnik.catalogue.profile import EXTERNAL_CATEGORIES
from nastavnik.consents.models import Purpose
from nastavnik.consents.rules import consent_flags, hidden_q, may_use
from nastavnik.core.access import OrgRequest, org_view
from nastavnik.core.grammar import by_gender
from nastavnik.core.outcomes import attempt as _attempt
from nastavnik.core.outcomes import download, perform, stored_file, submit
from nastavnik.core.outcomes import refuse as _refuse
from nastavnik.documents.spreadsheet import XLSX_CONTENT_TYPE
from nastavnik.mentors import services
from nastavnik.mentors.access import (
    document_for,
    mentor_for,
    own_person,
    portfolio_item_for,
    portfolio_of,
    training_event_for,
)
from nastavnik.mentors.documents import registry_rows
from nastavnik.mentors.exports import mentor_base_xlsx, registry_xlsx
from nastavnik.mentors.forms import (
    AttendanceForm,
    CommissionForm,
    DecisionForm,
    DocumentForm,
    InterviewForm,
    LeaveForm,
    MentorFilterForm,
    MentorForm,
    PortfolioItemForm,
    ScoreForm,
    TrainingEventForm,
    TrainingMarkForm,
)
from nastavnik.mentors.models import (
    CRITERIA_FIELDS,
    DECISION_MIN_SCORES,
    SCORE_MAX,
    SELECTION_CRITERIA,
    Attendance,
    DocumentKind,
    Mentor,
    MentorDocument,
    MentorStatus,
    PortfolioItem,
    SelectionScore,
)
from nastavnik.mentors.rules import (
    DOCUMENT_STATE_LABELS,
    DocumentState,
    category_for,
    document_checks,
    documents_valid_q,
    expiring_documents_q,
    missing_documents_q,
    needs_documents,
    overall_state,
    required_held,
    training_completed,
    training_completed_q,
    with_training,
)
from nastavnik.orders.models import OrderStatus
from nastavnik.orgs.policy import Perm
from nastavnik.people.access import people_of, person_for
from nastavnik.people.models import Person
from nastavnik.programmes.access import current_programme, programme_for, programmes_of
from nastavnik.programmes.models import Programme
from nastavnik.programmes.views import no_programme

PAGE_SIZE = 50
SEARCH_LIMIT = 20


def _int(value: Any) -> int:
    """A primary key from a query string or a form: anything else is a page that is not there."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _programme(request: OrgRequest) -> Programme | None:
    ctx = request.org
    chosen = request.GET.get("programme") or request.POST.get("programme")
    if chosen:
        return programme_for(ctx, _int(chosen))
    today = timezone.localdate()
    found = current_programme(ctx, today) or programmes_of(ctx).first()
    return programme_for(ctx, found.pk) if found else None


def _with_programme(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Resolve the programme of a page, or send the user to create one."""

    @wraps(view)
    def wrapped(request: OrgRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        programme = _programme(request)
        if programme is None:
            return no_programme(request)
        return view(request, programme, *args, **kwargs)

    return wrapped


def _url(name: str, request: OrgRequest, **kwargs: Any) -> str:
    return reverse(f"mentors:{name}", kwargs={"org_slug": request.org.organisation.slug, **kwargs})


def _page_url(name: str, request: OrgRequest, programme: Programme) -> str:
    return f"{_url(name, request)}?programme={programme.pk}"


def _card(request: OrgRequest, mentor: Mentor) -> HttpResponse:
    return redirect(_url("detail", request, mentor_pk=mentor.pk))


# --- The mentor base ------------------------------------------------------------------------------


def _base_queryset(programme: Programme, today: Any) -> Any:
    # People whose consent was withdrawn leave every list (consents.rules).
    return with_training(
        Mentor.objects.filter(programme=programme)
        .exclude(hidden_q(ref="person"))
        .select_related("person")
        .prefetch_related(
            Prefetch("forms", queryset=MentoringForm.objects.order_by("order", "name")),
            Prefetch("person__mentor_documents", queryset=MentorDocument.objects.order_by("kind")),
        ),
        today,
    ).order_by("person__name_key", "pk")


def _filter(
    mentors: Any, form: MentorFilterForm, programme: Programme, today: Any, held: int
) -> Any:
    if not form.is_valid():
        return mentors
    data = form.cleaned_data
    if data["q"]:
        mentors = mentors.filter(
            person__in=people_of(programme.organisation).search(data["q"]).values("pk")
        )
    if data["status"]:
        mentors = mentors.filter(status=data["status"])
    if data["category"]:
        mentors = mentors.filter(category=data["category"])
    if data["form"]:
        mentors = mentors.filter(forms=data["form"])
    documents = data["documents"]
    if documents == DocumentState.VALID:
        mentors = mentors.filter(category__in=EXTERNAL_CATEGORIES).filter(documents_valid_q(today))
    elif documents == DocumentState.MISSING:
        mentors = mentors.filter(missing_documents_q(today))
    elif documents == DocumentState.EXPIRING:
        mentors = mentors.filter(expiring_documents_q(today))
    if data["training"] == "yes":
        mentors = mentors.filter(training_completed_q(held))
    elif data["training"] == "no":
        mentors = mentors.exclude(training_completed_q(held))
    return mentors


def _judge(mentors: Any, today: Any, held: int) -> list[Mentor]:
    """Attach the documents' state and the mentor school's to each row, from what is loaded."""
    rows = list(mentors)
    for mentor in rows:
        checks = document_checks(mentor, list(mentor.person.mentor_documents.all()), today)
        mentor.document_checks = checks
        mentor.documents_state = overall_state(mentor, checks)
        mentor.documents_label = str(DOCUMENT_STATE_LABELS[mentor.documents_state])
        mentor.training_done = training_completed(
            mentor,
            held,
            mentor.attended_required,
        )
    return rows


@org_view(Perm.MENTORS_VIEW)
@_with_programme
def mentor_list(request: OrgRequest, programme: Programme) -> HttpResponse:
    ctx = request.org
    today = timezone.localdate()
    held = required_held(programme.pk, today)
    form = MentorFilterForm(request.GET or None, programme=programme)
    mentors = _filter(_base_queryset(programme, today), form, programme, today, held)
    page = Paginator(mentors, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mentors/list.html",
        {
            "programme": programme,
            "programmes": programmes_of(ctx),
            "filter": form,
            "page": page,
            "rows": _judge(page.object_list, today, held),
            "query": query.urlencode(),
            "held": held,
            "can_edit": ctx.can(Perm.MENTORS_EDIT) and not programme.is_finished,
            "can_export": ctx.can(Perm.MENTORS_EDIT),
        },
    )


@org_view(Perm.MENTORS_EDIT)
@_with_programme
def mentor_export(request: OrgRequest, programme: Programme) -> HttpResponseBase:
    today = timezone.localdate()
    held = required_held(programme.pk, today)
    form = MentorFilterForm(request.GET or None, programme=programme)
    mentors = _judge(
        _filter(_base_queryset(programme, today), form, programme, today, held), today, held
    )
    name = f"База наставников {programme.academic_year.label.replace('/', '-')}.xlsx"
    return download(mentor_base_xlsx(mentors), name, XLSX_CONTENT_TYPE)


@org_view(Perm.MENTORS_EDIT)
@_with_programme
def mentor_add(request: OrgRequest, programme: Programme) -> HttpResponse:
    """Pick a person of the organisation by a search, then fill in the profile."""
    ctx = request.org
    chosen = request.POST.get("person") or request.GET.get("person")
    person = person_for(ctx, _int(chosen)) if chosen else None
    if person is None:
        query = request.GET.get("q", "").strip()
        candidates: list[Person] = []
        if query:
            taken = Mentor.objects.filter(programme=programme).values("person_id")
            candidates = list(
                people_of(ctx)
                .exclude(hidden_q())
                .search(query)
                .exclude(pk__in=taken)
                .annotate(**consent_flags())
                .order_by("name_key", "pk")[:SEARCH_LIMIT]
            )
        return render(
            request,
            "mentors/add_pick.html",
            {
                "programme": programme,
                "query": query,
                "candidates": candidates,
                "limit": SEARCH_LIMIT,
            },
        )
    initial = {
        "category": category_for(person),
        "subjects": person.subjects,
        "experience_years": person.experience_years,
        "capacity": 2,
    }
    form = MentorForm(request.POST or None, programme=programme, initial=initial)
    return submit(
        request,
        form,
        lambda: services.mentor_add(programme, person, form.profile(), by=request.user),
        success=by_gender(
            person,
            pgettext("masculine", "%(name)s is added to the mentor base as a candidate."),
            pgettext("feminine", "%(name)s is added to the mentor base as a candidate."),
        )
        % {"name": person.full_name},
        redirect_to=lambda mentor: _card(request, mentor),
        template="mentors/form.html",
        context={
            "programme": programme,
            "person": person,
            "title": _("Add to the mentor base"),
            "back": _page_url("add", request, programme),
        },
    )


@org_view(Perm.MENTORS_VIEW)
def mentor_detail(request: OrgRequest, mentor_pk: int) -> HttpResponse:
    ctx = request.org
    mentor = mentor_for(ctx, mentor_pk)
    if Person.objects.filter(pk=mentor.person_id).filter(hidden_q()).exists():
        raise Http404
    today = timezone.localdate()
    programme = mentor.programme
    held = required_held(programme.pk, today)
    documents = list(MentorDocument.objects.filter(person=mentor.person_id).order_by("kind"))
    checks = document_checks(mentor, documents, today)
    attended = list(
        Attendance.objects.filter(mentor=mentor)
        .select_related("event")
        .order_by("event__held_on", "event__pk")
    )
    attended_required = sum(1 for a in attended if a.event.required and a.event.held_on <= today)
    preferred = {p.pk: p for p in people_of(ctx).filter(pk__in=mentor.preferences or [])}
    return render(
        request,
        "mentors/detail.html",
        {
            "mentor": mentor,
            "programme": programme,
            "forms": mentor.forms.order_by("order", "name"),
            "role_models": mentor.role_models.select_related("form"),
            "needs_documents": needs_documents(mentor),
            "checks": checks,
            "documents_state": overall_state(mentor, checks),
            "attended": attended,
            "held": held,
            "attended_required": attended_required,
            "training_done": training_completed(mentor, held, attended_required),
            "preferred": [preferred[pk] for pk in mentor.preferences or [] if pk in preferred],
            "sharing_void": mentor.share_with_others
            and not may_use(mentor.person, Purpose.SHARING, today),
            "can_edit": ctx.can(Perm.MENTORS_EDIT) and not programme.is_finished,
            "can_train": ctx.can(Perm.TRAINING_MANAGE) and not programme.is_finished,
            "can_select": ctx.can(Perm.SELECTION_MANAGE),
            "can_see_scans": ctx.can(Perm.MENTORS_EDIT),
            "kinds": DocumentKind.choices,
        },
    )


@org_view(Perm.MENTORS_EDIT)
def mentor_edit(request: OrgRequest, mentor_pk: int) -> HttpResponse:
    mentor = mentor_for(request.org, mentor_pk)
    form = MentorForm(
        request.POST or None, programme=mentor.programme, initial=MentorForm.initial_for(mentor)
    )
    return submit(
        request,
        form,
        lambda: services.mentor_update(mentor, form.profile(), by=request.user),
        success=_("Changes are saved."),
        redirect_to=_card(request, mentor),
        template="mentors/form.html",
        context={
            "programme": mentor.programme,
            "person": mentor.person,
            "mentor": mentor,
            "title": _("Mentor's profile"),
            "back": _url("detail", request, mentor_pk=mentor.pk),
        },
    )


@org_view(Perm.MENTORS_EDIT)
@require_POST
def mentor_put_forward(request: OrgRequest, mentor_pk: int) -> HttpResponse:
    mentor = mentor_for(request.org, mentor_pk)
    return perform(
        request,
        lambda: services.mentor_put_forward(mentor, by=request.user),
        success=by_gender(
            mentor.person,
            pgettext("masculine", "%(name)s is put forward to the commission."),
            pgettext("feminine", "%(name)s is put forward to the commission."),
        )
        % {"name": mentor.person.full_name},
        redirect_to=_card(request, mentor),
    )


@org_view(Perm.MENTORS_EDIT)
def mentor_leave(request: OrgRequest, mentor_pk: int) -> HttpResponse:
    mentor = mentor_for(request.org, mentor_pk)
    form = LeaveForm(request.POST or None)
    return submit(
        request,
        form,
        lambda: services.mentor_leave(mentor, form.cleaned_data["reason"], by=request.user),
        success=by_gender(
            mentor.person,
            pgettext("masculine", "%(name)s has left the programme."),
            pgettext("feminine", "%(name)s has left the programme."),
        )
        % {"name": mentor.person.full_name},
        redirect_to=_card(request, mentor),
        template="mentors/form_page.html",
        context={
            "programme": mentor.programme,
            "title": _("%(name)s leaves the programme") % {"name": mentor.person.full_name},
            "back": _url("detail", request, mentor_pk=mentor.pk),
            "submit": _("Record"),
        },
    )


# --- Documents --------------------------------------------------------------------------------


@org_view(Perm.MENTORS_EDIT)
def document_add(request: OrgRequest, mentor_pk: int) -> HttpResponse:
    mentor = mentor_for(request.org, mentor_pk)
    kind = request.GET.get("kind")
    form = DocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        initial={"kind": kind if kind in DocumentKind.values else DocumentKind.NO_CRIMINAL_RECORD},
    )
    return submit(
        request,
        form,
        lambda: services.document_save(
            mentor,
            form.cleaned_data["kind"],
            number=form.cleaned_data["number"],
            issued_on=form.cleaned_data["issued_on"],
            valid_until=form.cleaned_data["valid_until"],
            scan=form.cleaned_data["scan"],
            by=request.user,
        ),
        success=_("The document is saved."),
        redirect_to=_card(request, mentor),
        template="mentors/form_page.html",
        context={
            "programme": mentor.programme,
            "title": _("Document of %(name)s") % {"name": mentor.person.full_name},
            "intro": _(
                "An external mentor brings a certificate of no criminal record and medical "
                "documents before working with students. A new document replaces the one "
                "recorded before."
            ),
            "back": _url("detail", request, mentor_pk=mentor.pk),
            "multipart": True,
        },
    )


@org_view(Perm.MENTORS_EDIT)
def document_scan(request: OrgRequest, mentor_document_pk: int) -> HttpResponseBase:
    document = document_for(request.org, mentor_document_pk)
    return stored_file(document.scan, f"{document.get_kind_display()} {document.person.last_name}")


# --- Selection ------------------------------------------------------------------------------------


@org_view(Perm.SELECTION_SCORE)
@_with_programme
def selection(request: OrgRequest, programme: Programme) -> HttpResponse:
    ctx = request.org
    me = services.commission_member(programme, request.user)
    is_manager = ctx.can(Perm.SELECTION_MANAGE)
    commission = list(programme.commission.select_related("user"))
    context: dict[str, Any] = {
        "programme": programme,
        "programmes": programmes_of(ctx),
        "commission": commission,
        "me": me,
        "is_manager": is_manager,
        "min_scores": DECISION_MIN_SCORES,
    }
    if me is None and not is_manager:
        return render(request, "mentors/selection.html", context)
    mine = SelectionScore.objects.filter(mentor=OuterRef("pk"), member=me) if me else None
    candidates = (
        Mentor.objects.filter(programme=programme)
        .exclude(hidden_q(ref="person"))
        .select_related("person")
        .annotate(scores_count=Count("scores"))
        .order_by("person__name_key", "pk")
    )
    if mine is not None:
        candidates = candidates.annotate(scored_by_me=Exists(mine))
    context.update(
        waiting=[m for m in candidates.filter(status=MentorStatus.SELECTION)],
        decided=list(
            candidates.filter(
                status__in=(MentorStatus.APPROVED, MentorStatus.REJECTED, MentorStatus.REGISTERED)
            ).order_by("-decided_on", "person__name_key")
        ),
        not_put_forward=Mentor.objects.filter(
            programme=programme, status=MentorStatus.CANDIDATE
        ).count()
        if is_manager
        else 0,
    )
    return render(request, "mentors/selection.html", context)


def _selection_access(request: OrgRequest, mentor: Mentor) -> Any:
    """The member seat of the user, or None for a manager outside the commission; anyone
    else is refused."""
    me = services.commission_member(mentor.programme, request.user)
    if me is None and not request.org.can(Perm.SELECTION_MANAGE):
        raise PermissionDenied
    return me


def _score_table(mentor: Mentor) -> dict[str, Any]:
    """Every member's scores by criterion, the mean of each criterion and the mean total."""
    scores = list(mentor.scores.select_related("member__user").order_by("-member__is_chair", "pk"))

    def mean(values: list[int]) -> float | None:
        return round(sum(values) / len(values), 2) if values else None

    rows = []
    for field, label in SELECTION_CRITERIA:
        values = [getattr(score, field) for score in scores]
        rows.append({"label": label, "values": values, "mean": mean(values)})
    return {
        "scores": scores,
        "rows": rows,
        "mean_total": mean([score.total for score in scores]),
        "max_total": SCORE_MAX * len(CRITERIA_FIELDS),
    }


@org_view(Perm.SELECTION_SCORE)
def candidate(request: OrgRequest, mentor_pk: int) -> HttpResponse:
    """A candidate as the commission sees them. Until the decision a member sees only their
    own scores: the members score independently."""
    ctx = request.org
    mentor = mentor_for(ctx, mentor_pk)
    me = _selection_access(request, mentor)
    is_manager = ctx.can(Perm.SELECTION_MANAGE)
    decided = mentor.status in (
        MentorStatus.APPROVED,
        MentorStatus.REJECTED,
        MentorStatus.REGISTERED,
    )
    today = timezone.localdate()
    documents = list(MentorDocument.objects.filter(person=mentor.person_id).order_by("kind"))
    checks = document_checks(mentor, documents, today)
    context: dict[str, Any] = {
        "mentor": mentor,
        "programme": mentor.programme,
        "forms": mentor.forms.order_by("order", "name"),
        "interviews": mentor.interviews.all(),
        "checks": checks,
        "documents_state": overall_state(mentor, checks),
        "needs_documents": needs_documents(mentor),
        "me": me,
        "my_score": mentor.scores.filter(member=me).first() if me else None,
        "is_manager": is_manager,
        "decided": decided,
        "criteria_labels": [label for _field, label in SELECTION_CRITERIA],
        "min_scores": DECISION_MIN_SCORES,
    }
    context["show_scores"] = is_manager or decided
    if context["show_scores"]:
        context.update(_score_table(mentor))
    else:
        context["scores_count"] = mentor.scores.count()
    if is_manager and mentor.status == MentorStatus.SELECTION:
        context["decision_form"] = DecisionForm()
    if context["my_score"] is not None:
        context["my_values"] = list(
            zip(context["criteria_labels"], context["my_score"].values, strict=True)
        )
    return render(request, "mentors/candidate.html", context)


@org_view(Perm.SELECTION_SCORE)
def score(request: OrgRequest, mentor_pk: int) -> HttpResponse:
    """A member scores a candidate, or corrects their own score before the decision."""
    ctx = request.org
    mentor = mentor_for(ctx, mentor_pk)
    me = services.commission_member(mentor.programme, request.user)
    back = _url("candidate", request, mentor_pk=mentor.pk)
    if me is None:
        messages.error(request, services.MESSAGES["not_member"])
        return redirect(_page_url("selection", request, mentor.programme))
    existing = mentor.scores.filter(member=me).first()
    form = ScoreForm(
        request.POST or None, initial=ScoreForm.initial_for(existing) if existing else None
    )

    def write() -> Any:
        note = form.cleaned_data["note"]
        if existing is None:
            return services.score_record(mentor, request.user, form.scores(), note, by=request.user)
        return services.score_correct(existing, request.user, form.scores(), note, by=request.user)

    return submit(
        request,
        form,
        write,
        success=_("Your score is saved."),
        redirect_to=back,
        template="mentors/score.html",
        context={
            "mentor": mentor,
            "programme": mentor.programme,
            "back": back,
            "existing": existing,
        },
    )


@org_view(Perm.SELECTION_MANAGE)
@require_POST
def decision(request: OrgRequest, mentor_pk: int) -> HttpResponse:
    mentor = mentor_for(request.org, mentor_pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the decision of the commission."))
    else:
        approved = form.cleaned_data["decision"] == "approve"
        try:
            services.decision_record(mentor, approved, form.cleaned_data["note"], by=request.user)
        except ValidationError as error:
            _refuse(request, error)
        else:
            messages.success(
                request,
                (
                    by_gender(
                        mentor.person,
                        pgettext("masculine", "%(name)s is approved as a mentor."),
                        pgettext("feminine", "%(name)s is approved as a mentor."),
                    )
                    if approved
                    else by_gender(
                        mentor.person,
                        pgettext("masculine", "%(name)s is not approved."),
                        pgettext("feminine", "%(name)s is not approved."),
                    )
                )
                % {"name": mentor.person.full_name},
            )
    return redirect(_url("candidate", request, mentor_pk=mentor.pk))


@org_view(Perm.SELECTION_MANAGE)
def interview_add(request: OrgRequest, mentor_pk: int) -> HttpResponse:
    mentor = mentor_for(request.org, mentor_pk)
    form = InterviewForm(request.POST or None, initial={"held_on": timezone.localdate()})
    return submit(
        request,
        form,
        lambda: services.interview_add(mentor, form.cleaned_data, by=request.user),
        success=_("The interview is recorded."),
        redirect_to=_url("candidate", request, mentor_pk=mentor.pk),
        template="mentors/form_page.html",
        context={
            "programme": mentor.programme,
            "title": _("Interview with %(name)s") % {"name": mentor.person.full_name},
            "back": _url("candidate", request, mentor_pk=mentor.pk),
        },
    )


@org_view(Perm.SELECTION_MANAGE)
def commission(request: OrgRequest, programme_pk: int) -> HttpResponse:
    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    current = list(programme.commission.select_related("user"))
    chair = next((m.user_id for m in current if m.is_chair), None)
    form = CommissionForm(
        request.POST or None,
        organisation=ctx.organisation,
        initial={"members": [m.user_id for m in current], "chair": chair},
    )
    return submit(
        request,
        form,
        lambda: services.commission_set(
            programme,
            form.cleaned_data["members"],
            chair=form.cleaned_data["chair"],
            by=request.user,
        ),
        success=_("The commission is saved."),
        redirect_to=_page_url("selection", request, programme),
        template="mentors/form_page.html",
        context={
            "programme": programme,
            "title": _("Selection commission"),
            "intro": _(
                "The commission of 3 to 5 members is headed by the director, and the curator is "
                "in it (regulation, §2.13). Members score every candidate put forward, each on "
                "their own."
            ),
            "back": _page_url("selection", request, programme),
        },
    )


# --- The registry ---------------------------------------------------------------------------------


def _registry_mentors(programme: Programme) -> Any:
    return Mentor.objects.filter(
        programme=programme, status__in=(MentorStatus.REGISTERED, MentorStatus.APPROVED)
    ).exclude(hidden_q(ref="person"))


@org_view(Perm.MENTORS_VIEW)
@_with_programme
def registry(request: OrgRequest, programme: Programme) -> HttpResponse:
    ctx = request.org
    rows = registry_rows(_registry_mentors(programme).select_related("registry_order"), page=True)
    orders = services.registry_orders(programme).order_by("-date", "-pk")
    today = timezone.localdate()
    return render(
        request,
        "mentors/registry.html",
        {
            "programme": programme,
            "programmes": programmes_of(ctx),
            "registered": [r for r in rows if r["mentor"].status == MentorStatus.REGISTERED],
            "awaiting": [r for r in rows if r["mentor"].status == MentorStatus.APPROVED],
            "ready": services.awaiting_registry(programme, today).count(),
            "pending": orders.filter(status=OrderStatus.DRAFT).first(),
            "signed_orders": list(orders.filter(status=OrderStatus.SIGNED)),
            "can_order": ctx.can(Perm.ORDER_EDIT) and not programme.is_finished,
            "can_see_orders": ctx.can(Perm.ORDERS_VIEW),
        },
    )


@org_view(Perm.MENTORS_VIEW)
@_with_programme
def registry_download(request: OrgRequest, programme: Programme) -> HttpResponseBase:
    name = f"Реестр наставников {programme.academic_year.label.replace('/', '-')}.xlsx"
    return download(registry_xlsx(_registry_mentors(programme)), name, XLSX_CONTENT_TYPE)


@org_view(Perm.ORDER_EDIT)
def registry_order(request: OrgRequest, programme_pk: int) -> HttpResponse:
    from nastavnik.orders.forms import OrderForm
    from nastavnik.orders.views import order_prepared

    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    today = timezone.localdate()
    form = OrderForm.for_new(ctx.organisation, today, request.POST or None)
    return submit(
        request,
        form,
        lambda: services.registry_order_create(programme, **form.details(), by=request.user),
        success=None,
        redirect_to=lambda order: order_prepared(request, order),
        template="mentors/registry_order.html",
        context=lambda: {
            "programme": programme,
            "rows": registry_rows(services.awaiting_registry(programme, today), page=True),
            "back": _page_url("registry", request, programme),
        },
    )


# --- The mentor school ----------------------------------------------------------------------------


@org_view(Perm.MENTORS_VIEW)
@_with_programme
def training(request: OrgRequest, programme: Programme) -> HttpResponse:
    ctx = request.org
    today = timezone.localdate()
    held = required_held(programme.pk, today)
    events = programme.training_events.annotate(attended=Count("attendances"))
    mentors = list(
        with_training(
            services.attendance_candidates(programme).exclude(hidden_q(ref="person")), today
        )
    )
    for mentor in mentors:
        mentor.training_done = training_completed(mentor, held, mentor.attended_required)  # type: ignore[attr-defined]
    return render(
        request,
        "mentors/training.html",
        {
            "programme": programme,
            "programmes": programmes_of(ctx),
            "events": events,
            "mentors": mentors,
            "held": held,
            "today": today,
            "completed": sum(1 for m in mentors if m.training_done),  # type: ignore[attr-defined]
            "can_manage": ctx.can(Perm.TRAINING_MANAGE) and not programme.is_finished,
        },
    )


@org_view(Perm.TRAINING_MANAGE)
def training_add(request: OrgRequest, programme_pk: int) -> HttpResponse:
    programme = programme_for(request.org, programme_pk)
    form = TrainingEventForm(
        request.POST if request.method == "POST" else None, request.FILES or None
    )
    return submit(
        request,
        form,
        lambda: services.training_event_create(programme, form.cleaned_data, by=request.user),
        success=_("The event is added to the mentor school."),
        redirect_to=_page_url("training", request, programme),
        template="mentors/form_page.html",
        context={
            "programme": programme,
            "title": _("Add a mentor school event"),
            "back": _page_url("training", request, programme),
            "multipart": True,
        },
    )


@org_view(Perm.TRAINING_MANAGE)
@require_POST
def training_plan(request: OrgRequest, programme_pk: int) -> HttpResponse:
    programme = programme_for(request.org, programme_pk)
    try:
        made = services.training_plan_fill(programme, by=request.user)
    except ValidationError as error:
        _refuse(request, error)
    else:
        if made:
            messages.success(
                request,
                _("Events of the mentor school plan added: %(count)s.") % {"count": len(made)},
            )
        else:
            messages.info(request, _("Every event of the plan is already there."))
    return redirect(_page_url("training", request, programme))


@org_view(Perm.TRAINING_MANAGE)
def training_edit(request: OrgRequest, training_event_pk: int) -> HttpResponse:
    event = training_event_for(request.org, training_event_pk)
    programme = event.programme
    form = TrainingEventForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        initial={
            "held_on": event.held_on,
            "topic": event.topic,
            "trainer": event.trainer,
            "description": event.description,
            "required": event.required,
        },
    )
    return submit(
        request,
        form,
        lambda: services.training_event_update(event, form.cleaned_data, by=request.user),
        success=_("Changes are saved."),
        redirect_to=_page_url("training", request, programme),
        template="mentors/form_page.html",
        context={
            "programme": programme,
            "title": event.topic,
            "back": _page_url("training", request, programme),
            "multipart": True,
            "delete_url": _url("training_delete", request, training_event_pk=event.pk),
        },
    )


@org_view(Perm.TRAINING_MANAGE)
@require_POST
def training_delete(request: OrgRequest, training_event_pk: int) -> HttpResponse:
    event = training_event_for(request.org, training_event_pk)
    return perform(
        request,
        lambda: services.training_event_delete(event, by=request.user),
        success=_("The event is deleted."),
        redirect_to=_page_url("training", request, event.programme),
    )


@org_view(Perm.TRAINING_MANAGE)
def attendance(request: OrgRequest, training_event_pk: int) -> HttpResponse:
    event = training_event_for(request.org, training_event_pk)
    programme = event.programme
    candidates = services.attendance_candidates(programme).exclude(hidden_q(ref="person"))
    present = list(event.attendances.values_list("mentor_id", flat=True))
    form = AttendanceForm(request.POST or None, candidates=candidates, initial={"mentors": present})
    return submit(
        request,
        form,
        lambda: services.attendance_set(event, form.cleaned_data["mentors"], by=request.user),
        success=_("Attendance is saved."),
        redirect_to=_page_url("training", request, programme),
        template="mentors/attendance.html",
        context={
            "event": event,
            "programme": programme,
            "back": _page_url("training", request, programme),
        },
    )


@org_view(Perm.MENTORS_VIEW)
def training_materials(request: OrgRequest, training_event_pk: int) -> HttpResponseBase:
    event = training_event_for(request.org, training_event_pk)
    return stored_file(event.materials, event.topic[:60])


@org_view(Perm.TRAINING_MANAGE)
def training_mark(request: OrgRequest, mentor_pk: int) -> HttpResponse:
    mentor = mentor_for(request.org, mentor_pk)
    form = TrainingMarkForm(
        request.POST or None,
        initial={"completed": mentor.training_marked_on is not None, "note": mentor.training_note},
    )
    return submit(
        request,
        form,
        lambda: services.training_mark(
            mentor, form.cleaned_data["completed"], form.cleaned_data["note"], by=request.user
        ),
        success=_("Changes are saved."),
        redirect_to=_card(request, mentor),
        template="mentors/form_page.html",
        context={
            "programme": mentor.programme,
            "title": _("Mentor school of %(name)s") % {"name": mentor.person.full_name},
            "intro": _(
                "A mentor completes the mentor school by attending every required event held "
                "so far; mark it here when the mentor was trained otherwise."
            ),
            "back": _url("detail", request, mentor_pk=mentor.pk),
        },
    )


# --- Portfolios -----------------------------------------------------------------------------------


def _portfolio_page(
    request: OrgRequest, person: Person, *, here: str, title: str, back: str
) -> HttpResponse:
    """A person's portfolio: the items, a form to add or edit one, publishing. The item an
    action concerns comes as ``item`` and is looked up in this person's portfolio only."""
    ctx = request.org
    chosen = request.POST.get("item") or request.GET.get("item")
    item = portfolio_item_for(ctx, _int(chosen), person) if chosen else None
    action = request.POST.get("action") if request.method == "POST" else None
    initial = (
        {"kind": item.kind, "title": item.title, "text": item.text, "dated": item.dated}
        if item
        else None
    )
    form = PortfolioItemForm(
        request.POST if action == "save" else None,
        request.FILES if action == "save" else None,
        initial=initial,
    )
    if action == "save":
        # An invalid item is shown again with its errors, below the portfolio.
        if form.is_valid():
            data = form.cleaned_data
            saved = _attempt(
                form,
                lambda: (
                    services.portfolio_item_update(item, data, by=request.user)
                    if item
                    else services.portfolio_item_create(person, data, by=request.user)
                ),
            )
            if saved is not None:
                messages.success(request, _("The portfolio item is saved."))
                return redirect(here)
    elif action in ("publish", "unpublish", "delete"):
        if item is None:
            raise Http404
        try:
            if action == "delete":
                services.portfolio_item_delete(item, by=request.user)
                messages.success(request, _("The portfolio item is deleted."))
            else:
                services.portfolio_publish(item, action == "publish", by=request.user)
                messages.success(
                    request,
                    _("The item is published on the site.")
                    if action == "publish"
                    else _("The item is taken off the site."),
                )
        except ValidationError as error:
            _refuse(request, error)
        return redirect(here)
    elif action is not None:
        raise Http404
    items = list(portfolio_of(ctx, person).order_by("-dated", "-pk"))
    public = set(
        PortfolioItem.objects.filter(pk__in=[i.pk for i in items])
        .public()
        .values_list("pk", flat=True)
    )
    for entry in items:
        entry.is_public = entry.pk in public  # type: ignore[attr-defined]
    return render(
        request,
        "mentors/portfolio.html",
        {
            "person": person,
            "items": items,
            "form": form,
            "editing": item,
            "here": here,
            "title": title,
            "back": back,
            "may_publish": may_use(person, Purpose.PUBLICATION, timezone.localdate()),
        },
    )


@org_view(Perm.PORTFOLIO_OWN)
def my_portfolio(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    person = own_person(ctx, request)
    if person is None:
        return render(request, "mentors/portfolio_none.html", {})
    return _portfolio_page(
        request,
        person,
        here=_url("my_portfolio", request),
        title=_("My portfolio"),
        back=reverse("orgs:dashboard", kwargs={"org_slug": ctx.organisation.slug}),
    )


@org_view(Perm.MENTORS_EDIT)
def mentor_portfolio(request: OrgRequest, mentor_pk: int) -> HttpResponse:
    mentor = mentor_for(request.org, mentor_pk)
    return _portfolio_page(
        request,
        mentor.person,
        here=_url("portfolio", request, mentor_pk=mentor.pk),
        title=_("Portfolio of %(name)s") % {"name": mentor.person.full_name},
        back=_url("detail", request, mentor_pk=mentor.pk),
    )


# Every member opens this door; inside, a mentor reaches only their own files and the curator's
# side (MENTORS_VIEW) any, so the one URL serves the cabinet and the base alike.
@org_view(Perm.DASHBOARD)
def portfolio_file(request: OrgRequest, portfolio_item_pk: int) -> HttpResponseBase:
    ctx = request.org
    if ctx.can(Perm.MENTORS_VIEW):
        item = portfolio_item_for(ctx, portfolio_item_pk)
    elif ctx.can(Perm.PORTFOLIO_OWN) and (person := own_person(ctx, request)) is not None:
        item = portfolio_item_for(ctx, portfolio_item_pk, person)
    else:
        raise Http404
    return stored_file(item.file, item.title[:60])
