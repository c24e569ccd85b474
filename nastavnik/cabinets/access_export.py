"""The right of access (152-ФЗ art. 14): everything the system holds about one person, as one
XLSX workbook with a sheet per area, for the person themself or a guardian of that child.

What goes in, and what does not:
- the registry card, the programme entries (mentee and mentor bases), the consents with their
  withdrawal, the pairs and groups with the person's role and dates, the meetings of those
  pairs (for a mentee: whether they came; for a mentor: they led them), the plans' items,
  the person's own feedback on meetings, the entry and exit measures;
- questionnaire answers only where the response carries the person: an anonymous campaign
  stores no link to anyone, and none is made here;
- third-party input on a mentee (class teacher, psychologist, parent) IS included: it is
  information about the person that others act on, and art. 14 gives no exemption for it.
  The author's name is left out (the role stays): it is the author's personal data, and
  art. 14 part 8 item 4 lets access be limited where it touches a third person's rights;
- a mentor candidate's commission scores and interviews are theirs too (the scores, the
  comments, the dates), again without the names of the members and interviewers;
- other mentees of a group are never named: their participation is their own data.

Every text cell goes through the project's spreadsheet-safe cell (`people.transfer.export`),
so a name or note typed as «=HYPERLINK(…)» stays text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from nastavnik.assessments.models import Measure
from nastavnik.concerns.models import Concern
from nastavnik.consents.models import Consent
from nastavnik.documents.render import document_bytes, typeset
from nastavnik.documents.spreadsheet import table_sheet, workbook_bytes
from nastavnik.meetings.models import Attendance as MeetingAttendance
from nastavnik.meetings.models import Feedback, Meeting
from nastavnik.mentees.models import Mentee, MenteeInput
from nastavnik.mentors.models import Interview, Mentor, MentorDocument, SelectionScore
from nastavnik.mentorships.models import MentorAssignment, Mentorship, MentorshipMentee
from nastavnik.people.models import GuardianLink, Person
from nastavnik.plans.models import PlanItem
from nastavnik.questionnaires.exports import _cell_value as answer_text
from nastavnik.questionnaires.models import Answer, QuestionType


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def _came(flag: bool) -> str:
    return _("came") if flag else _("did not come")


def _day(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def _moment(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M") if moment else ""


def _person_sheet(person: Person) -> Sheet:
    guardians = GuardianLink.objects.filter(child=person).select_related("guardian")
    children = GuardianLink.objects.filter(guardian=person).select_related("child")
    rows: list[list[Any]] = [
        [_("Category"), person.get_kind_display()],
        [_("Last name"), person.last_name],
        [_("First name"), person.first_name],
        [_("Patronymic"), person.middle_name],
        [_("Gender"), person.get_gender_display()],
        [_("Birth date"), person.birth_date],
        [_("Class"), person.class_name],
        [_("Position"), person.position],
        [_("Subjects"), person.subjects],
        [_("Years of experience"), person.experience_years],
        [_("Graduation year"), person.graduation_year],
        [_("External category"), person.get_external_category_display()],
        [_("Place of work or study"), person.workplace],
        [_("E-mail"), person.email],
        [_("Phone"), person.phone],
        [_("Notes"), person.notes],
        [_("Legal guardians"), "; ".join(link.guardian.full_name for link in guardians)],
        [_("Children"), "; ".join(link.child.full_name for link in children)],
        [_("In the registry since"), _day(person.created_at)],
    ]
    return Sheet(_("Personal data"), [_("Field"), _("Value")], rows)


def _entries_sheet(person: Person) -> Sheet:
    sheet = Sheet(
        _("Programme entries"),
        [
            _("Programme"),
            _("Role"),
            _("Status"),
            _("Requests or strengths"),
            _("In own words"),
            _("Decision"),
        ],
    )
    for mentee in (
        Mentee.objects.filter(person=person)
        .select_related("programme__academic_year")
        .order_by("created_at", "pk")
    ):
        sheet.rows.append(
            [
                str(mentee.programme),
                _("Mentee"),
                mentee.get_status_display(),
                "; ".join(mentee.topic_labels),
                mentee.request_text,
                mentee.left_reason,
            ]
        )
    for mentor in (
        Mentor.objects.filter(person=person)
        .select_related("programme__academic_year")
        .order_by("created_at", "pk")
    ):
        sheet.rows.append(
            [
                str(mentor.programme),
                _("Mentor"),
                mentor.get_status_display(),
                mentor.competencies,
                mentor.motivation,
                mentor.decision_note,
            ]
        )
    return sheet


def _consents_sheet(person: Person, today: date) -> Sheet:
    sheet = Sheet(
        _("Consents"),
        [
            _("Purpose"),
            _("Given by"),
            _("Given on"),
            _("Valid until"),
            _("How given"),
            _("State"),
            _("Withdrawn at"),
            _("Reason for withdrawal"),
        ],
    )
    for consent in (
        Consent.objects.filter(subject=person).select_related("given_by").order_by("given_on", "pk")
    ):
        sheet.rows.append(
            [
                consent.get_purpose_display(),
                consent.given_by.full_name if consent.given_by else "",
                consent.given_on,
                consent.valid_until,
                consent.get_method_display(),
                consent.status_on(today).label,
                _moment(consent.withdrawn_at),
                consent.withdrawal_reason,
            ]
        )
    return sheet


@dataclass
class Part:
    """The person's part in the pairs and groups: as a mentee (the memberships) and as a
    mentor (the periods of their assignments: a replaced mentor keeps the pair they led)."""

    pairs: list[Mentorship]
    memberships: dict[int, MentorshipMentee]
    periods: dict[int, list[tuple[date, date | None]]]

    def role(self, mentorship: Mentorship) -> str:
        return _("Mentee") if mentorship.pk in self.memberships else _("Mentor")

    def led(self, mentorship: Mentorship, day: date) -> bool:
        """Whether the person was the mentor of `mentorship` on `day`."""
        return any(
            start <= day and (end is None or day <= end)
            for start, end in self.periods.get(mentorship.pk, [])
        )

    def own_part(self, mentorship: Mentorship) -> str:
        member = self.memberships.get(mentorship.pk)
        if member is not None:
            return "" if member.active else _("left the group")
        return "; ".join(
            _("from %(start)s to %(end)s") % {"start": _text(start), "end": _text(end) or "…"}
            for start, end in self.periods.get(mentorship.pk, [])
        )


def _part_of(person: Person) -> Part:
    memberships = {
        m.mentorship_id: m
        for m in MentorshipMentee.objects.filter(mentee__person=person).order_by("pk")
    }
    periods: dict[int, list[tuple[date, date | None]]] = {}
    for assignment in MentorAssignment.objects.filter(mentor__person=person).order_by(
        "assigned_on", "pk"
    ):
        periods.setdefault(assignment.mentorship_id, []).append(
            (assignment.assigned_on, assignment.released_on)
        )
    # A pair made without an assignment row: its current mentor led it all along.
    for mentorship in Mentorship.objects.filter(mentor__person=person).exclude(pk__in=periods):
        periods[mentorship.pk] = [(mentorship.started_on, mentorship.ended_on)]
    pairs = list(
        Mentorship.objects.filter(pk__in=[*memberships, *periods])
        .select_related("programme__academic_year", "form", "mentor__person")
        .order_by("started_on", "pk")
    )
    return Part(pairs, memberships, periods)


def _pairs_sheet(part: Part) -> Sheet:
    sheet = Sheet(
        _("Pairs and groups"),
        [
            _("Programme"),
            _("Form"),
            _("Pair or group"),
            _("Role"),
            _("Mentor"),
            _("Started on"),
            _("Planned end"),
            _("Ended on"),
            _("Status"),
            _("Reason for ending"),
            _("Own part"),
        ],
    )
    for pair in part.pairs:
        sheet.rows.append(
            [
                str(pair.programme),
                pair.form.name if pair.form else "",
                _("group") if pair.is_group else _("pair"),
                part.role(pair),
                pair.mentor.person.full_name,
                pair.started_on,
                pair.planned_end,
                pair.ended_on,
                pair.get_status_display(),
                pair.end_reason,
                part.own_part(pair),
            ]
        )
    return sheet


def _meetings_sheet(person: Person, part: Part) -> Sheet:
    """The held meetings the person took part in: a mentee's with whether they came, a
    mentor's those held while they led the pair; planned and cancelled ones are not."""
    sheet = Sheet(
        _("Meetings"),
        [
            _("Date"),
            _("Kind"),
            _("Format"),
            _("Role"),
            _("Was present"),
            _("Own rating"),
            _("Own comment"),
        ],
    )
    by_pk = {pair.pk: pair for pair in part.pairs}
    came = set(
        MeetingAttendance.objects.filter(member__in=part.memberships.values()).values_list(
            "meeting_id", flat=True
        )
    )
    feedback = {f.meeting_id: f for f in Feedback.objects.filter(author=person)}
    for meeting in Meeting.objects.filter(mentorship__in=list(by_pk), status="held").order_by(
        "starts_at", "pk"
    ):
        pair = by_pk[meeting.mentorship_id]
        as_mentee = pair.pk in part.memberships
        if not as_mentee and not part.led(pair, _day(meeting.starts_at)):  # type: ignore[arg-type]
            continue
        own = feedback.get(meeting.pk)
        sheet.rows.append(
            [
                _moment(meeting.starts_at),
                meeting.get_kind_display(),
                meeting.get_format_display(),
                part.role(pair),
                _came(meeting.pk in came) if as_mentee else _("led the meeting"),
                own.rating if own else None,
                own.comment if own else "",
            ]
        )
    return sheet


def _plans_sheet(part: Part) -> Sheet:
    sheet = Sheet(
        _("Plans"),
        [
            _("Mentor"),
            _("Section"),
            _("Content"),
            _("Due on"),
            _("Responsible"),
            _("Status"),
            _("Result"),
        ],
    )
    by_pk = {pair.pk: pair for pair in part.pairs}
    for item in PlanItem.objects.filter(plan__mentorship__in=list(by_pk)).order_by(
        "plan__mentorship__started_on", "plan", "position", "pk"
    ):
        sheet.rows.append(
            [
                by_pk[item.plan.mentorship_id].mentor.person.full_name,
                item.get_section_display(),
                item.text,
                item.due_on,
                item.get_responsible_display(),
                item.get_status_display(),
                item.result,
            ]
        )
    return sheet


def _answers_sheet(person: Person) -> Sheet:
    """Answers of responses that carry the person, in campaigns that are not anonymous. An
    anonymous response has no person by construction; the campaign check is a second lock."""
    sheet = Sheet(
        _("Questionnaires"),
        [_("Questionnaire"), _("Submitted on"), _("Question"), _("Answer")],
    )
    answers = list(
        Answer.objects.filter(response__person=person, response__campaign__anonymous=False)
        .select_related("response__campaign", "question")
        .order_by("response__submitted_on", "response", "question__position", "pk")
    )
    ranked = {
        int(pk)
        for answer in answers
        if answer.question.type == QuestionType.RANKING
        for pk in answer.value or []
    }
    names = {p.pk: p.full_name for p in Person.objects.filter(pk__in=ranked)}
    for answer in answers:
        value = answer_text(answer.question, answer.value, names)
        sheet.rows.append(
            [
                answer.response.campaign.title,
                answer.response.submitted_on,
                answer.question.text,
                "; ".join(map(str, value)) if isinstance(value, list) else value,
            ]
        )
    return sheet


def _measures_sheet(person: Person) -> Sheet:
    sheet = Sheet(
        _("Measures"),
        [_("Programme"), _("Parameter"), _("Phase"), _("Value"), _("Measured on")],
    )
    for measure in (
        Measure.objects.filter(person=person)
        .select_related("programme__academic_year", "parameter")
        .order_by("measured_on", "pk")
    ):
        sheet.rows.append(
            [
                str(measure.programme),
                measure.parameter.name,
                measure.get_phase_display(),
                measure.value,
                measure.measured_on,
            ]
        )
    return sheet


def _inputs_sheet(person: Person) -> Sheet:
    sheet = Sheet(_("Input of specialists"), [_("Date"), _("Source"), _("Role"), _("Text")])
    for note in MenteeInput.objects.filter(mentee__person=person).order_by("created_at", "pk"):
        sheet.rows.append(
            [_day(note.created_at), note.get_source_display(), note.author_role, note.text]
        )
    return sheet


def _selection_sheet(person: Person) -> Sheet:
    """A candidate's scores by the commission and interviews, without the members' names."""
    sheet = Sheet(
        _("Mentor selection"),
        [_("Programme"), _("Kind of record"), _("Date"), _("Total score"), _("Comment")],
    )
    for score in (
        SelectionScore.objects.filter(mentor__person=person)
        .select_related("mentor__programme__academic_year")
        .order_by("created_at", "pk")
    ):
        sheet.rows.append(
            [
                str(score.mentor.programme),
                _("Score of a commission member"),
                _day(score.created_at),
                score.total,
                score.note,
            ]
        )
    for interview in (
        Interview.objects.filter(mentor__person=person)
        .select_related("mentor__programme__academic_year")
        .order_by("held_on", "pk")
    ):
        sheet.rows.append(
            [
                str(interview.mentor.programme),
                _("Interview"),
                interview.held_on,
                None,
                interview.notes,
            ]
        )
    return sheet


def _documents_sheet(person: Person) -> Sheet:
    """A mentor's documents (the certificate of no criminal record and the like); the scans
    themselves stay with the curator, the register of them is the person's data."""
    sheet = Sheet(
        _("Mentor's documents"), [_("Document"), _("Number"), _("Issued on"), _("Valid until")]
    )
    for document in MentorDocument.objects.filter(person=person).order_by("issued_on", "pk"):
        sheet.rows.append(
            [document.get_kind_display(), document.number, document.issued_on, document.valid_until]
        )
    return sheet


def _concerns_sheet(person: Person) -> Sheet:
    """Concerns the person raised, or a guardian raised for them, with the answer they were
    given. Concerns *about* the person stay out: the channel never shows a concern to the one it
    is about, and the reporter's words are a third person's data (152-ФЗ art. 14 part 8 item 4).
    The curator's internal note stays out too."""
    sheet = Sheet(
        _("Concerns raised"), [_("Date"), _("Topic"), _("Status"), _("What happened"), _("Answer")]
    )
    raised = Concern.objects.filter(Q(reporter=person) | Q(child=person)).order_by(
        "created_at", "pk"
    )
    for concern in raised:
        sheet.rows.append(
            [
                _day(concern.created_at),
                concern.get_topic_display(),
                concern.get_status_display(),
                concern.text,
                concern.answer,
            ]
        )
    return sheet


def person_data(person: Person, today: date) -> list[Sheet]:
    """Every area of what the system holds about `person`, a sheet each."""
    part = _part_of(person)
    return [
        _person_sheet(person),
        _entries_sheet(person),
        _consents_sheet(person, today),
        _pairs_sheet(part),
        _meetings_sheet(person, part),
        _plans_sheet(part),
        _answers_sheet(person),
        _measures_sheet(person),
        _inputs_sheet(person),
        _selection_sheet(person),
        _documents_sheet(person),
        _concerns_sheet(person),
    ]


def _plain(value: Any) -> Any:
    """A value openpyxl writes: lazy translations (choice labels) as their text, and text
    without the control characters XML cannot hold (a pasted note may carry them)."""
    if value is None or isinstance(value, int | Decimal | date):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def sheets_xlsx(sheets: Iterable[Sheet]) -> bytes:
    workbook = Workbook(write_only=True)
    for area in sheets:
        table_sheet(
            workbook,
            area.title,
            area.headers,
            ([_plain(value) for value in row] for row in area.rows),
            widths=[max(14, len(title) + 4) for title in area.headers],
        )
    return workbook_bytes(workbook)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return number_format(value.normalize())
    return str(_plain(value))


def sheets_docx(title: str, sheets: Iterable[Sheet]) -> bytes:
    """The same areas as a landscape document, a table each: the source of the PDF (made by
    LibreOffice Writer, as every PDF of the project is)."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(12)
    section.top_margin = section.bottom_margin = Mm(12)
    document.styles["Normal"].font.size = Pt(9)
    document.add_heading(title, level=1)
    for area in sheets:
        document.add_heading(area.title, level=2)
        if not area.rows:
            document.add_paragraph(_("Nothing is held."))
            continue
        table = document.add_table(rows=1, cols=len(area.headers))
        table.style = "Table Grid"
        for cell, header in zip(table.rows[0].cells, area.headers, strict=True):
            cell.paragraphs[0].add_run(header).bold = True
        for row in area.rows:
            for cell, value in zip(table.add_row().cells, row, strict=True):
                cell.text = _text(value)
    return typeset(document_bytes(document))
