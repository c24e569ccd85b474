"""The people registry of an organisation: list, card, create and edit, legal guardians."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nastavnik.consents.rules import consent_flags, consent_status, hidden_q
from nastavnik.core.access import OrgContext, OrgRequest, org_view
from nastavnik.core.ids import possible_id
from nastavnik.core.outcomes import submit
from nastavnik.core.text import fold
from nastavnik.orgs.policy import Perm
from nastavnik.people.access import guardian_link_for, people_of, person_for
from nastavnik.people.filters import PersonFilter
from nastavnik.people.forms import GuardianNewForm, GuardianPickForm, PersonForm
from nastavnik.people.models import GuardianLink, Person, PersonKind, PersonQuerySet
from nastavnik.people.services import (
    guardian_add_new,
    guardian_link_add,
    guardian_link_remove,
    person_create,
    person_update,
)
from nastavnik.people.visibility import shown_for, shown_for_any

PAGE_SIZE = 50
GUARDIAN_CANDIDATES = 20
# Headings and tabs of the list; the same words as the navigation.
KIND_PLURALS = {
    PersonKind.STUDENT: gettext_lazy("Students"),
    PersonKind.STAFF: gettext_lazy("Staff"),
    PersonKind.PARENT: gettext_lazy("Parents and guardians"),
    PersonKind.GRADUATE: gettext_lazy("Graduates"),
    PersonKind.EXTERNAL: gettext_lazy("External people"),
}


def _list_queryset(ctx: OrgContext, kind: str) -> PersonQuerySet:
    # The folded name sorts the same on every database and puts 'Ё' with 'Е'.
    # People whose consent was withdrawn leave the list (consents.rules); the consent flags
    # ride in the same query.
    queryset = (
        people_of(ctx)
        .exclude(hidden_q())
        .annotate(**consent_flags())
        .order_by("name_key", "birth_date", "pk")
    )
    # One query per page for the family column, whatever the number of rows: a student's
    # guardians, a parent's children.
    family: dict[str, tuple[str, str]] = {
        PersonKind.STUDENT: ("guardian_links", "guardian"),
        PersonKind.PARENT: ("children_links", "child"),
    }
    if kind in family:
        links, relative = family[kind]
        queryset = queryset.prefetch_related(
            Prefetch(
                links,
                queryset=GuardianLink.objects.select_related(relative)
                .exclude(hidden_q(ref=relative))
                .order_by(f"{relative}__name_key", "pk"),
            )
        )
    return queryset


@org_view(Perm.PEOPLE_VIEW)
def person_list(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    filterset = PersonFilter(request.GET or None, queryset=people_of(ctx))
    kind = filterset.kind_value
    filterset.queryset = _list_queryset(ctx, kind)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    # Each row shows what the policy lets the reader see of a person of that category; a column
    # nobody in the list may be seen in goes altogether.
    for person in page.object_list:
        person.shown = shown_for(ctx.roles, person.kind)
    context: dict[str, Any] = {
        "columns": shown_for_any(ctx.roles, [kind] if kind else PersonKind.values),
        "filter": filterset,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "kind": kind,
        "heading": KIND_PLURALS[PersonKind(kind)] if kind else _("People registry"),
        "kind_tabs": list(KIND_PLURALS.items()),
        "can_edit": ctx.can(Perm.PEOPLE_EDIT),
        "can_import": ctx.can(Perm.PEOPLE_IMPORT),
        "can_export": ctx.can(Perm.PEOPLE_EXPORT),
    }
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request
    template = "people/_results.html" if partial else "people/list.html"
    response = render(request, template, context)
    # The same address answers a whole page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@org_view(Perm.PEOPLE_VIEW)
def person_detail(request: OrgRequest, person_pk: int) -> HttpResponse:
    ctx = request.org
    person = person_for(ctx, person_pk)
    consents = consent_status(person)
    if consents.hidden:
        return _hidden_card(request, ctx, person)
    guardian_links = (
        person.guardian_links.select_related("guardian")
        .exclude(hidden_q(ref="guardian"))
        .order_by("guardian__name_key", "pk")
    )
    children_links = (
        person.children_links.select_related("child")
        .exclude(hidden_q(ref="child"))
        .order_by("child__name_key", "pk")
    )
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "shown": shown_for(ctx.roles, person.kind),
            # A guardian's phone beside the child's name follows the rule for parents.
            "guardian_shown": shown_for(ctx.roles, PersonKind.PARENT),
            # org_view has activated the organisation's time zone.
            "age": person.age_on(timezone.localdate()),
            "guardian_links": guardian_links,
            "children_links": children_links,
            "can_edit": ctx.can(Perm.PEOPLE_EDIT),
            "can_invite": ctx.can(Perm.MEMBERS_MANAGE),
            "is_student": person.kind == PersonKind.STUDENT,
            "consents": consents,
            "can_consents": ctx.can(Perm.CONSENTS_VIEW),
            "can_manage_consents": ctx.can(Perm.CONSENTS_MANAGE),
        },
    )


def _hidden_card(request: HttpRequest, ctx: OrgContext, person: Person) -> HttpResponse:
    """After a withdrawal the card shows no data; the consent register still leads to it."""
    return render(
        request,
        "consents/person_hidden.html",
        {"person_pk": person.pk, "can_consents": ctx.can(Perm.CONSENTS_VIEW)},
    )


def _refuse_if_hidden(request: HttpRequest, ctx: OrgContext, person: Person) -> HttpResponse | None:
    if not people_of(ctx).filter(pk=person.pk).filter(hidden_q()).exists():
        return None
    messages.error(request, _("The person's data are hidden: the consent was withdrawn."))
    return redirect("people:detail", org_slug=ctx.organisation.slug, person_pk=person.pk)


def _initial_kind(request: HttpRequest) -> str:
    kind = request.GET.get("kind", "")
    return kind if kind in PersonKind.values else PersonKind.STUDENT


@org_view(Perm.PEOPLE_EDIT)
def person_create_view(request: OrgRequest) -> HttpResponse:
    ctx = request.org
    form = PersonForm(
        request.POST or None,
        organisation=ctx.organisation,
        initial={"kind": _initial_kind(request)},
    )
    return submit(
        request,
        form,
        lambda: person_create(ctx.organisation, form.cleaned_data, by=request.user),
        success=lambda person: _("%(name)s is added to the registry.") % {"name": person.full_name},
        redirect_to=lambda person: redirect(
            "people:detail", org_slug=ctx.organisation.slug, person_pk=person.pk
        ),
        template="people/form.html",
        context={"person": None},
    )


@org_view(Perm.PEOPLE_EDIT)
def person_edit(request: OrgRequest, person_pk: int) -> HttpResponse:
    ctx = request.org
    person = person_for(ctx, person_pk)
    if refused := _refuse_if_hidden(request, ctx, person):
        return refused
    form = PersonForm(request.POST or None, organisation=ctx.organisation, instance=person)
    return submit(
        request,
        form,
        lambda: person_update(person, form.cleaned_data, by=request.user),
        success=_("Changes are saved."),
        redirect_to=redirect("people:detail", org_slug=ctx.organisation.slug, person_pk=person.pk),
        template="people/form.html",
        context={"person": person},
    )


def _guardian_candidates(child: Person, query: str) -> tuple[list[Person], bool]:
    """Adults to offer as guardians: those matching the search, else namesakes of the child.

    Returns the candidates and whether they are suggestions rather than search results.
    """
    base = (
        people_of(child.organisation)
        .exclude(hidden_q())
        .exclude(kind=PersonKind.STUDENT)
        .exclude(pk=child.pk)
        .exclude(children_links__child=child)
        .order_by("name_key", "pk")
    )
    if query.strip():
        return list(base.search(query)[:GUARDIAN_CANDIDATES]), False
    # Family names change their ending with gender (Иванов / Иванова): compare the stem.
    stem = fold(child.last_name)
    if len(stem) > 3 and stem[-1] in "ая":
        stem = stem[:-1]
    if len(stem) < 3:
        return [], True
    return list(base.filter(name_key__startswith=stem)[:GUARDIAN_CANDIDATES]), True


@org_view(Perm.PEOPLE_EDIT)
def guardian_add(request: OrgRequest, person_pk: int) -> HttpResponse:
    ctx = request.org
    child = person_for(ctx, person_pk)
    if refused := _refuse_if_hidden(request, ctx, child):
        return refused
    query = request.GET.get("q", "")
    if child.kind != PersonKind.STUDENT:
        messages.error(request, _("Legal guardians are recorded for students only."))
        return redirect("people:detail", org_slug=ctx.organisation.slug, person_pk=child.pk)
    action = request.POST.get("action") if request.method == "POST" else None
    pick_form = GuardianPickForm(request.POST if action == "pick" else None, child=child)
    new_form = GuardianNewForm(request.POST if action == "new" else None, child=child)

    if action == "pick" and pick_form.is_valid():
        try:
            link = guardian_link_add(
                child,
                pick_form.cleaned_data["guardian"],
                pick_form.cleaned_data["relation"],
                by=request.user,
            )
        except ValidationError as error:
            pick_form.add_error(None, error)
        else:
            return _guardian_added(request, ctx, link)
    if action == "new" and new_form.is_valid():
        try:
            link = guardian_add_new(
                child, new_form.cleaned_data, new_form.cleaned_data["relation"], by=request.user
            )
        except ValidationError as error:
            new_form.add_rule_errors(error)
        else:
            return _guardian_added(request, ctx, link)

    candidates, suggested = _guardian_candidates(child, query)
    chosen = pick_form["guardian"].value()
    chosen_pk = possible_id(chosen) if chosen else None
    if chosen_pk is not None and chosen_pk not in {c.pk for c in candidates}:
        # Keep the person picked before an error in the list, so the choice is not lost.
        picked = people_of(ctx).filter(pk=chosen_pk).exclude(kind=PersonKind.STUDENT).first()
        if picked is not None and picked.pk != child.pk:
            candidates.insert(0, picked)
    return render(
        request,
        "people/guardian_add.html",
        {
            "child": child,
            "pick_form": pick_form,
            "new_form": new_form,
            "candidates": candidates,
            "suggested": suggested,
            "query": query,
            "chosen": str(chosen or ""),
            "action": action,
        },
    )


def _guardian_added(request: HttpRequest, ctx: OrgContext, link: GuardianLink) -> HttpResponse:
    messages.success(
        request,
        _("%(guardian)s is recorded as a legal guardian of %(child)s.")
        % {"guardian": link.guardian.full_name, "child": link.child.full_name},
    )
    return redirect("people:detail", org_slug=ctx.organisation.slug, person_pk=link.child_id)


@org_view(Perm.PEOPLE_EDIT)
@require_POST
def guardian_remove(request: OrgRequest, person_pk: int, link_pk: int) -> HttpResponse:
    ctx = request.org
    child = person_for(ctx, person_pk)
    link = guardian_link_for(ctx, child, link_pk)
    guardian_link_remove(link, by=request.user)
    messages.success(
        request,
        _("%(guardian)s is no longer recorded as a legal guardian of %(child)s.")
        % {"guardian": link.guardian.full_name, "child": child.full_name},
    )
    return redirect("people:detail", org_slug=ctx.organisation.slug, person_pk=child.pk)
