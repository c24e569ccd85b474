"""The operations of /api/v1/. Each fetches its rows through its app's access module and
checks its right through `org_of` (orgs.policy), as the pages do; writes go through the
apps' services, which validate and audit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from nastavnik.api import schemas as s
from nastavnik.api.base import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    Conflict,
    RegionTokenAuth,
    TokenAuth,
    org_of,
    paginate,
    responses,
)
from nastavnik.api.models import Area
from nastavnik.consents.rules import hidden_q
from nastavnik.core.access import OrgContext, OrgRequest
from nastavnik.dashboards import region as regional
from nastavnik.dashboards.suppression import MIN_CELL
from nastavnik.indicators.compute import coverage_by_year
from nastavnik.meetings.access import meetings_workable
from nastavnik.meetings.models import Feedback
from nastavnik.mentees.access import mentees_of
from nastavnik.mentors.access import mentors_of
from nastavnik.mentorships.access import (
    mentee_of_q,
    mentorships_of,
    own_people,
    workable,
)
from nastavnik.mentorships.models import MentorshipMentee
from nastavnik.orders.access import order_for, orders_of
from nastavnik.orders.views import DOCX
from nastavnik.orgs.models import Organisation
from nastavnik.orgs.policy import Perm
from nastavnik.people.access import import_job_for, import_jobs_of, people_of, person_for
from nastavnik.people.filters import PersonFilter
from nastavnik.people.models import ImportJob, Person
from nastavnik.people.services import person_create, person_update
from nastavnik.people.transfer.services import (
    import_job_confirm,
    import_job_discard,
    import_job_set_mapping,
    job_mapping,
    people_import_upload,
)
from nastavnik.people.transfer.tasks import COMMIT, PREVIEW, import_job_run
from nastavnik.people.transfer.tasks import import_job_settle_if_lost as settled
from nastavnik.people.visibility import Shown, shown_for
from nastavnik.plans.models import PlanItem
from nastavnik.questionnaires import anonymity
from nastavnik.questionnaires.access import campaign_for, campaigns_of
from nastavnik.questionnaires.results import campaign_results

ORG = "/o/{org_slug}"


class Paging(Schema):
    page: int = Field(1, ge=1, le=100000)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


def _router(area: Area) -> Router:
    return Router(auth=TokenAuth(area), tags=[str(area.value)])


people = _router(Area.PEOPLE)
mentees = _router(Area.MENTEES)
mentors = _router(Area.MENTORS)
mentorships = _router(Area.MENTORSHIPS)
questionnaires = _router(Area.QUESTIONNAIRES)
indicators = _router(Area.INDICATORS)
orders = _router(Area.ORDERS)
region = Router(auth=RegionTokenAuth(), tags=[str(Area.REGION.value)])
ROUTERS = (people, mentees, mentors, mentorships, questionnaires, indicators, orders, region)


# --- People ------------------------------------------------------------------------------------


# A person's school or work details, answered as stored to those who may see them.
_SCHOOL_COLUMNS = (
    "grade",
    "class_letter",
    "position",
    "subjects",
    "experience_years",
    "graduation_year",
    "workplace",
    "external_category",
)
# What `_person` reads of a row: a list fetches these as values(), with no model instances.
_PERSON_COLUMNS = (
    "id",
    "kind",
    "last_name",
    "first_name",
    "middle_name",
    "gender",
    "user_id",
    "updated_at",
    "birth_date",
    "email",
    "phone",
    *_SCHOOL_COLUMNS,
    "notes",
)


def _person(ctx: OrgContext, person: Person) -> dict[str, Any]:
    return _person_row(ctx, vars(person))


def _person_row(
    ctx: OrgContext, row: dict[str, Any], shown_by_kind: dict[str, Shown] | None = None
) -> dict[str, Any]:
    """A person's answer from their columns (`_PERSON_COLUMNS`); `shown_by_kind` keeps what a
    list's reader may see of each kind, asked once per kind, not per row."""
    kind = row["kind"]
    if shown_by_kind is None:
        shown = shown_for(ctx.roles, kind)
    elif kind in shown_by_kind:
        shown = shown_by_kind[kind]
    else:
        shown = shown_by_kind[kind] = shown_for(ctx.roles, kind)
    data: dict[str, Any] = {
        "id": row["id"],
        "kind": kind,
        "last_name": row["last_name"],
        "first_name": row["first_name"],
        "middle_name": row["middle_name"],
        "gender": row["gender"],
        "has_account": row["user_id"] is not None,
        "updated_at": row["updated_at"],
    }
    if shown.birth_date:
        data["birth_date"] = row["birth_date"]
    if shown.contacts:
        data.update(email=row["email"], phone=row["phone"])
    if shown.school:
        data.update((column, row[column]) for column in _SCHOOL_COLUMNS)
    if shown.notes:
        data["notes"] = row["notes"]
    return data


class PeopleFilters(Paging):
    q: str = Field("", max_length=200, description="Words of the name, in any order")
    kind: s.PersonKindName | None = None
    grade: int | None = Field(None, ge=1, le=11)
    class_letter: str = Field("", max_length=2)
    gender: s.GenderName | None = None


@people.get(ORG + "/people", response=responses(s.PersonPage), url_name="people")
def people_list(request: OrgRequest, org_slug: str, filters: Query[PeopleFilters]) -> Any:
    """The registry, without the people whose data are hidden after a withdrawn consent."""
    ctx = org_of(request, Perm.PEOPLE_VIEW)
    data = {
        key: str(value)
        for key, value in filters.dict(exclude={"page", "page_size"}).items()
        if value not in (None, "")
    }
    found = PersonFilter(
        data, queryset=people_of(ctx).exclude(hidden_q()).order_by("name_key", "pk")
    ).qs.values(*_PERSON_COLUMNS)
    shown: dict[str, Shown] = {}
    return paginate(found, filters.page, filters.page_size, lambda p: _person_row(ctx, p, shown))


@people.get(ORG + "/people/{person_pk}", response=responses(s.PersonOut), url_name="person")
def people_detail(request: OrgRequest, org_slug: str, person_pk: int) -> Any:
    ctx = org_of(request, Perm.PEOPLE_VIEW)
    person = person_for(ctx, person_pk)
    if people_of(ctx).filter(pk=person.pk).filter(hidden_q()).exists():
        raise Http404
    return _person(ctx, person)


@people.post(ORG + "/people", response=responses(s.PersonOut, 201), url_name="people_create")
def people_create(request: OrgRequest, org_slug: str, payload: s.PersonIn) -> Any:
    ctx = org_of(request, Perm.PEOPLE_EDIT)
    person = person_create(ctx.organisation, payload.dict(), by=request.user)
    return Status(201, _person(ctx, person))


@people.patch(
    ORG + "/people/{person_pk}", response=responses(s.PersonOut, 200, 409), url_name="person_update"
)
def people_update(
    request: OrgRequest, org_slug: str, person_pk: int, payload: s.PersonPatch
) -> Any:
    ctx = org_of(request, Perm.PEOPLE_EDIT)
    person = person_for(ctx, person_pk)
    if people_of(ctx).filter(pk=person.pk).filter(hidden_q()).exists():
        raise Conflict("The person's data are hidden: the consent was withdrawn.")
    changes = payload.dict(exclude_unset=True)
    person = person_update(person, changes, by=request.user)
    return _person(ctx, person)


# --- The people import: an asynchronous job ------------------------------------------------------


def _job(job: ImportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "file_name": job.file_name,
        "rows_total": job.rows_total,
        "rows_done": job.rows_done,
        "mapping": {str(k): str(v) for k, v in job.mapping.items()},
        "preview": job.preview or {},
        "result": job.result or {},
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


@people.post(ORG + "/imports", response=responses(s.ImportJobOut, 202), url_name="imports")
def import_start(
    request: OrgRequest,
    org_slug: str,
    kind: Form[s.ImportKindName],
    file: File[UploadedFile],
) -> Any:
    """Upload a list (XLSX or CSV); its columns are recognised from the header row and the
    file is checked, in the background for a large one. Poll the job until `previewed`, then
    confirm it."""
    ctx = org_of(request, Perm.PEOPLE_IMPORT)
    by = request.user
    job = people_import_upload(ctx.organisation, kind, file, by=by)
    try:
        import_job_set_mapping(job, job.header_row, job_mapping(job), by=by)
    except ValidationError:
        # The columns could not be recognised: nothing of the file is kept; the page's column
        # chooser is the way for such a file.
        import_job_discard(job, by=by)
        raise
    return Status(202, _job(import_job_run(job, PREVIEW)))


@people.get(ORG + "/imports", response=responses(s.ImportJobPage), url_name="import_list")
def import_list(request: OrgRequest, org_slug: str, paging: Query[Paging]) -> Any:
    ctx = org_of(request, Perm.PEOPLE_IMPORT)
    found = import_jobs_of(ctx).order_by("-created_at", "-pk")
    return paginate(found, paging.page, paging.page_size, lambda job: _job(settled(job)))


@people.get(ORG + "/imports/{job_pk}", response=responses(s.ImportJobOut), url_name="import")
def import_status(request: OrgRequest, org_slug: str, job_pk: int) -> Any:
    ctx = org_of(request, Perm.PEOPLE_IMPORT)
    return _job(settled(import_job_for(ctx, job_pk)))


@people.post(
    ORG + "/imports/{job_pk}/confirm",
    response=responses(s.ImportJobOut, 202),
    url_name="import_confirm",
)
def import_confirm(request: OrgRequest, org_slug: str, job_pk: int, payload: s.ConfirmIn) -> Any:
    """Write the checked rows, all or none; rows with errors block it unless skipped."""
    ctx = org_of(request, Perm.PEOPLE_IMPORT)
    job = import_job_confirm(
        import_job_for(ctx, job_pk),
        skip_invalid=payload.skip_invalid,
        by=request.user,
    )
    return Status(202, _job(import_job_run(job, COMMIT)))


# --- The mentee and mentor bases ---------------------------------------------------------------


def _hidden_people(ids: set[int]) -> set[int]:
    """Of `ids`, the people whose data are hidden (one query for a page)."""
    if not ids:
        return set()
    return set(Person.objects.filter(pk__in=ids).filter(hidden_q()).values_list("pk", flat=True))


def _ref(person: Person | None, hidden: set[int]) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"id": person.pk, "name": None if person.pk in hidden else person.full_name}


class BaseFilters(Paging):
    programme_id: int | None = Field(None, ge=1, le=2**31 - 1)
    status: str = Field("", max_length=16)


def _filtered(queryset: Any, filters: BaseFilters) -> Any:
    if filters.programme_id:
        queryset = queryset.filter(programme_id=filters.programme_id)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return queryset


def _participants_page(
    participants: Any, filters: BaseFilters, fields: Callable[[Any], dict[str, Any]]
) -> Any:
    """A page of a programme's mentees or mentors, by name, without those whose consent hides
    them: each with its id, programme and person, then its own `fields`."""
    shown = participants.exclude(hidden_q(ref="person")).select_related("person")
    return paginate(
        _filtered(shown, filters).order_by("person__name_key", "pk"),
        filters.page,
        filters.page_size,
        lambda m: {
            "id": m.pk,
            "programme_id": m.programme_id,
            "person": _ref(m.person, set()),
            **fields(m),
        },
    )


@mentees.get(ORG + "/mentees", response=responses(s.MenteePage), url_name="mentees")
def mentee_list(request: OrgRequest, org_slug: str, filters: Query[BaseFilters]) -> Any:
    ctx = org_of(request, Perm.MENTEES_VIEW)
    return _participants_page(
        mentees_of(ctx),
        filters,
        lambda m: {
            "status": m.status,
            "topics": m.topics,
            "subjects": m.subjects,
            "meeting_format": m.meeting_format,
            "asked_for_mentor": m.asked_for_mentor,
            "support_needed": m.support_needed,
            "created_at": m.created_at,
        },
    )


@mentors.get(ORG + "/mentors", response=responses(s.MentorPage), url_name="mentors")
def mentor_list(request: OrgRequest, org_slug: str, filters: Query[BaseFilters]) -> Any:
    ctx = org_of(request, Perm.MENTORS_VIEW)
    return _participants_page(
        mentors_of(ctx),
        filters,
        lambda m: {
            "category": m.category,
            "status": m.status,
            "subjects": m.subjects,
            "experience_years": m.experience_years,
            "capacity": m.capacity,
            "leads_group": m.leads_group,
            "meeting_format": m.meeting_format,
        },
    )


# --- Pairs and groups, their meetings and plans --------------------------------------------------


_NAMES = ("last_name", "first_name", "middle_name")


def _with_names(mentorships: Any) -> Any:
    """Pairs with their mentor and members, only the columns the API answers: the pages'
    `with_people` also joins the form, the role model and the order, which a list of 50 pairs
    would turn into some 400 model instances a call."""
    members = (
        MentorshipMentee.objects.select_related("mentee__person")
        .only(
            "mentorship_id",
            "mentee_id",
            "active",
            "mentee__person_id",
            *(f"mentee__person__{name}" for name in _NAMES),
        )
        .order_by("mentee__person__name_key", "pk")
    )
    return (
        mentorships.select_related("mentor__person")
        .only(
            "programme_id",
            "is_group",
            "status",
            "started_on",
            "planned_end",
            "ended_on",
            "mentor__person_id",
            *(f"mentor__person__{name}" for name in _NAMES),
        )
        .prefetch_related(Prefetch("members", queryset=members))
    )


def _mentorship_rows(rows: list[Any]) -> list[dict[str, Any]]:
    ids = {m.mentor.person_id for m in rows if m.mentor_id} | {
        member.mentee.person_id for m in rows for member in m.members.all()
    }
    hidden = _hidden_people(ids)
    return [
        {
            "id": m.pk,
            "programme_id": m.programme_id,
            "is_group": m.is_group,
            "status": m.status,
            "started_on": m.started_on,
            "planned_end": m.planned_end,
            "ended_on": m.ended_on,
            "mentor": _ref(m.mentor.person if m.mentor_id else None, hidden),
            "members": [
                {
                    "mentee_id": member.mentee_id,
                    "person": _ref(member.mentee.person, hidden),
                    "active": member.active,
                }
                for member in m.members.all()
            ],
        }
        for m in rows
    ]


@mentorships.get(ORG + "/mentorships", response=responses(s.MentorshipPage), url_name="mentorships")
def mentorship_list(request: OrgRequest, org_slug: str, filters: Query[BaseFilters]) -> Any:
    """Pairs and groups with their members: every one for those who run the programme, a
    mentor's or a mentee's own otherwise."""
    ctx = org_of(request, Perm.PAIR_WORK)
    found = _filtered(_with_names(workable(ctx, request.user)), filters).order_by(
        "-started_on", "pk"
    )
    page = paginate(found, filters.page, filters.page_size)
    page["results"] = _mentorship_rows(page["results"])
    return page


@mentorships.get(
    ORG + "/mentorships/{mentorship_pk}", response=responses(s.MentorshipOut), url_name="mentorship"
)
def mentorship_detail(request: OrgRequest, org_slug: str, mentorship_pk: int) -> Any:
    ctx = org_of(request, Perm.PAIR_WORK)
    found = _with_names(workable(ctx, request.user))
    return _mentorship_rows([get_object_or_404(found, pk=mentorship_pk)])[0]


class MeetingFilters(Paging):
    mentorship_id: int | None = Field(None, ge=1, le=2**31 - 1)


@mentorships.get(ORG + "/meetings", response=responses(s.MeetingPage), url_name="meetings")
def meeting_list(request: OrgRequest, org_slug: str, filters: Query[MeetingFilters]) -> Any:
    ctx = org_of(request, Perm.PAIR_WORK)
    user = request.user
    # Only what the answer holds: not the pages' `with_feedback`, which brings the authors'
    # accounts and the attendance along.
    feedback = Feedback.objects.only(
        "meeting_id", "side", "rating", "comment", "author_id", "created_at"
    ).order_by("-side", "pk")
    found = (
        meetings_workable(ctx, user)
        .only("mentorship_id", "kind", "starts_at", "duration_minutes", "format", "status")
        .prefetch_related(Prefetch("feedback", queryset=feedback))
    )
    if filters.mentorship_id:
        found = found.filter(mentorship_id=filters.mentorship_id)
    page = paginate(found.order_by("-starts_at", "pk"), filters.page, filters.page_size)
    # The meeting page's rule: ratings are seen by everyone on the pair, a comment only by its
    # author and those who run the programme (a child tells the curator frankly how it goes).
    # `side_of`'s answer for each pair, without loading the pairs: one looks on as a curator
    # unless one is the pair's mentor or one of its mentees (`mentee_of_q`: `roster`'s rule).
    me = set(own_people(ctx, user).values_list("pk", flat=True))
    curator = ctx.can(Perm.MENTORSHIPS_VIEW)
    taking_part = (
        set(
            mentorships_of(ctx)
            .filter(pk__in={m.mentorship_id for m in page["results"]})
            .filter(Q(mentor__person__in=me) | mentee_of_q(me))
            .values_list("pk", flat=True)
        )
        if curator and me and page["results"]
        else set()
    )
    looks_on = {m.mentorship_id for m in page["results"]} - taking_part if curator else set()
    page["results"] = [
        {
            "id": m.pk,
            "mentorship_id": m.mentorship_id,
            "kind": m.kind,
            "starts_at": m.starts_at,
            "duration_minutes": m.duration_minutes,
            "format": m.format,
            "status": m.status,
            "feedback": [
                {
                    "side": f.side,
                    "rating": f.rating,
                    "comment": f.comment
                    if m.mentorship_id in looks_on or f.author_id in me
                    else None,
                    "created_at": f.created_at,
                }
                for f in m.feedback.all()
            ],
        }
        for m in page["results"]
    ]
    return page


@mentorships.get(ORG + "/plan-items", response=responses(s.PlanItemPage), url_name="plan_items")
def plan_item_list(request: OrgRequest, org_slug: str, filters: Query[MeetingFilters]) -> Any:
    ctx = org_of(request, Perm.PAIR_WORK)
    found = PlanItem.objects.for_org(ctx.organisation).filter(
        plan__mentorship__in=workable(ctx, request.user).values("pk")
    )
    if filters.mentorship_id:
        found = found.filter(plan__mentorship_id=filters.mentorship_id)
    return paginate(
        found.select_related("plan").order_by("plan__mentorship_id", "position", "pk"),
        filters.page,
        filters.page_size,
        lambda i: {
            "id": i.pk,
            "mentorship_id": i.plan.mentorship_id,
            "section": i.section,
            "text": i.text,
            "due_on": i.due_on,
            "responsible": i.responsible,
            "status": i.status,
            "result": i.result,
        },
    )


# --- Questionnaire campaigns and their results ---------------------------------------------------


@questionnaires.get(ORG + "/campaigns", response=responses(s.CampaignPage), url_name="campaigns")
def campaign_list(request: OrgRequest, org_slug: str, paging: Query[Paging]) -> Any:
    ctx = org_of(request, Perm.QUESTIONNAIRES_VIEW)
    found = campaigns_of(ctx).annotate(
        invited=Count("invitations", distinct=True),
        answered=Count("responses", distinct=True),
    )
    return paginate(
        found.order_by("-deadline", "-pk"),
        paging.page,
        paging.page_size,
        lambda c: {
            "id": c.pk,
            "programme_id": c.programme_id,
            "title": c.title,
            "audience_label": c.audience_label,
            "anonymous": c.anonymous,
            "phase": c.phase,
            "deadline": c.deadline,
            "closed": c.closed_at is not None,
            "invited": c.invited,
            "answered": c.answered,
        },
    )


@questionnaires.get(
    ORG + "/campaigns/{campaign_pk}/results",
    response=responses(s.ResultsOut),
    url_name="campaign_results",
)
def campaign_result(request: OrgRequest, org_slug: str, campaign_pk: int) -> Any:
    """The results as the results page shows them: an anonymous campaign shows nothing until
    enough people have answered (questionnaires.anonymity)."""
    ctx = org_of(request, Perm.QUESTIONNAIRES_VIEW)
    campaign = campaign_for(ctx, campaign_pk)
    answered = campaign.responses.count()
    withheld = anonymity.withheld(campaign)
    if withheld is not None:
        return {
            "campaign_id": campaign.pk,
            "withheld": True,
            "answered": answered,
            "minimum": withheld.minimum,
            "questions": [],
        }
    questions = [
        {
            "number": r.number,
            "code": r.question.code,
            "text": r.question.text,
            "type": r.question.type,
            "count": r.count,
            "withheld": r.withheld,
            "mean": float(r.mean) if r.mean is not None else None,
            "shares": [
                {"label": x.label, "count": x.count, "percent": x.percent} for x in r.shares
            ],
            "texts": r.texts,
        }
        for r in campaign_results(campaign)
    ]
    return {
        "campaign_id": campaign.pk,
        "withheld": False,
        "answered": answered,
        "minimum": anonymity.minimum() if campaign.anonymous else None,
        "questions": questions,
    }


# --- Indicators --------------------------------------------------------------------------------


def _share(share: Any) -> dict[str, Any]:
    return {"part": share.part, "whole": share.whole, "percent": share.percent}


@indicators.get(ORG + "/coverage", response=responses(list[s.CoverageOut]), url_name="coverage")
def coverage(request: OrgRequest, org_slug: str) -> Any:
    """The share of students and teachers in mentoring, by programme year, with the targets."""
    ctx = org_of(request, Perm.MONITORING_VIEW)
    return [
        {
            "start_year": year.start_year,
            "label": year.label,
            "students": _share(year.coverage.students),
            "teachers": _share(year.coverage.teachers),
            "students_target": year.coverage.students_target,
            "teachers_target": year.coverage.teachers_target,
            "students_met": year.coverage.students_met,
            "teachers_met": year.coverage.teachers_met,
        }
        for year in coverage_by_year(ctx.organisation)
    ]


# --- Orders ------------------------------------------------------------------------------------


def _order(order: Any) -> dict[str, Any]:
    return {
        "id": order.pk,
        "kind": order.kind,
        "number": order.number,
        "date": order.date,
        "title": order.title,
        "status": order.status,
        "signatory_position": order.signatory_position,
        "has_document": bool(order.document),
        "signed_at": order.signed_at,
    }


@orders.get(ORG + "/orders", response=responses(s.OrderPage), url_name="orders")
def order_list(request: OrgRequest, org_slug: str, paging: Query[Paging]) -> Any:
    ctx = org_of(request, Perm.ORDERS_VIEW)
    found = orders_of(ctx).order_by("-date", "-pk")
    return paginate(found, paging.page, paging.page_size, _order)


@orders.get(ORG + "/orders/{order_pk}", response=responses(s.OrderOut), url_name="order")
def order_detail(request: OrgRequest, org_slug: str, order_pk: int) -> Any:
    return _order(order_for(org_of(request, Perm.ORDERS_VIEW), order_pk))


@orders.get(
    ORG + "/orders/{order_pk}/document",
    response={code: schema for code, schema in responses(None).items() if code != 200},
    url_name="order_document",
    openapi_extra={
        "responses": {
            200: {
                "description": "The order as a DOCX file",
                "content": {DOCX: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def order_document(request: OrgRequest, org_slug: str, order_pk: int) -> Any:
    order = order_for(org_of(request, Perm.ORDERS_VIEW), order_pk)
    if not order.document:
        raise Http404
    # A FieldFile is true only with a name.
    assert order.document.name is not None
    return FileResponse(
        default_storage.open(order.document.name),
        as_attachment=True,
        filename=f"order-{order.pk}.docx",
        content_type=DOCX,
    )


# --- A regional operator's aggregates ----------------------------------------------------------


class RegionFilters(Paging):
    municipality_id: int | None = Field(None, ge=1, le=2**31 - 1)


@region.get("/region/organisations", response=responses(s.RegionPage), url_name="region")
def region_organisations(request: HttpRequest, filters: Query[RegionFilters]) -> Any:
    """The organisations of the regions and municipalities the operator covers, each with
    counts only; a count below the small-cell limit comes as null and is named in
    `suppressed`. Nothing about a person."""
    scope = regional.operator_scope(request.user)
    found = scope.organisations() if scope else Organisation.objects.none()
    if filters.municipality_id:
        found = found.filter(municipality_id=filters.municipality_id)
    page = paginate(
        found.select_related("municipality").order_by("municipality__name", "short_name", "pk"),
        filters.page,
        filters.page_size,
    )
    counts = regional.headcounts(page["results"])
    rows = []
    for organisation in page["results"]:
        shown, hidden = regional.suppressed(counts[organisation.pk])
        rows.append(
            {
                "id": organisation.pk,
                "short_name": organisation.short_name,
                "municipality_id": organisation.municipality_id,
                "municipality": str(organisation.municipality),
                **shown,
                "suppressed": hidden,
                "small_cell": MIN_CELL,
            }
        )
    page["results"] = rows
    return page
