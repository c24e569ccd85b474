"""The entry and exit assessment of a programme: the table of participants and parameters, the
form recording one participant's measures of a phase, and the parameters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import mean

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from nastavnik.assessments import services
from nastavnik.assessments.access import (
    measure_for,
    measures_of,
    parameter_editable,
    parameters_of,
)
from nastavnik.assessments.forms import MeasuresForm, ParameterForm
from nastavnik.assessments.models import EntryAndExit, Measure, Parameter, Phase
from nastavnik.consents.rules import consent_status, hidden_q
from nastavnik.core.access import OrgContext, OrgRequest, org_view
from nastavnik.core.outcomes import Success, perform, submit
from nastavnik.core.text import fold
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.orgs.policy import Perm
from nastavnik.people.access import people_of, person_for
from nastavnik.people.models import Person, PersonQuerySet
from nastavnik.programmes.access import current_programme, programme_for, programmes_of
from nastavnik.programmes.models import Programme
from nastavnik.programmes.views import programme_page

PAGE_SIZE = 50


# --- The table -------------------------------------------------------------------------------


@org_view(Perm.MENTEES_VIEW)
def current(request: OrgRequest) -> HttpResponse:
    """The assessment of the academic year running today."""
    programme = current_programme(request.org, timezone.localdate())
    return programme_page(request, programme, "assessments:programme")


@dataclass
class Cell(EntryAndExit):
    parameter: Parameter
    entry: Decimal | None = None
    exit: Decimal | None = None

    @property
    def higher_is_better(self) -> bool:
        return self.parameter.higher_is_better

    @property
    def entry_text(self) -> str:
        return self.parameter.show(self.entry)

    @property
    def exit_text(self) -> str:
        return self.parameter.show(self.exit)

    @property
    def change_text(self) -> str:
        change = self.change
        if change is None:
            return ""
        return ("+" if change > 0 else "") + self.parameter.show(change)


@dataclass
class Summary:
    parameter: Parameter
    entries: int = 0
    both: int = 0
    changes: list[Decimal] = field(default_factory=list)

    @property
    def mean_change(self) -> str:
        if not self.changes:
            return ""
        value = Decimal(mean(self.changes)).quantize(Decimal("0.01"))
        return ("+" if value > 0 else "") + str(value)


def _participants(ctx: OrgContext, programme: Programme) -> PersonQuerySet:
    """The programme's mentees and anyone else measured in it (mentors, say), except those who
    left the programme and those whose data are hidden."""
    entries = Mentee.objects.filter(organisation=ctx.organisation, programme=programme)
    left = entries.filter(status=MenteeStatus.LEFT)
    measured = Measure.objects.filter(organisation=ctx.organisation, programme=programme)
    return (
        people_of(ctx)
        .filter(Q(pk__in=entries.values("person_id")) | Q(pk__in=measured.values("person_id")))
        .exclude(pk__in=left.values("person_id"))
        .exclude(hidden_q())
    )


@org_view(Perm.MENTEES_VIEW)
def table(request: OrgRequest, programme_pk: int) -> HttpResponse:
    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    parameters = list(parameters_of(ctx))
    chosen = next((p for p in parameters if p.code == request.GET.get("parameter")), None)
    shown = [chosen] if chosen else parameters
    query = request.GET.get("q", "")

    participants = _participants(ctx, programme)
    # The measures of every participant in one query: the cells of the page and the summary.
    values: dict[tuple[int, int, str], Decimal] = {}
    for person_id, parameter_id, phase, value in (
        measures_of(ctx)
        .filter(programme=programme, person__in=participants)
        .values_list("person_id", "parameter_id", "phase", "value")
    ):
        values[(person_id, parameter_id, phase)] = value
    summaries = []
    for parameter in shown:
        summary = Summary(parameter)
        for (person_id, parameter_id, phase), entry in values.items():
            if parameter_id != parameter.pk or phase != Phase.ENTRY:
                continue
            summary.entries += 1
            exit_value = values.get((person_id, parameter_id, Phase.EXIT))
            if exit_value is not None:
                summary.both += 1
                summary.changes.append(exit_value - entry)
        summaries.append(summary)

    people = participants
    for word in fold(query).split():
        people = people.filter(name_key__contains=word)
    page = Paginator(people.order_by("name_key", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    entries = {
        m.person_id: m
        for m in Mentee.objects.filter(
            programme=programme, person_id__in=[p.pk for p in page.object_list]
        ).select_related("form")
    }
    rows = [
        {
            "person": person,
            "mentee": entries.get(person.pk),
            "cells": [
                Cell(
                    parameter,
                    values.get((person.pk, parameter.pk, Phase.ENTRY)),
                    values.get((person.pk, parameter.pk, Phase.EXIT)),
                )
                for parameter in shown
            ],
        }
        for person in page.object_list
    ]
    return render(
        request,
        "assessments/table.html",
        {
            "programme": programme,
            "programmes": programmes_of(ctx).order_by("-academic_year__start_year"),
            "parameters": parameters,
            "chosen": chosen,
            "shown": shown,
            "summaries": summaries,
            "rows": rows,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
            "query": query,
            "can_record": ctx.can(Perm.ASSESSMENT_EDIT) and not programme.is_finished,
        },
    )


# --- Recording -------------------------------------------------------------------------------


def _phase(value: str | None) -> str:
    return value if value in Phase.values else Phase.ENTRY


def _record_url(ctx: OrgContext, programme: Programme, person: Person, phase: str) -> str:
    url = reverse(
        "assessments:record",
        kwargs={
            "org_slug": ctx.organisation.slug,
            "programme_pk": programme.pk,
            "person_pk": person.pk,
        },
    )
    return f"{url}?phase={phase}"


@org_view(Perm.ASSESSMENT_EDIT)
def record(request: OrgRequest, programme_pk: int, person_pk: int) -> HttpResponse:
    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    person = person_for(ctx, person_pk)
    if consent_status(person).hidden:
        return render(
            request,
            "consents/person_hidden.html",
            {"person_pk": person.pk, "can_consents": ctx.can(Perm.CONSENTS_VIEW)},
        )
    phase = _phase(request.POST.get("phase") or request.GET.get("phase"))
    measures = list(
        Measure.objects.filter(programme=programme, person=person).select_related("parameter")
    )
    recorded = [m for m in measures if m.phase == phase]
    done = {m.parameter_id for m in recorded}
    entries = {m.parameter_id: m for m in measures if m.phase == Phase.ENTRY}
    # An exit is compared with its entry: only parameters with an entry are offered for it.
    open_parameters = [
        p
        for p in parameters_of(ctx)
        if p.pk not in done and (phase == Phase.ENTRY or p.pk in entries)
    ]
    form = MeasuresForm(
        request.POST or None,
        parameters=open_parameters,
        entries=entries if phase == Phase.EXIT else {},
        initial={"measured_on": timezone.localdate()},
    )
    return submit(
        request,
        form,
        lambda: services.measures_record_many(
            programme,
            person,
            phase,
            form.values(),
            form.cleaned_data["measured_on"],
            by=request.user,
        ),
        success=lambda made: (
            ngettext(
                "%(count)s measure of %(name)s is recorded.",
                "%(count)s measures of %(name)s are recorded.",
                len(made),
            )
            % {"count": len(made), "name": person.full_name}
        ),
        redirect_to=_record_url(ctx, programme, person, phase),
        template="assessments/record.html",
        context=lambda: {
            "programme": programme,
            "person": person,
            "mentee": Mentee.objects.filter(programme=programme, person=person).first(),
            "phase": phase,
            "heading": _("Entry measures") if phase == Phase.ENTRY else _("Exit measures"),
            "no_entries": phase == Phase.EXIT and not entries,
            "phases": Phase.choices,
            "recorded": recorded,
            "can_delete": not programme.is_finished,
        },
    )


@org_view(Perm.ASSESSMENT_EDIT)
@require_POST
def measure_delete(request: OrgRequest, measure_pk: int) -> HttpResponse:
    ctx = request.org
    measure = measure_for(ctx, measure_pk)
    return perform(
        request,
        lambda: services.measure_delete(measure, by=request.user),
        success=_("The measure of «%(parameter)s» is removed.")
        % {"parameter": measure.parameter.name},
        redirect_to=_record_url(ctx, measure.programme, measure.person, measure.phase),
    )


# --- Parameters ------------------------------------------------------------------------------


@org_view(Perm.MENTEES_VIEW)
def parameters(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    return render(
        request,
        "assessments/parameters.html",
        {"parameters": parameters_of(ctx), "can_edit": ctx.can(Perm.CATALOGUE_EDIT)},
    )


def _parameter_page(
    request: OrgRequest,
    form: ParameterForm,
    write: Callable[[], Parameter],
    parameter: Parameter | None,
    success: Success[Parameter],
) -> HttpResponse:
    return submit(
        request,
        form,
        write,
        success=success,
        redirect_to=reverse(
            "assessments:parameters", kwargs={"org_slug": request.org.organisation.slug}
        ),
        template="assessments/parameter_form.html",
        context={"parameter": parameter},
    )


@org_view(Perm.CATALOGUE_EDIT)
def parameter_create(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    form = ParameterForm(request.POST or None)
    return _parameter_page(
        request,
        form,
        lambda: services.parameter_create(ctx.organisation, form.cleaned_data, by=request.user),
        None,
        lambda made: _("The parameter «%(name)s» is added.") % {"name": made.name},
    )


@org_view(Perm.CATALOGUE_EDIT)
def parameter_edit(request: OrgRequest, parameter_pk: int) -> HttpResponse:
    ctx = request.org
    parameter = parameter_editable(ctx, parameter_pk)
    initial = {f: getattr(parameter, f) for f in services.PARAMETER_FIELDS}
    form = ParameterForm(request.POST or None, initial=initial)
    return _parameter_page(
        request,
        form,
        lambda: services.parameter_update(parameter, form.cleaned_data, by=request.user),
        parameter,
        _("Changes are saved."),
    )
