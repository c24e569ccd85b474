"""Writes to programmes and roadmaps. Views, the demo, commands and tests all come through here.

Each function is atomic and validated: bad data raise ValidationError (per field where there is
one) and write nothing.

What may change when:
- a draft programme may change in everything;
- once approved by a signed order, its content (forms, role models, goal, tasks, results,
  typical plans) is what the order approved and stays as it is; the curator, the team, the
  social partners and the roadmap go on changing with the year;
- a finished programme is kept as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.catalogue.models import MentoringForm, MentoringKind, RoleModel
from nastavnik.core.rules import rule_errors
from nastavnik.core.text import typed_text
from nastavnik.core.uploads import checked_scan, delete_after_commit, store_scan
from nastavnik.orders.kinds import OrderKind
from nastavnik.orders.models import Order, OrderStatus
from nastavnik.orders.services import order_create
from nastavnik.orgs.models import AcademicYear, Organisation
from nastavnik.people.models import Person, PersonKind
from nastavnik.people.validators import org_today
from nastavnik.programmes import roadmap_template
from nastavnik.programmes.models import (
    PlanSection,
    Programme,
    ProgrammeForm,
    ProgrammeRoleModel,
    ProgrammeStatus,
    ResponsibleRole,
    RoadmapEvent,
    SocialPartner,
    Stage,
    TeamMember,
    TypicalPlanItem,
)
from nastavnik.programmes.schedule import shift_event_dates

logger = logging.getLogger(__name__)

MESSAGES = {
    "year_taken": _("The organisation already has a programme for the academic year %(year)s."),
    "content_locked": _(
        "The programme is approved by an order: its forms, goals and plans stay as approved."
    ),
    "finished": _("The programme is finished and kept as it was."),
    "not_draft": _("Only a draft programme can be approved."),
    "no_forms": _(
        "Choose at least one mentoring form: a programme without forms cannot be approved."
    ),
    "no_roadmap": _(
        "Generate the roadmap first: the order approves the programme and its roadmap."
    ),
    "no_curator": _("Appoint the curator first: the order names the curator."),
    "approval_pending": _(
        "An order approving this programme is already prepared (№ %(number)s); open it instead."
    ),
    "not_approved": _("Only an approved programme can be finished."),
    "form_unavailable": _("Choose a form of the organisation's catalogue."),
    "form_taken": _("The form «%(form)s» is already chosen for this year."),
    "role_model": _("Choose role models of the form «%(form)s»."),
    "staff": _("Choose a staff member of this organisation."),
    "person": _("Choose a person of this organisation."),
    "team_taken": _("%(name)s is already in the team."),
    "roadmap_exists": _(
        "The roadmap already has events: edit them, or delete them all to generate it again."
    ),
    "stage_required": _("Choose the stage the event belongs to."),
    "stage_invalid": _("The stage is a number from 1 to 7."),
    "title_required": _("Describe the event."),
    "title_length": _("At most %(max)s characters."),
    "due_required": _("Enter the due date."),
    "outside_year": _(
        "The date must fall within the academic year %(year)s, from %(start)s to %(end)s."
    ),
    "start_after_due": _("The event cannot start after its due date."),
    "role_invalid": _("Select a valid choice."),
    "done_required": _("Enter the date the event was done."),
    "done_future": _("The event cannot be done later than today."),
    "partner_name": _("Enter the name of the partner organisation."),
    "agreement_dates": _("The agreement cannot end before it is signed."),
    "email": _("Enter a valid e-mail address."),
    "plan_section": _("Select a valid choice."),
    "default_kind": _(
        "Choose the kind the form's pairs start with; a group is group mentoring by itself."
    ),
}

PROGRAMME_TEXT_FIELDS = ("explanatory_note", "goal", "tasks", "expected_results")
TITLE_MAX_LENGTH = 500


_error = rule_errors(MESSAGES)


def require_open(programme: Programme) -> None:
    """A finished programme is kept as it was: every change to it, its bases and its pairs is
    refused, in the same words."""
    if programme.status == ProgrammeStatus.FINISHED:
        raise _error("finished")


def _require_draft(programme: Programme) -> None:
    require_open(programme)
    if programme.status != ProgrammeStatus.DRAFT:
        raise _error("content_locked")


def _locked(programme: Programme) -> Programme:
    """The programme's row, locked, so that its status cannot change under a write."""
    return (
        Programme.objects.select_for_update().select_related("academic_year").get(pk=programme.pk)
    )


def _check_staff(organisation: Organisation, person: Person | None, field: str) -> None:
    if person is not None and (
        person.organisation_id != organisation.pk or person.kind != PersonKind.STAFF
    ):
        raise _error("staff", field)


# --- Programmes ---------------------------------------------------------------------------------


def _check_year_free(organisation: Organisation, academic_year: AcademicYear) -> None:
    if Programme.objects.filter(organisation=organisation, academic_year=academic_year).exists():
        raise _error("year_taken", "academic_year", year=academic_year.label)


def _insert_programme(programme: Programme) -> None:
    try:
        with transaction.atomic():
            programme.save()
    except IntegrityError as error:
        raise _error("year_taken", "academic_year", year=programme.academic_year.label) from error


@transaction.atomic
def programme_create(
    organisation: Organisation,
    academic_year: AcademicYear,
    *,
    by: User | None,
    curator: Person | None = None,
    **texts: str,
) -> Programme:
    """A new draft programme of the organisation for the year."""
    _check_year_free(organisation, academic_year)
    _check_staff(organisation, curator, "curator")
    unknown = set(texts) - set(PROGRAMME_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown programme fields: {sorted(unknown)}")
    programme = Programme(
        organisation=organisation,
        academic_year=academic_year,
        curator=curator,
        created_by=by,
        **{field: typed_text(value) for field, value in texts.items()},
    )
    _insert_programme(programme)
    logger.info("programme %s created in %s by %s", programme.pk, organisation.slug, by)
    return programme


@transaction.atomic
def programme_update(programme: Programme, *, by: User | None, **fields: Any) -> Programme:
    """Change the texts (draft only) and the curator (until the programme is finished)."""
    locked = _locked(programme)
    unknown = set(fields) - {*PROGRAMME_TEXT_FIELDS, "curator"}
    if unknown:
        raise TypeError(f"unknown programme fields: {sorted(unknown)}")
    changed = [
        f
        for f in PROGRAMME_TEXT_FIELDS
        if f in fields and typed_text(fields[f]) != getattr(locked, f)
    ]
    if changed:
        _require_draft(locked)
    else:
        require_open(locked)
    if "curator" in fields:
        _check_staff(locked.organisation, fields["curator"], "curator")
        if fields["curator"] != locked.curator:
            changed.append("curator")
    for field in changed:
        value = fields[field]
        setattr(programme, field, value if field == "curator" else typed_text(value))
    if changed:
        programme.save(update_fields=[*changed, "updated_at"])
        logger.info("programme %s updated (%s) by %s", programme.pk, ", ".join(changed), by)
    return programme


# What a partner's form edits and a copied programme takes over.
PARTNER_FIELDS = (
    "name",
    "contribution",
    "contact_person",
    "phone",
    "email",
    "agreement_number",
    "agreement_date",
    "agreement_until",
)


def _copy_rows(
    model: type[models.Model],
    rows: Iterable[models.Model],
    fields: Sequence[str],
    owner: Mapping[str, Any],
) -> None:
    """Copies of `rows` with their `fields` under a new owner (the copied programme or form)."""
    model._default_manager.bulk_create(
        model(**owner, **{field: getattr(row, field) for field in fields}) for row in rows
    )


@transaction.atomic
def programme_copy_from(
    source: Programme, academic_year: AcademicYear, *, by: User | None
) -> Programme:
    """A draft for another year that starts as a copy of `source`: its forms with their role
    models, texts and typical plans, the curator and the team, the social partners, and the
    roadmap moved to the new year with nothing marked done."""
    organisation = source.organisation
    _check_year_free(organisation, academic_year)
    programme = Programme(
        organisation=organisation,
        academic_year=academic_year,
        curator=source.curator,
        copied_from=source,
        created_by=by,
        **{field: getattr(source, field) for field in PROGRAMME_TEXT_FIELDS},
    )
    _insert_programme(programme)

    for chosen in source.chosen_forms.prefetch_related("plan_items").order_by("pk"):
        copy = ProgrammeForm.objects.create(
            organisation=organisation,
            programme=programme,
            form_id=chosen.form_id,
            default_kind=chosen.default_kind,
            goal=chosen.goal,
            tasks=chosen.tasks,
            expected_results=chosen.expected_results,
        )
        owner = {"organisation": organisation, "programme_form": copy}
        _copy_rows(
            ProgrammeRoleModel,
            ProgrammeRoleModel.objects.filter(programme_form=chosen),
            ("role_model_id",),
            owner,
        )
        _copy_rows(
            TypicalPlanItem,
            chosen.plan_items.all(),
            ("section", "text", "timing", "position"),
            owner,
        )
    owner = {"organisation": organisation, "programme": programme}
    _copy_rows(TeamMember, source.team.all(), ("person_id", "responsibility"), owner)
    _copy_rows(SocialPartner, source.partners.all(), PARTNER_FIELDS, owner)
    years = academic_year.start_year - source.academic_year.start_year
    events = []
    for event in source.events.all():
        starts_on, due_on = shift_event_dates(event.starts_on, event.due_on, years)
        events.append(
            RoadmapEvent(
                organisation=organisation,
                programme=programme,
                stage=event.stage,
                title=event.title,
                starts_on=starts_on,
                due_on=due_on,
                responsible_roles=list(event.responsible_roles),
                responsible_person_id=event.responsible_person_id,
                template_code=event.template_code,
                position=event.position,
            )
        )
    RoadmapEvent.objects.bulk_create(events)
    logger.info(
        "programme %s copied from %s into %s by %s",
        programme.pk,
        source.pk,
        academic_year.label,
        by,
    )
    return programme


@transaction.atomic
def programme_finish(programme: Programme, *, by: User | None) -> Programme:
    locked = _locked(programme)
    if locked.status != ProgrammeStatus.APPROVED:
        raise _error("not_approved")
    programme.status = ProgrammeStatus.FINISHED
    programme.finished_on = org_today(locked.organisation)
    programme.save(update_fields=["status", "finished_on", "updated_at"])
    logger.info("programme %s finished by %s", programme.pk, by)
    return programme


# --- Forms of the year --------------------------------------------------------------------------


@transaction.atomic
def programme_form_add(
    programme: Programme, form: MentoringForm, *, by: User | None
) -> ProgrammeForm:
    """Choose a form of the catalogue for the year; its goal starts as the catalogue's."""
    locked = _locked(programme)
    _require_draft(locked)
    if not MentoringForm.objects.available_to(locked.organisation).filter(pk=form.pk).exists():
        raise _error("form_unavailable", "form")
    if ProgrammeForm.objects.filter(programme=locked, form=form).exists():
        raise _error("form_taken", "form", form=form.shown_name)
    chosen = ProgrammeForm.objects.create(
        organisation=locked.organisation, programme=locked, form=form, goal=form.goal
    )
    logger.info("form %s chosen for programme %s by %s", form.pk, programme.pk, by)
    return chosen


@transaction.atomic
def programme_form_update(
    chosen: ProgrammeForm,
    *,
    role_models: Iterable[RoleModel],
    goal: str,
    tasks: str,
    expected_results: str,
    by: User | None,
    default_kind: str | None = None,
) -> ProgrammeForm:
    """The form's role models, texts and the kind its new pairs start with (unchanged when
    `default_kind` is None)."""
    _require_draft(_locked(chosen.programme))
    if default_kind is not None and (
        default_kind not in MentoringKind.values or default_kind == MentoringKind.GROUP
    ):
        raise _error("default_kind", "default_kind")
    role_models = list(role_models)
    allowed = set(
        RoleModel.objects.available_to(chosen.organisation)
        .filter(form_id=chosen.form_id)
        .values_list("pk", flat=True)
    )
    if any(model.pk not in allowed for model in role_models):
        raise _error("role_model", "role_models", form=chosen.form.name)
    chosen.goal, chosen.tasks, chosen.expected_results = (
        typed_text(goal),
        typed_text(tasks),
        typed_text(expected_results),
    )
    if default_kind is not None:
        chosen.default_kind = default_kind
    chosen.save(update_fields=["goal", "tasks", "expected_results", "default_kind"])
    ProgrammeRoleModel.objects.filter(programme_form=chosen).exclude(
        role_model__in=role_models
    ).delete()
    present = set(
        ProgrammeRoleModel.objects.filter(programme_form=chosen).values_list(
            "role_model_id", flat=True
        )
    )
    ProgrammeRoleModel.objects.bulk_create(
        ProgrammeRoleModel(
            organisation=chosen.organisation, programme_form=chosen, role_model=model
        )
        for model in role_models
        if model.pk not in present
    )
    logger.info("programme form %s updated by %s", chosen.pk, by)
    return chosen


@transaction.atomic
def programme_form_remove(chosen: ProgrammeForm, *, by: User | None) -> None:
    _require_draft(_locked(chosen.programme))
    logger.info("programme form %s removed by %s", chosen.pk, by)
    chosen.delete()


@transaction.atomic
def typical_plan_save(
    chosen: ProgrammeForm, items: Sequence[Mapping[str, Any]], *, by: User | None
) -> list[TypicalPlanItem]:
    """Replace the typical plan of a form with `items` (section, text, timing), in order.
    Rows without text are left out."""
    _require_draft(_locked(chosen.programme))
    rows = []
    errors: dict[str, list[ValidationError]] = {}
    for index, item in enumerate(items):
        text = typed_text(item.get("text"))
        if not text:
            continue
        section = item.get("section")
        if section not in PlanSection.values:
            errors.setdefault("section", []).append(
                ValidationError(MESSAGES["plan_section"], code="plan_section")
            )
            continue
        rows.append(
            TypicalPlanItem(
                organisation=chosen.organisation,
                programme_form=chosen,
                section=section,
                text=text,
                timing=" ".join(str(item.get("timing") or "").split())[:100],
                position=index,
            )
        )
    if errors:
        raise ValidationError(errors)
    chosen.plan_items.all().delete()
    TypicalPlanItem.objects.bulk_create(rows)
    logger.info(
        "typical plan of programme form %s saved (%s items) by %s", chosen.pk, len(rows), by
    )
    return rows


# --- Team and partners ------------------------------------------------------------------------


@transaction.atomic
def team_member_add(
    programme: Programme, person: Person, *, responsibility: str = "", by: User | None
) -> TeamMember:
    locked = _locked(programme)
    require_open(locked)
    if person.organisation_id != locked.organisation_id or person.kind != PersonKind.STAFF:
        raise _error("staff", "person")
    if TeamMember.objects.filter(programme=locked, person=person).exists():
        raise _error("team_taken", "person", name=person.full_name)
    member = TeamMember.objects.create(
        organisation=locked.organisation,
        programme=locked,
        person=person,
        responsibility=" ".join(responsibility.split()),
    )
    logger.info("team member %s added to programme %s by %s", person.pk, programme.pk, by)
    return member


@transaction.atomic
def team_member_remove(member: TeamMember, *, by: User | None) -> None:
    require_open(_locked(member.programme))
    logger.info("team member %s removed by %s", member.pk, by)
    member.delete()


def _clean_partner(data: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for field in PARTNER_FIELDS:
        value = data.get(field)
        if field in ("agreement_date", "agreement_until"):
            clean[field] = value or None
        elif field == "contribution":
            clean[field] = typed_text(value)
        else:
            clean[field] = " ".join(str(value or "").split())
    errors: dict[str, list[ValidationError]] = {}
    if not clean["name"]:
        errors["name"] = [ValidationError(MESSAGES["partner_name"], code="required")]
    if clean["email"]:
        clean["email"] = clean["email"].lower()
        try:
            validate_email(clean["email"])
        except ValidationError:
            errors["email"] = [ValidationError(MESSAGES["email"], code="email")]
    signed, until = clean["agreement_date"], clean["agreement_until"]
    if signed and until and until < signed:
        errors["agreement_until"] = [
            ValidationError(MESSAGES["agreement_dates"], code="agreement_dates")
        ]
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def partner_create(
    programme: Programme, data: Mapping[str, Any], *, by: User | None
) -> SocialPartner:
    locked = _locked(programme)
    require_open(locked)
    partner = SocialPartner(
        organisation=locked.organisation, programme=locked, **_clean_partner(data)
    )
    partner.full_clean(exclude=["organisation", "programme"])
    partner.save()
    logger.info("partner %s added to programme %s by %s", partner.pk, programme.pk, by)
    return partner


@transaction.atomic
def partner_update(
    partner: SocialPartner, data: Mapping[str, Any], *, by: User | None
) -> SocialPartner:
    require_open(_locked(partner.programme))
    for field, value in _clean_partner(data).items():
        setattr(partner, field, value)
    partner.full_clean(exclude=["organisation", "programme"])
    partner.save()
    logger.info("partner %s updated by %s", partner.pk, by)
    return partner


@transaction.atomic
def partner_delete(partner: SocialPartner, *, by: User | None) -> None:
    require_open(_locked(partner.programme))
    logger.info("partner %s deleted by %s", partner.pk, by)
    partner.delete()


# --- Roadmap ----------------------------------------------------------------------------------


@transaction.atomic
def roadmap_generate(programme: Programme, *, by: User | None) -> list[RoadmapEvent]:
    """The roadmap of the year from the template (seeds 002 and 004), to be edited freely."""
    locked = _locked(programme)
    require_open(locked)
    if RoadmapEvent.objects.filter(programme=locked).exists():
        raise _error("roadmap_exists")
    start_year = locked.academic_year.start_year
    events = []
    for position, template in enumerate(roadmap_template.EVENTS):
        starts_on, due_on = roadmap_template.dates_for(template, start_year)
        events.append(
            RoadmapEvent(
                organisation=locked.organisation,
                programme=locked,
                stage=template.stage,
                title=template.title,
                starts_on=starts_on,
                due_on=due_on,
                responsible_roles=list(template.roles),
                template_code=template.code,
                position=position,
            )
        )
    created = RoadmapEvent.objects.bulk_create(events)
    logger.info(
        "roadmap of programme %s generated (%s events) by %s", programme.pk, len(created), by
    )
    return created


def _outside_year(field: str, year: AcademicYear) -> ValidationError:
    return _error(
        "outside_year",
        field,
        year=year.label,
        start=date_format(year.starts_on, "SHORT_DATE_FORMAT"),
        end=date_format(year.ends_on, "SHORT_DATE_FORMAT"),
    )


def _check_dates(
    year: AcademicYear, starts_on: date | None, due_on: date | None, errors: dict
) -> None:
    if due_on is None:
        errors.setdefault("due_on", []).append(
            ValidationError(MESSAGES["due_required"], code="required")
        )
    elif not year.starts_on <= due_on <= year.ends_on:
        errors.setdefault("due_on", []).extend(_outside_year("due_on", year).error_dict["due_on"])
    if starts_on is not None:
        if not year.starts_on <= starts_on <= year.ends_on:
            errors.setdefault("starts_on", []).extend(
                _outside_year("starts_on", year).error_dict["starts_on"]
            )
        elif due_on is not None and starts_on > due_on:
            errors.setdefault("starts_on", []).append(
                ValidationError(MESSAGES["start_after_due"], code="start_after_due")
            )


def _clean_event(programme: Programme, data: Mapping[str, Any]) -> dict[str, Any]:
    """Check an event's fields against the rules; every problem is reported at once."""
    errors: dict[str, list[ValidationError]] = {}
    stage = data.get("stage")
    if stage in (None, ""):
        errors["stage"] = [ValidationError(MESSAGES["stage_required"], code="required")]
    else:
        try:
            stage = int(stage)
        except (TypeError, ValueError):
            stage = None
        if stage not in Stage.values:
            errors["stage"] = [ValidationError(MESSAGES["stage_invalid"], code="stage_invalid")]
    title = " ".join(str(data.get("title") or "").split())
    if not title:
        errors["title"] = [ValidationError(MESSAGES["title_required"], code="required")]
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [
            ValidationError(
                MESSAGES["title_length"], code="max_length", params={"max": TITLE_MAX_LENGTH}
            )
        ]
    starts_on, due_on = data.get("starts_on") or None, data.get("due_on") or None
    _check_dates(programme.academic_year, starts_on, due_on, errors)
    roles = list(dict.fromkeys(data.get("responsible_roles") or []))
    if any(role not in ResponsibleRole.values for role in roles):
        errors["responsible_roles"] = [
            ValidationError(MESSAGES["role_invalid"], code="invalid_choice")
        ]
    person = data.get("responsible_person")
    if person is not None and person.organisation_id != programme.organisation_id:
        errors["responsible_person"] = [ValidationError(MESSAGES["person"], code="person")]
    if errors:
        raise ValidationError(errors)
    return {
        "stage": stage,
        "title": title,
        "starts_on": starts_on,
        "due_on": due_on,
        "responsible_roles": roles,
        "responsible_person": person,
    }


@transaction.atomic
def event_create(programme: Programme, data: Mapping[str, Any], *, by: User | None) -> RoadmapEvent:
    locked = _locked(programme)
    require_open(locked)
    clean = _clean_event(locked, data)
    event = RoadmapEvent.objects.create(organisation=locked.organisation, programme=locked, **clean)
    logger.info("roadmap event %s added to programme %s by %s", event.pk, programme.pk, by)
    return event


@transaction.atomic
def event_update(event: RoadmapEvent, data: Mapping[str, Any], *, by: User | None) -> RoadmapEvent:
    """Change an event: stage, title, dates, who answers for it."""
    locked = _locked(event.programme)
    require_open(locked)
    clean = _clean_event(locked, data)
    for field, value in clean.items():
        setattr(event, field, value)
    event.save(update_fields=[*clean, "updated_at"])
    logger.info("roadmap event %s updated by %s", event.pk, by)
    return event


@transaction.atomic
def event_move(
    event: RoadmapEvent, *, due_on: date | None, starts_on: date | None = None, by: User | None
) -> RoadmapEvent:
    """Give an event new dates, within the academic year."""
    locked = _locked(event.programme)
    require_open(locked)
    errors: dict[str, list[ValidationError]] = {}
    _check_dates(locked.academic_year, starts_on, due_on, errors)
    if errors:
        raise ValidationError(errors)
    event.starts_on, event.due_on = starts_on, due_on  # type: ignore[assignment]
    event.save(update_fields=["starts_on", "due_on", "updated_at"])
    logger.info("roadmap event %s moved to %s by %s", event.pk, due_on, by)
    return event


@transaction.atomic
def event_complete(
    event: RoadmapEvent,
    *,
    done_on: date | None,
    note: str = "",
    file: File | None = None,
    by: User | None,
) -> RoadmapEvent:
    """Mark an event done, with a note and optionally a scan or photo (PDF, JPEG, PNG).
    Marking it again changes the date and note; a new file replaces the old one."""
    locked = _locked(event.programme)
    require_open(locked)
    errors: dict[str, list[ValidationError]] = {}
    if done_on is None:
        errors["done_on"] = [ValidationError(MESSAGES["done_required"], code="required")]
    elif done_on > org_today(locked.organisation):
        errors["done_on"] = [ValidationError(MESSAGES["done_future"], code="done_future")]
    upload = checked_scan(file, "file", errors)
    if errors:
        raise ValidationError(errors)
    event.done_on, event.done_note, event.done_by = done_on, typed_text(note), by
    event.done_auto = False
    fields = ["done_on", "done_note", "done_by", "done_auto", "updated_at"]
    if upload is not None:
        store_scan(event.done_file, upload, f"roadmap/{locked.organisation_id}")
        fields.append("done_file")
    event.save(update_fields=fields)
    logger.info("roadmap event %s marked done by %s", event.pk, by)
    return event


@transaction.atomic
def event_reopen(event: RoadmapEvent, *, by: User | None) -> RoadmapEvent:
    """Undo «done»: the note and the attached file go."""
    require_open(_locked(event.programme))
    previous = event.done_file.name
    event.done_on, event.done_note, event.done_by, event.done_file = None, "", None, ""
    event.done_auto = False
    event.save(
        update_fields=["done_on", "done_note", "done_by", "done_file", "done_auto", "updated_at"]
    )
    delete_after_commit(previous)
    logger.info("roadmap event %s reopened by %s", event.pk, by)
    return event


@transaction.atomic
def event_delete(event: RoadmapEvent, *, by: User | None) -> None:
    require_open(_locked(event.programme))
    previous = event.done_file.name
    logger.info("roadmap event %s deleted by %s", event.pk, by)
    event.delete()
    delete_after_commit(previous)


# --- Orders -----------------------------------------------------------------------------------


def approval_orders(programme: Programme) -> Any:
    """Orders of the approving kind that concern the programme."""
    return Order.objects.filter(
        organisation=programme.organisation, kind=OrderKind.PROGRAMME_APPROVAL
    ).about(programme)


def _check_approvable(programme: Programme) -> None:
    if programme.status != ProgrammeStatus.DRAFT:
        raise _error("not_draft")
    if not ProgrammeForm.objects.filter(programme=programme).exists():
        raise _error("no_forms")
    if not RoadmapEvent.objects.filter(programme=programme).exists():
        raise _error("no_roadmap")
    if programme.curator_id is None:
        raise _error("no_curator")


def approval_title(programme: Programme) -> str:
    return (
        "Об утверждении программы наставничества и дорожной карты её реализации "
        f"на {programme.academic_year.label} учебный год"
    )


@transaction.atomic
def programme_approval_order_create(
    programme: Programme,
    *,
    number: str,
    date: date,
    signatory: Person | None,
    signatory_position: str = "",
    by: User | None,
) -> Order:
    """The draft of the order approving the programme and its roadmap."""
    locked = _locked(programme)
    _check_approvable(locked)
    pending = approval_orders(locked).filter(status=OrderStatus.DRAFT).first()
    if pending is not None:
        raise _error("approval_pending", number=pending.number)
    return order_create(
        locked.organisation,
        OrderKind.PROGRAMME_APPROVAL,
        number=number,
        date=date,
        signatory=signatory,
        signatory_position=signatory_position,
        title=approval_title(locked),
        subjects=[locked],
        by=by,
    )


@transaction.atomic
def curator_order_create(
    programme: Programme,
    *,
    number: str,
    date: date,
    signatory: Person | None,
    signatory_position: str = "",
    by: User | None,
) -> Order:
    """The draft of the order appointing the programme's curator."""
    locked = _locked(programme)
    require_open(locked)
    if locked.curator_id is None:
        raise _error("no_curator")
    return order_create(
        locked.organisation,
        OrderKind.CURATOR_APPOINTMENT,
        number=number,
        date=date,
        signatory=signatory,
        signatory_position=signatory_position,
        title="О назначении куратора программы наставничества",
        subjects=[locked],
        by=by,
    )


def programme_of_order(order: Order) -> Programme:
    return Programme.objects.select_related("academic_year", "organisation", "curator").get(
        organisation=order.organisation, pk__in=order.subject_pks(Programme)[:1]
    )


@transaction.atomic
def programme_approve(programme: Programme, order: Order, *, by: User | None) -> Programme:
    """Approve the programme by a signed order of the approving kind.

    Checked again at signing: the programme may have lost its forms since the order was drafted.
    """
    locked = _locked(programme)
    if (
        order.kind != OrderKind.PROGRAMME_APPROVAL
        or order.organisation_id != locked.organisation_id
    ):
        raise ValueError(f"order {order.pk} does not approve programmes of {locked.organisation}")
    _check_approvable(locked)
    programme.status = ProgrammeStatus.APPROVED
    programme.approved_on = order.date
    programme.approval_order = order
    programme.save(update_fields=["status", "approved_on", "approval_order", "updated_at"])
    # The roadmap's own step «approve the programme by an order» is done by this very order.
    RoadmapEvent.objects.filter(
        programme=locked, template_code="approve_programme", done_on__isnull=True
    ).update(
        done_on=min(order.date, org_today(locked.organisation)),
        done_note=f"Приказ от {order.date:%d.%m.%Y} № {order.number}",
        done_by=by,
    )
    logger.info("programme %s approved by order %s (%s)", programme.pk, order.pk, by)
    return programme


def approval_order_signed(order: Order, by: User | None) -> None:
    """The sign hook of approving orders (see `orders.kinds`)."""
    programme_approve(programme_of_order(order), order, by=by)
