"""The mentee base of a programme (stage 2): the list, adding a candidate, the card, the edit,
accepting into the base, leaving, and third-party input."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from nastavnik.assessments.models import Measure, Parameter, Phase, improved, worsened
from nastavnik.audit.models import AuditEntry, AuditObject
from nastavnik.catalogue.profile import SLOT_CHOICES
from nastavnik.consents.models import Purpose
from nastavnik.consents.rules import consent_flags, consent_status, hidden_q, valid_exists
from nastavnik.core.access import OrgContext, OrgRequest, org_view
from nastavnik.core.grammar import by_gender
from nastavnik.core.outcomes import perform, submit
from nastavnik.documents.spreadsheet import XLSX_CONTENT_TYPE
from nastavnik.mentees import services
from nastavnik.mentees.access import mentee_for, visible_mentees
from nastavnik.mentees.exports import mentees_xlsx
from nastavnik.mentees.filters import MenteeFilter
from nastavnik.mentees.forms import InputForm, LeaveForm, MenteeAddForm, MenteeForm
from nastavnik.mentees.models import Mentee, MenteeQuerySet, MenteeStatus
from nastavnik.mentees.rules import eligibility
from nastavnik.orgs.policy import Perm
from nastavnik.people.access import people_of
from nastavnik.people.models import Person, PersonKind
from nastavnik.people.visibility import shown_for
from nastavnik.programmes.access import current_programme, programme_for, programmes_of
from nastavnik.programmes.models import Programme
from nastavnik.programmes.views import programme_page

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 50
CANDIDATES = 20
_SLOT_LABELS = dict(SLOT_CHOICES)


def _to_card(ctx: OrgContext, mentee: Mentee) -> HttpResponse:
    return redirect("mentees:detail", org_slug=ctx.organisation.slug, mentee_pk=mentee.pk)


# --- The list ------------------------------------------------------------------------------


@org_view(Perm.MENTEES_VIEW)
def current(request: OrgRequest) -> HttpResponse:
    """The base of the academic year running today."""
    programme = current_programme(request.org, timezone.localdate())
    return programme_page(request, programme, "mentees:programme")


def _list_queryset(ctx: OrgContext, programme: Programme) -> MenteeQuerySet:
    return (
        visible_mentees(ctx, programme)
        .select_related("person", "form", "role_model")
        .annotate(
            consent_processing=valid_exists(Purpose.PROCESSING, ref="person"),
            consent_participation=valid_exists(Purpose.PARTICIPATION, ref="person"),
        )
        .order_by("person__name_key", "pk")
    )


def _status_counts(ctx: OrgContext, programme: Programme) -> list[tuple[str, StrOrPromise, int]]:
    counts = visible_mentees(ctx, programme).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in MenteeStatus.values}
    )
    return [(status, label, counts[status]) for status, label in MenteeStatus.choices]


@org_view(Perm.MENTEES_VIEW)
def base(request: OrgRequest, programme_pk: int) -> HttpResponse:
    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    filterset = MenteeFilter(
        request.GET or None, queryset=_list_queryset(ctx, programme), programme=programme
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "programme": programme,
        "programmes": programmes_of(ctx).order_by("-academic_year__start_year"),
        "filter": filterset,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "status_counts": _status_counts(ctx, programme),
        "can_edit": ctx.can(Perm.MENTEES_EDIT) and not programme.is_finished,
        "can_export": ctx.can(Perm.PEOPLE_EXPORT),
    }
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request
    response = render(request, "mentees/_results.html" if partial else "mentees/list.html", context)
    # The same address answers a whole page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@org_view(Perm.PEOPLE_EXPORT)
def export(request: OrgRequest, programme_pk: int) -> HttpResponse:
    """The list with the same filters, as an XLSX workbook."""
    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    filterset = MenteeFilter(
        request.GET or None, queryset=_list_queryset(ctx, programme), programme=programme
    )
    response = HttpResponse(mentees_xlsx(filterset.qs), content_type=XLSX_CONTENT_TYPE)
    stamp = timezone.localdate().isoformat()
    name = f"mentees-{programme.academic_year.start_year}-{stamp}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # Personal data of minors: no copy in any cache on the way.
    response["Cache-Control"] = "no-store"
    return response


# --- Adding a candidate ----------------------------------------------------------------------


def _candidates(ctx: OrgContext, programme: Programme, query: str) -> list[Person]:
    """Students and staff matching the search, each with what decides whether they can join."""
    if not query.strip():
        return []
    people = list(
        people_of(ctx)
        .exclude(hidden_q())
        .filter(kind__in=(PersonKind.STUDENT, PersonKind.STAFF))
        .search(query)
        .annotate(**consent_flags())
        .annotate(in_base=Exists(Mentee.objects.filter(programme=programme, person=OuterRef("pk"))))
        .order_by("name_key", "pk")[:CANDIDATES]
    )
    today = timezone.localdate()
    for person in people:
        person.eligibility = eligibility(person, today)  # type: ignore[attr-defined]
    return people


@org_view(Perm.MENTEES_EDIT)
def add(request: OrgRequest, programme_pk: int) -> HttpResponse:
    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    query = request.GET.get("q", "")
    form = MenteeAddForm(request.POST or None, programme=programme)
    chosen: Person | None = None
    if request.method == "POST" and form.is_valid():
        pk = form.cleaned_data["person"]
        chosen = people_of(ctx).filter(pk=pk).first() if pk else None
        if chosen is None:
            form.add_error(None, _("Choose a person from the search results."))
        else:
            data = {k: v for k, v in form.cleaned_data.items() if k != "person"}
            try:
                mentee = services.mentee_add(programme, chosen, data, by=request.user)
            except ValidationError as error:
                form.add_rule_errors(error)
            else:
                messages.success(
                    request,
                    by_gender(
                        mentee.person,
                        pgettext(
                            "masculine", "%(name)s is added to the mentee base as a candidate."
                        ),
                        pgettext(
                            "feminine", "%(name)s is added to the mentee base as a candidate."
                        ),
                    )
                    % {"name": mentee.person.full_name},
                )
                return _to_card(ctx, mentee)
    candidates = _candidates(ctx, programme, query)
    if chosen is not None and chosen.pk not in {c.pk for c in candidates}:
        # Keep the person picked before an error in the list, so the choice is not lost.
        chosen.eligibility = eligibility(chosen, timezone.localdate())  # type: ignore[attr-defined]
    return render(
        request,
        "mentees/add.html",
        {
            "programme": programme,
            "form": form,
            "query": query,
            "candidates": candidates,
            "chosen": chosen,
            "chosen_pk": str(form["person"].value() or ""),
            "can_consents": ctx.can(Perm.CONSENTS_VIEW),
        },
    )


# --- The card ------------------------------------------------------------------------------


def _status_history(mentee: Mentee) -> list[dict[str, Any]]:
    """The status changes, from the audit log of the entry (one query)."""
    labels = dict(MenteeStatus.choices)
    entries = AuditEntry.objects.filter(
        organisation_id=mentee.organisation_id,
        object_type=AuditObject.MENTEE,
        object_id=mentee.pk,
    ).order_by("at", "pk")
    history = []
    for entry in entries:
        change = entry.changes.get("status")
        if not change:
            continue
        old, new = change
        history.append(
            {
                "at": entry.at,
                "by": entry.actor_label,
                "old": labels.get(old, ""),
                "new": labels.get(new, new),
                "reason": (entry.changes.get("left_reason") or [None, None])[1] or "",
            }
        )
    return history


def _measure_rows(mentee: Mentee) -> list[dict[str, Any]]:
    measures = Measure.objects.filter(programme=mentee.programme, person=mentee.person)
    found = {(m.parameter_id, m.phase): m for m in measures}
    rows = []
    for parameter in Parameter.objects.available_to(mentee.organisation_id):
        entry, exit_ = found.get((parameter.pk, Phase.ENTRY)), found.get((parameter.pk, Phase.EXIT))
        if entry is None and exit_ is None:
            continue
        rows.append(
            {
                "parameter": parameter,
                "entry": parameter.show(entry.value) if entry else "",
                "exit": parameter.show(exit_.value) if exit_ else "",
                "entry_on": entry.measured_on if entry else None,
                "change": _change(parameter, entry, exit_),
            }
        )
    return rows


def _change(parameter: Parameter, entry: Measure | None, exit_: Measure | None) -> dict[str, Any]:
    if entry is None or exit_ is None:
        return {}
    delta = exit_.value - entry.value
    sign = "+" if delta > 0 else ""
    return {
        "text": f"{sign}{parameter.show(delta)}",
        "better": improved(delta, parameter.higher_is_better),
        "worse": worsened(delta, parameter.higher_is_better),
    }


def _preferred(mentee: Mentee) -> list[Person]:
    pks = [pk for pk in mentee.preferences if isinstance(pk, int)]
    found = {
        p.pk: p
        for p in Person.objects.filter(organisation_id=mentee.organisation_id, pk__in=pks).exclude(
            hidden_q()
        )
    }
    return [found[pk] for pk in pks if pk in found]


def _hidden_card(request: HttpRequest, ctx: OrgContext, mentee: Mentee) -> HttpResponse:
    """After a withdrawal the card shows no data; the consent register still leads to it."""
    return render(
        request,
        "consents/person_hidden.html",
        {"person_pk": mentee.person_id, "can_consents": ctx.can(Perm.CONSENTS_VIEW)},
    )


@org_view(Perm.MENTEES_VIEW)
def detail(request: OrgRequest, mentee_pk: int) -> HttpResponse:
    ctx = request.org
    mentee = mentee_for(ctx, mentee_pk)
    consents = consent_status(mentee.person)
    if consents.hidden:
        return _hidden_card(request, ctx, mentee)
    today = timezone.localdate()
    editable = not mentee.programme.is_finished
    return render(
        request,
        "mentees/detail.html",
        {
            "mentee": mentee,
            "person": mentee.person,
            "shown": shown_for(ctx.roles, mentee.person.kind),
            "programme": mentee.programme,
            "age": mentee.person.age_on(today),
            "eligibility": eligibility(
                mentee.person, today, asked_for_mentor=mentee.asked_for_mentor
            ),
            "consents": consents,
            "slots": [_SLOT_LABELS.get(s, s) for s in mentee.availability],
            "preferred": _preferred(mentee),
            "history": _status_history(mentee),
            "inputs": mentee.inputs.all(),
            "input_form": InputForm(),
            "measures": _measure_rows(mentee),
            "can_edit": ctx.can(Perm.MENTEES_EDIT) and editable and mentee.is_open,
            "can_status": ctx.can(Perm.MENTEES_EDIT) and editable,
            "can_input": ctx.can(Perm.MENTEE_INPUT) and editable,
            "can_assess": ctx.can(Perm.ASSESSMENT_EDIT) and editable,
            "can_consents": ctx.can(Perm.CONSENTS_VIEW),
            "can_manage_consents": ctx.can(Perm.CONSENTS_MANAGE),
            "can_people": ctx.can(Perm.PEOPLE_VIEW),
            "statuses": MenteeStatus,
        },
    )


@org_view(Perm.MENTEES_EDIT)
def edit(request: OrgRequest, mentee_pk: int) -> HttpResponse:
    ctx = request.org
    mentee = mentee_for(ctx, mentee_pk)
    if consent_status(mentee.person).hidden:
        return _hidden_card(request, ctx, mentee)
    form = MenteeForm(
        request.POST or None,
        mentee=mentee,
        form_choice=request.GET.get("form"),
        refresh_url=request.path,
    )
    return submit(
        request,
        form,
        lambda: services.mentee_update(mentee, form.cleaned_data, by=request.user),
        success=_("Changes are saved."),
        redirect_to=_to_card(ctx, mentee),
        template="mentees/form.html",
        context={"mentee": mentee},
    )


@org_view(Perm.MENTEES_EDIT)
@require_POST
def accept(request: OrgRequest, mentee_pk: int) -> HttpResponse:
    ctx = request.org
    mentee = mentee_for(ctx, mentee_pk)
    return perform(
        request,
        lambda: services.mentee_accept(mentee, by=request.user),
        success=by_gender(
            mentee.person,
            pgettext("masculine", "%(name)s is in the mentee base."),
            pgettext("feminine", "%(name)s is in the mentee base."),
        )
        % {"name": mentee.person.full_name},
        redirect_to=_to_card(ctx, mentee),
    )


@org_view(Perm.MENTEES_EDIT)
@require_POST
def restore(request: OrgRequest, mentee_pk: int) -> HttpResponse:
    """Someone who left comes back as a candidate, checked again."""
    ctx = request.org
    mentee = mentee_for(ctx, mentee_pk)
    return perform(
        request,
        lambda: services.mentee_set_status(mentee, MenteeStatus.CANDIDATE, by=request.user),
        success=_("%(name)s is a candidate again.") % {"name": mentee.person.full_name},
        redirect_to=_to_card(ctx, mentee),
    )


@org_view(Perm.MENTEES_EDIT)
def leave(request: OrgRequest, mentee_pk: int) -> HttpResponse:
    ctx = request.org
    mentee = mentee_for(ctx, mentee_pk)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentee_leave(mentee, form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "left_reason" in error.error_dict:
                form.add_error("reason", error.error_dict["left_reason"])
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request,
                by_gender(
                    mentee.person,
                    pgettext("masculine", "%(name)s has left the programme."),
                    pgettext("feminine", "%(name)s has left the programme."),
                )
                % {"name": mentee.person.full_name},
            )
            return _to_card(ctx, mentee)
    return render(request, "mentees/leave.html", {"form": form, "mentee": mentee})


@org_view(Perm.MENTEE_INPUT)
def input_add(request: OrgRequest, mentee_pk: int) -> HttpResponse:
    ctx = request.org
    mentee = mentee_for(ctx, mentee_pk)
    if consent_status(mentee.person).hidden:
        return _hidden_card(request, ctx, mentee)
    form = InputForm(request.POST or None)
    return submit(
        request,
        form,
        lambda: services.input_add(mentee, form.cleaned_data, by=request.user),
        success=_("The information is added to the card."),
        redirect_to=_to_card(ctx, mentee),
        template="mentees/input.html",
        context={"mentee": mentee},
    )
