"""What the API answers and accepts. Fields a reader's roles may not see come as null."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from nastavnik.api.base import Out, page_schema
from nastavnik.people.validators import GRADE_MAX, GRADE_MIN

PersonKindName = Literal["student", "staff", "parent", "graduate", "external"]
GenderName = Literal["m", "f"]
ImportKindName = Literal["student", "staff", "parent"]


class PersonOut(Out):
    id: int
    kind: str
    last_name: str
    first_name: str
    middle_name: str
    gender: str
    # Null when the reader's roles may not see the group (orgs.policy.PERSON_FIELDS).
    birth_date: date | None = None
    email: str | None = None
    phone: str | None = None
    grade: int | None = None
    class_letter: str | None = None
    position: str | None = None
    subjects: str | None = None
    experience_years: int | None = None
    graduation_year: int | None = None
    workplace: str | None = None
    external_category: str | None = None
    notes: str | None = None
    has_account: bool
    updated_at: datetime


class PersonIn(Schema):
    kind: PersonKindName
    last_name: str = Field(min_length=1, max_length=80)
    first_name: str = Field(min_length=1, max_length=80)
    middle_name: str = Field("", max_length=80)
    gender: GenderName
    birth_date: date | None = None
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    grade: int | None = Field(None, ge=GRADE_MIN, le=GRADE_MAX)
    class_letter: str = Field("", max_length=2)
    position: str = Field("", max_length=120)
    subjects: str = Field("", max_length=300)
    experience_years: int | None = Field(None, ge=0, le=32767)
    graduation_year: int | None = Field(None, ge=0, le=32767)
    external_category: str = Field("", max_length=24)
    workplace: str = Field("", max_length=200)
    notes: str = Field("", max_length=10000)


class PersonPatch(Schema):
    kind: PersonKindName | None = None
    last_name: str | None = Field(None, min_length=1, max_length=80)
    first_name: str | None = Field(None, min_length=1, max_length=80)
    middle_name: str | None = Field(None, max_length=80)
    gender: GenderName | None = None
    birth_date: date | None = None
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    grade: int | None = Field(None, ge=GRADE_MIN, le=GRADE_MAX)
    class_letter: str | None = Field(None, max_length=2)
    position: str | None = Field(None, max_length=120)
    subjects: str | None = Field(None, max_length=300)
    experience_years: int | None = Field(None, ge=0, le=32767)
    graduation_year: int | None = Field(None, ge=0, le=32767)
    external_category: str | None = Field(None, max_length=24)
    workplace: str | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=10000)


class PersonRef(Out):
    id: int
    # Null when the person's data are hidden after a withdrawn consent.
    name: str | None


class MenteeOut(Out):
    id: int
    programme_id: int
    person: PersonRef
    status: str
    topics: list[Any]
    subjects: str
    meeting_format: str
    asked_for_mentor: bool
    support_needed: bool
    created_at: datetime


class MentorOut(Out):
    id: int
    programme_id: int
    person: PersonRef
    category: str
    status: str
    subjects: str
    experience_years: int | None
    capacity: int | None
    leads_group: bool
    meeting_format: str


class MemberOut(Out):
    mentee_id: int
    person: PersonRef
    active: bool


class MentorshipOut(Out):
    id: int
    programme_id: int
    is_group: bool
    status: str
    started_on: date
    planned_end: date
    ended_on: date | None
    mentor: PersonRef | None
    members: list[MemberOut]


class FeedbackOut(Out):
    side: str
    rating: int
    # Null for whoever may not read it: only its author and those who run the programme do.
    comment: str | None
    created_at: datetime


class MeetingOut(Out):
    id: int
    mentorship_id: int
    kind: str
    starts_at: datetime
    duration_minutes: int
    format: str
    status: str
    feedback: list[FeedbackOut]


class PlanItemOut(Out):
    id: int
    mentorship_id: int
    section: str
    text: str
    due_on: date | None
    responsible: str
    status: str
    result: str


class CampaignOut(Out):
    id: int
    programme_id: int
    title: str
    audience_label: str
    anonymous: bool
    phase: str
    deadline: date
    closed: bool
    invited: int
    answered: int


class ShareOut(Out):
    label: str
    count: int
    percent: int


class QuestionResultOut(Out):
    number: int
    code: str
    text: str
    type: str
    count: int
    withheld: bool
    mean: float | None
    shares: list[ShareOut]
    texts: list[str]


class ResultsOut(Out):
    campaign_id: int
    # Anonymous campaigns below the minimum of answers show nothing (questionnaires.anonymity).
    withheld: bool
    answered: int
    minimum: int | None
    questions: list[QuestionResultOut]


class ShareFigure(Out):
    part: int
    whole: int
    percent: float | None


class CoverageOut(Out):
    start_year: int
    label: str
    students: ShareFigure
    teachers: ShareFigure
    students_target: int | None
    teachers_target: int | None
    students_met: bool | None
    teachers_met: bool | None


class OrderOut(Out):
    id: int
    kind: str
    number: str
    date: date
    title: str
    status: str
    signatory_position: str
    has_document: bool
    signed_at: datetime | None


class ImportJobOut(Out):
    id: int
    kind: str
    status: str
    file_name: str
    rows_total: int
    rows_done: int
    mapping: dict[str, str]
    preview: dict[str, Any]
    result: dict[str, Any]
    created_at: datetime
    finished_at: datetime | None


class RegionOrganisationOut(Out):
    id: int
    short_name: str
    municipality_id: int
    municipality: str
    # Null when the count is above zero but below `small_cell` (named in `suppressed`).
    students: int | None
    staff: int | None
    mentees: int | None
    mentors: int | None
    active_pairs: int | None
    suppressed: list[str]
    small_cell: int


class ConfirmIn(Schema):
    skip_invalid: bool = False


PersonPage = page_schema(PersonOut, "PersonPage")
MenteePage = page_schema(MenteeOut, "MenteePage")
MentorPage = page_schema(MentorOut, "MentorPage")
MentorshipPage = page_schema(MentorshipOut, "MentorshipPage")
MeetingPage = page_schema(MeetingOut, "MeetingPage")
PlanItemPage = page_schema(PlanItemOut, "PlanItemPage")
CampaignPage = page_schema(CampaignOut, "CampaignPage")
OrderPage = page_schema(OrderOut, "OrderPage")
ImportJobPage = page_schema(ImportJobOut, "ImportJobPage")
RegionPage = page_schema(RegionOrganisationOut, "RegionPage")
