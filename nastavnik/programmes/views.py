"""The programme of the year: its pages, its roadmap, its documents."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nastavnik.catalogue.models import RoleModel
from nastavnik.core.access import OrgRequest, org_view
from nastavnik.core.outcomes import attempt, download, perform, stored_file, submit
from nastavnik.documents.spreadsheet import XLSX_CONTENT_TYPE
from nastavnik.orders.models import OrderStatus
from nastavnik.orgs.models import AcademicYear
from nastavnik.orgs.policy import Perm
from nastavnik.programmes import defaults, english, services
from nastavnik.programmes.access import (
    current_programme,
    event_for,
    partner_for,
    programme_for,
    programme_form_for,
    programmes_of,
    team_member_for,
)
from nastavnik.programmes.documents import render_programme, render_roadmap
from nastavnik.programmes.exports import roadmap_xlsx
from nastavnik.programmes.forms import (
    EventDoneForm,
    EventForm,
    EventMoveForm,
    FormAddForm,
    PartnerForm,
    PlanFormSet,
    ProgrammeCreateForm,
    ProgrammeEditForm,
    ProgrammeFormForm,
    TeamMemberForm,
)
from nastavnik.programmes.fulfilment import roadmap_refresh
from nastavnik.programmes.models import Programme, ProgrammeForm, RoadmapEvent, Stage
from nastavnik.programmes.stages import stage_views
from nastavnik.programmes.timeline import build_timeline

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _url(name: str, programme: Programme, **kwargs: Any) -> str:
    return reverse(
        f"programmes:{name}",
        kwargs={"org_slug": programme.organisation.slug, "programme_pk": programme.pk, **kwargs},
    )


def _to(name: str, programme: Programme, anchor: str = "") -> HttpResponse:
    return redirect(_url(name, programme) + (f"#{anchor}" if anchor else ""))


def _year_file(
    request: OrgRequest,
    programme_pk: int,
    title: str,
    make: Callable[[Programme], bytes],
    extension: str,
    content_type: str,
) -> HttpResponseBase:
    """A document of the programme year, named by its title and the year."""
    programme = programme_for(request.org, programme_pk)
    name = f"{title} {programme.academic_year.label.replace('/', '-')}.{extension}"
    return download(make(programme), name, content_type)


def _safe(text: str) -> str:
    return re.sub(r"[\\/:*?\"<>|]+", "-", text)


# --- Programmes -------------------------------------------------------------------------------


@org_view(Perm.PROGRAMME_VIEW)
def programme_list(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    programmes = (
        programmes_of(ctx)
        .select_related("approval_order", "curator")
        .annotate(
            forms_count=Count("chosen_forms", distinct=True),
            events_count=Count("events", distinct=True),
            done_count=Count("events", filter=Q(events__done_on__isnull=False), distinct=True),
        )
        .order_by("-academic_year__start_year")
    )
    return render(
        request,
        "programmes/list.html",
        {"programmes": programmes, "can_edit": ctx.can(Perm.PROGRAMME_EDIT)},
    )


def no_programme(request: OrgRequest) -> HttpResponse:
    """A page of the year asked for with no year set up yet: to the list of programmes,
    which offers to create one."""
    messages.info(request, _("There is no programme for this academic year yet."))
    return redirect("programmes:list", org_slug=request.org.organisation.slug)


def programme_page(request: OrgRequest, programme: Programme | None, name: str) -> HttpResponse:
    """To the page `name` of a programme year, or `no_programme`: the stage apps' «current
    year» links."""
    if programme is None:
        return no_programme(request)
    return redirect(name, org_slug=request.org.organisation.slug, programme_pk=programme.pk)


def _current_or_list(request: OrgRequest, then: str) -> HttpResponse:
    programme = current_programme(request.org, timezone.localdate())
    return programme_page(request, programme, f"programmes:{then}")


@org_view(Perm.PROGRAMME_VIEW)
def current(request: OrgRequest) -> HttpResponse:
    return _current_or_list(request, "detail")


@org_view(Perm.PROGRAMME_VIEW)
def current_roadmap(request: OrgRequest) -> HttpResponse:
    return _current_or_list(request, "roadmap")


@org_view(Perm.PROGRAMME_VIEW)
def current_stages(request: OrgRequest) -> HttpResponse:
    return _current_or_list(request, "stages")


@org_view(Perm.PROGRAMME_EDIT)
def programme_create(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    this_year = AcademicYear.start_year_for(timezone.localdate())
    taken = set(programmes_of(ctx).values_list("academic_year__start_year", flat=True))
    years = [y for y in (this_year, this_year + 1) if y not in taken]
    latest = programmes_of(ctx).order_by("-academic_year__start_year").first()
    form = ProgrammeCreateForm(
        request.POST or None,
        organisation=ctx.organisation,
        years=years,
        initial={"source": latest.pk if latest else None},
    )

    def create() -> Programme:
        year, source = form.cleaned_data["academic_year"], form.cleaned_data["source"]
        if source is not None:
            return services.programme_copy_from(source, year, by=request.user)
        return services.programme_create(
            ctx.organisation, year, by=request.user, goal=defaults.GOAL, tasks=defaults.TASKS
        )

    return submit(
        request,
        form,
        create,
        success=lambda _made: (
            _("The programme for %(year)s is created.")
            % {"year": form.cleaned_data["academic_year"].label}
        ),
        redirect_to=lambda made: _to("detail", made),
        template="programmes/create.html",
        context={"years": years},
    )


def _pending_approval(programme: Programme) -> Any:
    return services.approval_orders(programme).filter(status=OrderStatus.DRAFT).first()


@org_view(Perm.PROGRAMME_VIEW)
def programme_detail(request: OrgRequest, programme_pk: int) -> HttpResponse:
    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    chosen = programme.chosen_forms.select_related("form").prefetch_related(
        Prefetch(
            "role_models",
            queryset=RoleModel.objects.order_by("order", "name"),
            to_attr="chosen_role_models",
        ),
        "plan_items",
    )
    today = timezone.localdate()
    events = programme.events.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(done_on__isnull=False)),
        overdue=Count("pk", filter=Q(done_on__isnull=True, due_on__lt=today)),
    )
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "chosen_forms": chosen,
            "team": programme.team.select_related("person"),
            "partners_count": programme.partners.count(),
            "events": events,
            "pending_order": _pending_approval(programme) if ctx.can(Perm.ORDERS_VIEW) else None,
            "can_edit": ctx.can(Perm.PROGRAMME_EDIT) and not programme.is_finished,
            "can_edit_content": ctx.can(Perm.PROGRAMME_EDIT) and programme.is_draft,
            "can_order": ctx.can(Perm.ORDER_EDIT),
            "can_see_orders": ctx.can(Perm.ORDERS_VIEW),
        },
    )


@org_view(Perm.PROGRAMME_EDIT)
def programme_edit(request: OrgRequest, programme_pk: int) -> HttpResponse:
    programme = programme_for(request.org, programme_pk)
    form = ProgrammeEditForm(request.POST or None, instance=programme)
    return submit(
        request,
        form,
        lambda: services.programme_update(
            programme,
            by=request.user,
            **{
                name: form.cleaned_data[name]
                for name in form.fields
                if not form.fields[name].disabled
            },
        ),
        success=_("Changes are saved."),
        redirect_to=_to("detail", programme),
        template="programmes/form_page.html",
        context={
            "programme": programme,
            "title": _("Goal, tasks and curator"),
            "back": _url("detail", programme),
        },
    )


@org_view(Perm.PROGRAMME_EDIT)
@require_POST
def programme_finish(request: OrgRequest, programme_pk: int) -> HttpResponse:
    programme = programme_for(request.org, programme_pk)
    return perform(
        request,
        lambda: services.programme_finish(programme, by=request.user),
        success=_("The programme is finished."),
        redirect_to=_to("detail", programme),
    )


@org_view(Perm.PROGRAMME_VIEW)
def programme_docx(request: OrgRequest, programme_pk: int) -> HttpResponseBase:
    return _year_file(
        request, programme_pk, "Программа наставничества", render_programme, "docx", DOCX
    )


# --- Forms of the year ------------------------------------------------------------------------


@org_view(Perm.PROGRAMME_EDIT)
def programme_form_add(request: OrgRequest, programme_pk: int) -> HttpResponse:
    programme = programme_for(request.org, programme_pk)
    form = FormAddForm(request.POST or None, programme=programme)
    return submit(
        request,
        form,
        lambda: services.programme_form_add(programme, form.cleaned_data["form"], by=request.user),
        success=lambda chosen: (
            _("The form «%(form)s» is added. Choose its role models.") % {"form": chosen.form.name}
        ),
        redirect_to=lambda chosen: reverse(
            "programmes:form_edit",
            kwargs={"org_slug": programme.organisation.slug, "programme_form_pk": chosen.pk},
        ),
        template="programmes/form_page.html",
        context={
            "programme": programme,
            "title": _("Add a form of mentoring"),
            "back": _url("detail", programme) + "#forms",
            "submit": _("Add"),
        },
    )


@org_view(Perm.PROGRAMME_EDIT)
def programme_form_edit(request: OrgRequest, programme_form_pk: int) -> HttpResponse:
    chosen = programme_form_for(request.org, programme_form_pk)
    programme = chosen.programme
    form = ProgrammeFormForm(request.POST or None, chosen=chosen)
    return submit(
        request,
        form,
        lambda: services.programme_form_update(
            chosen,
            role_models=form.cleaned_data["role_models"],
            default_kind=form.cleaned_data["default_kind"],
            goal=form.cleaned_data["goal"],
            tasks=form.cleaned_data["tasks"],
            expected_results=form.cleaned_data["expected_results"],
            by=request.user,
        ),
        success=_("Changes are saved."),
        redirect_to=_to("detail", programme, f"form-{chosen.pk}"),
        template="programmes/programme_form.html",
        context={"chosen": chosen, "programme": programme},
    )


@org_view(Perm.PROGRAMME_EDIT)
@require_POST
def programme_form_remove(request: OrgRequest, programme_form_pk: int) -> HttpResponse:
    chosen = programme_form_for(request.org, programme_form_pk)
    return perform(
        request,
        lambda: services.programme_form_remove(chosen, by=request.user),
        success=_("The form «%(form)s» is removed from the programme.") % {"form": chosen},
        redirect_to=_to("detail", chosen.programme, "forms"),
    )


def _plan_initial(chosen: ProgrammeForm) -> list[dict[str, str]]:
    return [
        {"section": item.section, "text": item.text, "timing": item.timing}
        for item in chosen.plan_items.all()
    ]


@org_view(Perm.PROGRAMME_EDIT)
def plan_edit(request: OrgRequest, programme_form_pk: int) -> HttpResponse:
    chosen = programme_form_for(request.org, programme_form_pk)
    programme = chosen.programme
    formset = PlanFormSet(request.POST or None, initial=_plan_initial(chosen), prefix="plan")
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        items = [f.cleaned_data for f in formset.forms if f.cleaned_data]
        try:
            services.typical_plan_save(chosen, items, by=request.user)
        except ValidationError as error:
            errors = list(error.messages)
        else:
            messages.success(request, _("The typical plan is saved."))
            return _to("detail", programme, f"form-{chosen.pk}")
    return render(
        request,
        "programmes/plan.html",
        {"formset": formset, "chosen": chosen, "programme": programme, "errors": errors},
    )


# --- Team and partners ------------------------------------------------------------------------


@org_view(Perm.PROGRAMME_VIEW)
def team(request: OrgRequest, programme_pk: int) -> HttpResponse:
    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    can_edit = ctx.can(Perm.PROGRAMME_EDIT) and not programme.is_finished
    form = TeamMemberForm(request.POST or None, programme=programme) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            member = attempt(
                form,
                lambda: services.team_member_add(
                    programme,
                    form.cleaned_data["person"],
                    responsibility=form.cleaned_data["responsibility"],
                    by=request.user,
                ),
            )
            if member is not None:
                messages.success(
                    request, _("%(name)s joins the team.") % {"name": member.person.full_name}
                )
                return _to("team", programme)
    return render(
        request,
        "programmes/team.html",
        {
            "programme": programme,
            "members": programme.team.select_related("person"),
            "form": form,
            "can_edit": can_edit,
        },
    )


@org_view(Perm.PROGRAMME_EDIT)
@require_POST
def team_member_remove(request: OrgRequest, member_pk: int) -> HttpResponse:
    member = team_member_for(request.org, member_pk)
    return perform(
        request,
        lambda: services.team_member_remove(member, by=request.user),
        success=_("%(name)s leaves the team.") % {"name": member.person.full_name},
        redirect_to=_to("team", member.programme),
    )


@org_view(Perm.PROGRAMME_VIEW)
def partners(request: OrgRequest, programme_pk: int) -> HttpResponse:
    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    return render(
        request,
        "programmes/partners.html",
        {
            "programme": programme,
            "partners": programme.partners.all(),
            "can_edit": ctx.can(Perm.PROGRAMME_EDIT) and not programme.is_finished,
        },
    )


@org_view(Perm.PROGRAMME_EDIT)
def partner_create(request: OrgRequest, programme_pk: int) -> HttpResponse:
    programme = programme_for(request.org, programme_pk)
    form = PartnerForm(request.POST or None)
    return submit(
        request,
        form,
        lambda: services.partner_create(programme, form.cleaned_data, by=request.user),
        success=_("The partner is added."),
        redirect_to=_to("partners", programme),
        template="programmes/form_page.html",
        context={
            "programme": programme,
            "title": _("Add a social partner"),
            "back": _url("partners", programme),
        },
    )


@org_view(Perm.PROGRAMME_EDIT)
def partner_edit(request: OrgRequest, partner_pk: int) -> HttpResponse:
    partner = partner_for(request.org, partner_pk)
    programme = partner.programme
    # The title is read before the form writes the posted (maybe rejected) values into the row.
    title = partner.name
    form = PartnerForm(request.POST or None, instance=partner)
    return submit(
        request,
        form,
        lambda: services.partner_update(partner, form.cleaned_data, by=request.user),
        success=_("Changes are saved."),
        redirect_to=_to("partners", programme),
        template="programmes/form_page.html",
        context={
            "programme": programme,
            "title": title,
            "back": _url("partners", programme),
            "delete_url": reverse(
                "programmes:partner_delete",
                kwargs={"org_slug": programme.organisation.slug, "partner_pk": partner.pk},
            ),
        },
    )


@org_view(Perm.PROGRAMME_EDIT)
@require_POST
def partner_delete(request: OrgRequest, partner_pk: int) -> HttpResponse:
    partner = partner_for(request.org, partner_pk)
    return perform(
        request,
        lambda: services.partner_delete(partner, by=request.user),
        success=_("The partner is deleted."),
        redirect_to=_to("partners", partner.programme),
    )


# --- Roadmap ----------------------------------------------------------------------------------


ROADMAP_FILTERS = ("open", "overdue", "done")


@org_view(Perm.PROGRAMME_VIEW)
def roadmap(request: OrgRequest, programme_pk: int) -> HttpResponse:
    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    today = timezone.localdate()
    # What the data show done reads done here too, and what was undone reopens.
    roadmap_refresh(programme, today)
    show = request.GET.get("show", "")
    events = programme.events.select_related("responsible_person")
    if show == "open":
        events = events.filter(done_on__isnull=True)
    elif show == "overdue":
        events = events.filter(done_on__isnull=True, due_on__lt=today)
    elif show == "done":
        events = events.filter(done_on__isnull=False)
    else:
        show = ""
    return render(
        request,
        "programmes/roadmap.html",
        {
            "programme": programme,
            "events": events,
            "today": today,
            "show": show,
            "stages": dict(Stage.choices),
            "can_edit": ctx.can(Perm.PROGRAMME_EDIT) and not programme.is_finished,
            "has_events": show != "" or programme.events.exists(),
        },
    )


@org_view(Perm.PROGRAMME_EDIT)
@require_POST
def roadmap_generate(request: OrgRequest, programme_pk: int) -> HttpResponse:
    programme = programme_for(request.org, programme_pk)
    return perform(
        request,
        lambda: services.roadmap_generate(programme, by=request.user),
        success=lambda created: (
            _("The roadmap is generated: %(count)s events. Edit them to fit the year.")
            % {"count": len(created)}
        ),
        redirect_to=_to("roadmap", programme),
    )


@org_view(Perm.PROGRAMME_VIEW)
def roadmap_docx(request: OrgRequest, programme_pk: int) -> HttpResponseBase:
    return _year_file(request, programme_pk, "Дорожная карта", render_roadmap, "docx", DOCX)


@org_view(Perm.PROGRAMME_VIEW)
def roadmap_xlsx_view(request: OrgRequest, programme_pk: int) -> HttpResponseBase:
    return _year_file(
        request,
        programme_pk,
        "Дорожная карта",
        lambda programme: roadmap_xlsx(programme, timezone.localdate()),
        "xlsx",
        XLSX_CONTENT_TYPE,
    )


@org_view(Perm.PROGRAMME_VIEW)
def timeline(request: OrgRequest, programme_pk: int) -> HttpResponse:
    programme = programme_for(request.org, programme_pk)
    return render(
        request,
        "programmes/timeline.html",
        {"programme": programme, "timeline": build_timeline(programme, timezone.localdate())},
    )


@org_view(Perm.PROGRAMME_VIEW)
def stages(request: OrgRequest, programme_pk: int) -> HttpResponse:
    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    pending = _pending_approval(programme) if ctx.can(Perm.ORDERS_VIEW) else None
    roadmap_refresh(programme, timezone.localdate())
    views = stage_views(programme, timezone.localdate(), f"№ {pending.number}" if pending else "")
    return render(
        request,
        "programmes/stages.html",
        {
            "programme": programme,
            "stages": views,
            "current": next(view for view in views if view.is_current),
            "today": timezone.localdate(),
        },
    )


def _event_form_initial(event: RoadmapEvent) -> dict[str, Any]:
    return {
        "stage": event.stage,
        # In the reader's language; an English text left as shown is stored as the template's.
        "title": event.shown_title,
        "starts_on": event.starts_on,
        "due_on": event.due_on,
        "responsible_roles": event.responsible_roles,
        "responsible_person": event.responsible_person_id,
    }


@org_view(Perm.PROGRAMME_EDIT)
def event_create(request: OrgRequest, programme_pk: int) -> HttpResponse:
    programme = programme_for(request.org, programme_pk)
    initial = {"stage": request.GET.get("stage", "")}
    form = EventForm(request.POST or None, organisation=programme.organisation, initial=initial)
    return submit(
        request,
        form,
        lambda: services.event_create(programme, form.cleaned_data, by=request.user),
        success=_("The event is added to the roadmap."),
        redirect_to=lambda event: _to("roadmap", programme, f"event-{event.pk}"),
        template="programmes/event_form.html",
        context={"programme": programme, "title": _("Add an event")},
    )


@org_view(Perm.PROGRAMME_EDIT)
def event_edit(request: OrgRequest, event_pk: int) -> HttpResponse:
    event = event_for(request.org, event_pk)
    programme = event.programme
    form = EventForm(
        request.POST or None,
        organisation=programme.organisation,
        initial=_event_form_initial(event),
    )
    return submit(
        request,
        form,
        lambda: services.event_update(
            event,
            {**form.cleaned_data, "title": english.stored_title(event, form.cleaned_data["title"])},
            by=request.user,
        ),
        success=_("Changes are saved."),
        redirect_to=_to("roadmap", programme, f"event-{event.pk}"),
        template="programmes/event_form.html",
        context={
            "programme": programme,
            "event": event,
            "title": _("Edit the event"),
            "deletable": True,
        },
    )


@org_view(Perm.PROGRAMME_EDIT)
def event_move(request: OrgRequest, event_pk: int) -> HttpResponse:
    event = event_for(request.org, event_pk)
    programme = event.programme
    form = EventMoveForm(
        request.POST or None, initial={"starts_on": event.starts_on, "due_on": event.due_on}
    )
    return submit(
        request,
        form,
        lambda: services.event_move(
            event,
            starts_on=form.cleaned_data["starts_on"],
            due_on=form.cleaned_data["due_on"],
            by=request.user,
        ),
        success=_("The event is moved."),
        redirect_to=_to("roadmap", programme, f"event-{event.pk}"),
        template="programmes/event_form.html",
        context={"programme": programme, "event": event, "title": _("Move the event")},
    )


@org_view(Perm.PROGRAMME_EDIT)
def event_done(request: OrgRequest, event_pk: int) -> HttpResponse:
    event = event_for(request.org, event_pk)
    programme = event.programme
    form = EventDoneForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        initial={"done_on": event.done_on or timezone.localdate(), "note": event.done_note},
    )
    return submit(
        request,
        form,
        lambda: services.event_complete(
            event,
            done_on=form.cleaned_data["done_on"],
            note=form.cleaned_data["note"],
            file=form.cleaned_data["file"],
            by=request.user,
        ),
        success=_("The event is marked done."),
        redirect_to=_to("roadmap", programme, f"event-{event.pk}"),
        template="programmes/event_done.html",
        context={"programme": programme, "event": event},
    )


def _event_action(
    request: OrgRequest, event_pk: int, action: Callable[..., Any], done_message: str
) -> HttpResponse:
    event = event_for(request.org, event_pk)
    return perform(
        request,
        lambda: action(event, by=request.user),
        success=done_message,
        redirect_to=_to("roadmap", event.programme),
    )


@org_view(Perm.PROGRAMME_EDIT)
@require_POST
def event_reopen(request: OrgRequest, event_pk: int) -> HttpResponse:
    return _event_action(request, event_pk, services.event_reopen, _("The event is open again."))


@org_view(Perm.PROGRAMME_EDIT)
@require_POST
def event_delete(request: OrgRequest, event_pk: int) -> HttpResponse:
    return _event_action(
        request, event_pk, services.event_delete, _("The event is deleted from the roadmap.")
    )


@org_view(Perm.PROGRAMME_VIEW)
def event_file(request: OrgRequest, event_pk: int) -> HttpResponseBase:
    event = event_for(request.org, event_pk)
    return stored_file(event.done_file, _safe(event.title[:60]))


# --- Orders about the programme ---------------------------------------------------------------


def _order_page(
    request: OrgRequest,
    programme_pk: int,
    create: Callable[..., Any],
    title: str,
) -> HttpResponse:
    from nastavnik.orders.forms import OrderForm
    from nastavnik.orders.views import order_prepared

    ctx = request.org
    programme = programme_for(ctx, programme_pk)
    form = OrderForm.for_new(ctx.organisation, timezone.localdate(), request.POST or None)
    return submit(
        request,
        form,
        lambda: create(programme, **form.details(), by=request.user),
        success=None,
        redirect_to=lambda order: order_prepared(request, order),
        template="programmes/form_page.html",
        context={
            "programme": programme,
            "title": title,
            "back": _url("detail", programme),
            "submit": _("Prepare the order"),
        },
    )


@org_view(Perm.ORDER_EDIT)
def approval_order_create(request: OrgRequest, programme_pk: int) -> HttpResponse:
    return _order_page(
        request,
        programme_pk,
        services.programme_approval_order_create,
        _("Order approving the programme and the roadmap"),
    )


@org_view(Perm.ORDER_EDIT)
def curator_order_create(request: OrgRequest, programme_pk: int) -> HttpResponse:
    return _order_page(
        request,
        programme_pk,
        services.curator_order_create,
        _("Order appointing the curator"),
    )
