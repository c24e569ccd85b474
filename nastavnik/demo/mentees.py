"""The demo mentee base: about forty students in the student forms of the programme, with their
requests in their own words, and a few young teachers in «Учитель – учитель»; most are in the
base, a few candidates wait, one left. The psychologist, the social pedagogue and the class
teachers have added what they know; most mentees have their entry measures of September and
October.

Only people whose data may be used for participation take part (`consents.rules`); the young
teachers sign their own consents here, as new staff do. Rows go in with bulk_create, built to
satisfy the rules `mentees.services` and `assessments.services` check; the history the card
shows comes from audit entries written alongside.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from nastavnik.assessments.builtin import STUDENT_ONLY
from nastavnik.assessments.models import Measure, MeasureSource, Parameter, Phase
from nastavnik.audit.models import AuditAction, AuditChannel, AuditEntry, AuditObject
from nastavnik.catalogue.models import MentoringForm, RoleModel
from nastavnik.catalogue.profile import MeetingFormat, RequestTopic, slot
from nastavnik.consents.models import Consent, Purpose
from nastavnik.consents.rules import valid_consent_q
from nastavnik.demo.consents import ConsentBuilder
from nastavnik.mentees.models import InputSource, Mentee, MenteeInput, MenteeStatus
from nastavnik.mentees.rules import MIN_STUDENT_AGE, NEW_TEACHER_MAX_EXPERIENCE
from nastavnik.people.models import Person, PersonKind
from nastavnik.programmes.models import Programme, ProgrammeForm

SEED = 20250903
STUDENTS = 40
CANDIDATES_WAITING = 5
MEASURED_SHARE = 0.85
FIRST_GRADE = 5

T = RequestTopic

# (topics, request in the mentee's words, subjects), from one table of named fields in
# mentees.toml.
Request = tuple[tuple[str, ...], str, str]


def _read_requests() -> dict[str, Any]:
    tables = tomllib.loads((Path(__file__).parent / "mentees.toml").read_text("utf-8"))

    def request(row: dict[str, Any]) -> Request:
        return (tuple(T(topic) for topic in row["topics"]), row["request"], row.get("subjects", ""))

    return {
        name: request(rows) if isinstance(rows, dict) else [request(row) for row in rows]
        for name, rows in tables.items()
    }


_REQUESTS = _read_requests()
# Grades 5–8 in «Ученик – ученик».
PEER_REQUESTS: list[Request] = _REQUESTS["peer"]
# Grades 8–11 in «Учитель – ученик».
SENIOR_REQUESTS: list[Request] = _REQUESTS["senior"]
MENTEE_REQUEST: Request = _REQUESTS["mentee"]
TEACHER_REQUESTS: list[Request] = _REQUESTS["teacher"]
ASKED_REQUEST: Request = _REQUESTS["asked"]

PSYCHOLOGIST_NOTES = (
    "По результатам диагностики: повышенная тревожность в ситуации проверки знаний, низкая "
    "самооценка. Рекомендую наставника спокойного, поддерживающего.",
    "Трудности в общении со сверстниками, держится обособленно. Нуждается в поддержке при "
    "адаптации в коллективе.",
    "Высокая познавательная мотивация, быстро устаёт от рутины. Лучше работает в проекте.",
    "После перехода из другой школы эмоциональное состояние стабильное, но круг общения узкий.",
)
CLASS_TEACHER_NOTES = (
    "Способный, но пропускает домашние задания; с сентября снизилась успеваемость.",
    "Активно участвует во внеклассных делах, хочет большего, в классе лидер.",
    "Часто болеет, пропуски по уважительной причине; нужна помощь с пропущенными темами.",
    "Родители просят поддержать ребёнка в выборе профиля, сами затрудняются.",
)
SOCIAL_PEDAGOGUE_NOTES = (
    "Семья многодетная, мама одна воспитывает троих детей; ребёнку не хватает взрослого внимания.",
    "Семья недавно переехала в город, ребёнок пока не записан ни в один кружок.",
)
LEFT_REASON = "Семья переехала в другой город, обучающийся переведён в другую школу."

# Typical entry values of mentees asking for help: (low, high) for each scale parameter.
ENTRY_RANGES = {
    "engagement": (3, 7),
    "activity": (3, 7),
    "self_esteem": (3, 7),
    "anxiety": (4, 8),
    "motivation": (3, 8),
    "attendance": (78, 98),
    "competitions": (0, 3),
}


@dataclass
class Seat:
    """What the demo knows of one entry before it goes in."""

    mentee: Mentee
    person: Person
    added_on: date
    accepted_on: date | None = None
    left_on: date | None = None


class MenteeBaseBuilder:
    def __init__(
        self,
        programme: Programme,
        people: list[Person],
        accounts: dict[str, Person],
        today: date,
    ) -> None:
        self.rng = random.Random(f"{SEED}-{programme.organisation.slug}")
        self.programme = programme
        self.organisation = programme.organisation
        self.people = people
        self.accounts = accounts
        self.today = today
        self.zone = ZoneInfo(self.organisation.timezone)
        self.year_start = programme.academic_year.starts_on
        curator = accounts.get("curator")
        specialist = accounts.get("specialist")
        self.curator_user = curator.user if curator is not None else None
        self.specialist = specialist
        self.specialist_user = specialist.user if specialist is not None else None
        self.forms = self._forms()
        self.seats: list[Seat] = []

    # --- helpers ---------------------------------------------------------------------------

    def _forms(self) -> dict[str, tuple[MentoringForm, dict[str, RoleModel]]]:
        chosen = (
            ProgrammeForm.objects.filter(programme=self.programme)
            .select_related("form")
            .prefetch_related("role_models")
        )
        return {c.form.code: (c.form, {m.name: m for m in c.role_models.all()}) for c in chosen}

    def _day(self, start: date, end: date) -> date:
        """A day from `start` to `end`, never after today."""
        end = min(end, self.today)
        start = min(start, end)
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def _moment(self, day: date) -> datetime:
        return datetime.combine(
            day, time(self.rng.randint(8, 17), self.rng.randrange(60)), self.zone
        )

    def _slots(self, evenings: bool = False) -> list[str]:
        days = self.rng.sample(["пн", "вт", "ср", "чт", "пт"], self.rng.randint(2, 3))
        parts = ["вечер"] if evenings else ["день", "день", "вечер"]
        chosen = {slot(day, self.rng.choice(parts)) for day in days}
        if self.rng.random() < 0.2:
            chosen.add(slot("сб", "утро"))
        order = [slot(d, p) for d in ("пн", "вт", "ср", "чт", "пт", "сб") for p in
                 ("утро", "день", "вечер")]  # fmt: skip
        return sorted(chosen, key=order.index)

    def _role_model(self, code: str, *names: str) -> RoleModel | None:
        models = self.forms.get(code, (None, {}))[1]
        return next((models[n] for n in names if n in models), None)

    def _seat(
        self,
        person: Person,
        code: str,
        role_model: RoleModel | None,
        request: tuple[tuple[str, ...], str, str],
        *,
        results: Decimal | None,
        asked: bool = False,
        evenings: bool = False,
    ) -> Seat:
        topics, text, subjects = request
        form = self.forms[code][0] if code in self.forms else None
        added_on = self._day(self.year_start + timedelta(days=3), self.year_start + timedelta(40))
        mentee = Mentee(
            organisation=self.organisation,
            programme=self.programme,
            person=person,
            form=form,
            role_model=role_model,
            topics=list(topics),
            request_text=text,
            subjects=subjects,
            availability=self._slots(evenings),
            meeting_format=self.rng.choice(
                (MeetingFormat.IN_PERSON, MeetingFormat.IN_PERSON, MeetingFormat.BOTH)
            ),
            results=results,
            asked_for_mentor=asked,
            status=MenteeStatus.IN_BASE,
            added_by=self.curator_user,
            created_at=self._moment(added_on),
        )
        seat = Seat(mentee, person, added_on)
        self.seats.append(seat)
        return seat

    def _results(self, low: float = 2.9, high: float = 4.8) -> Decimal:
        return Decimal(str(round(self.rng.uniform(low, high), 2)))

    # --- the base --------------------------------------------------------------------------

    def build(self) -> None:
        usable = set(
            Person.objects.filter(organisation=self.organisation, kind=PersonKind.STUDENT)
            .filter(valid_consent_q(Purpose.PARTICIPATION, on=self.today))
            .values_list("pk", flat=True)
        )
        demo_mentee = self.accounts.get("mentee")
        students = [
            p
            for p in self.people
            if p.kind == PersonKind.STUDENT
            and p.pk in usable
            and p is not demo_mentee
            and (p.age_on(self.today) or 0) >= MIN_STUDENT_AGE
            # The school runs mentoring from the fifth grade (it informed grades 5–11).
            and (p.grade or 0) >= FIRST_GRADE
        ]
        picked = self.rng.sample(students, min(STUDENTS - 1, len(students)))
        picked.sort(key=lambda p: (p.grade or 0, p.name_key))
        for person in picked:
            self._student(person)
        if demo_mentee is not None and demo_mentee.pk in usable:
            self._seat(
                demo_mentee,
                "teacher-student",
                self._role_model("teacher-student", "Коллега – молодой коллега"),
                MENTEE_REQUEST,
                results=Decimal("4.15"),
            )
        self._teachers()
        self._statuses()
        Mentee.objects.bulk_create([seat.mentee for seat in self.seats], batch_size=500)
        self._history()
        self._inputs()
        self._measures()

    def _student(self, person: Person) -> None:
        senior = (person.grade or 0) >= 9 or ((person.grade or 0) == 8 and self.rng.random() < 0.4)
        if senior and "teacher-student" in self.forms:
            request = self.rng.choice(SENIOR_REQUESTS)
            career = T.CAREER in request[0]
            role_model = self._role_model(
                "teacher-student",
                *(
                    ("Активный профессионал – равнодушный потребитель",)
                    if career
                    else ("Коллега – молодой коллега",)
                ),
            )
            self._seat(person, "teacher-student", role_model, request, results=self._results())
            return
        request = self.rng.choice(PEER_REQUESTS)
        topics = request[0]
        if T.SUBJECT in topics:
            results = self._results(2.8, 3.6)
            names: tuple[str, ...] = ("Успевающий – неуспевающий",)
        elif T.COMMUNICATION in topics or T.ADAPTATION in topics:
            results = self._results(3.3, 4.6)
            names = ("Лидер – пассивный",)
        else:
            results = self._results(3.6, 4.9)
            names = ("Равный – равному",)
        role_model = self._role_model("student-student", *names)
        self._seat(person, "student-student", role_model, request, results=results)

    def _teachers(self) -> None:
        """Two young specialists and a teacher who asked for help with digital tools; they sign
        their own consents, as new staff do."""
        if "teacher-teacher" not in self.forms:
            return
        staff = sorted(
            (
                p
                for p in self.people
                if p.kind == PersonKind.STAFF and p.position.startswith("Учитель")
            ),
            key=lambda p: (p.experience_years or 0, p.name_key),
        )
        accounts = {p.pk for p in self.accounts.values() if p is not None}
        young = [
            p
            for p in staff
            if (p.experience_years or 0) < NEW_TEACHER_MAX_EXPERIENCE and p.pk not in accounts
        ][:2]
        seasoned = [p for p in staff if (p.experience_years or 0) >= 10 and p.pk not in accounts]
        asked = seasoned[len(seasoned) // 2 : len(seasoned) // 2 + 1]
        builder = ConsentBuilder(self.organisation, self.today, self.curator_user)
        for person in [*young, *asked]:
            builder.give(
                person, person, (Purpose.PROCESSING, Purpose.PARTICIPATION), electronic=False
            )
        Consent.objects.bulk_create(builder.rows)
        for person, request in zip(young, TEACHER_REQUESTS, strict=False):
            self._seat(
                person,
                "teacher-teacher",
                self._role_model("teacher-teacher", "Опытный педагог – молодой специалист"),
                request,
                results=None,
                evenings=True,
            )
        for person in asked:
            self._seat(
                person,
                "teacher-teacher",
                self._role_model("teacher-teacher", "Педагог-новатор – консервативный педагог"),
                ASKED_REQUEST,
                results=None,
                asked=True,
                evenings=True,
            )

    def _statuses(self) -> None:
        """Most are in the base; the latest few candidates wait (one without a form yet); one
        student left in October."""
        demo_mentee = self.accounts.get("mentee")
        students = [s for s in self.seats if s.person.kind == PersonKind.STUDENT]
        by_date = sorted(students, key=lambda s: (s.added_on, s.person.pk))
        waiting = [s for s in reversed(by_date) if s.person is not demo_mentee][:CANDIDATES_WAITING]
        for number, seat in enumerate(waiting):
            seat.mentee.status = MenteeStatus.CANDIDATE
            if number == 0:
                seat.mentee.form = None
                seat.mentee.role_model = None
        waiting_ids = {id(s) for s in waiting}
        for seat in self.seats:
            if id(seat) not in waiting_ids:
                seat.accepted_on = self._day(seat.added_on, seat.added_on + timedelta(days=10))
        leaving = next(
            s for s in by_date if id(s) not in waiting_ids and s.person is not demo_mentee
        )
        leaving.mentee.status = MenteeStatus.LEFT
        leaving.mentee.left_reason = LEFT_REASON
        leaving.left_on = self._day(
            (leaving.accepted_on or leaving.added_on) + timedelta(days=7),
            self.year_start + timedelta(days=60),
        )

    def _audit(
        self, seat: Seat, at: date | datetime, changes: dict[str, list[object]], action: str
    ) -> AuditEntry:
        user = self.curator_user
        return AuditEntry(
            organisation=self.organisation,
            at=at if isinstance(at, datetime) else self._moment(at),
            actor=user,
            actor_label=(user.get_full_name() or user.email) if user else "",
            channel=AuditChannel.WEB if user else AuditChannel.SYSTEM,
            action=action,
            object_type=AuditObject.MENTEE,
            object_id=seat.mentee.pk,
            object_label=seat.person.full_name,
            person=seat.person,
            changes=changes,
        )

    def _history(self) -> None:
        entries = []
        for seat in self.seats:
            created = seat.mentee.created_at
            entries.append(
                self._audit(
                    seat,
                    seat.mentee.created_at,
                    {"status": [None, "candidate"]},
                    AuditAction.CREATE,
                )
            )
            if seat.accepted_on is not None:
                entries.append(
                    self._audit(
                        seat,
                        # Never before the entry was made, even on the same day.
                        max(self._moment(seat.accepted_on), created + timedelta(hours=1)),
                        {"status": ["candidate", "in_base"]},
                        AuditAction.UPDATE,
                    )
                )
            if seat.left_on is not None:
                entries.append(
                    self._audit(
                        seat,
                        seat.left_on,
                        {"status": ["in_base", "left"], "left_reason": ["", LEFT_REASON]},
                        AuditAction.UPDATE,
                    )
                )
        AuditEntry.objects.bulk_create(entries, batch_size=500)

    def _class_teachers(self) -> dict[str, Person]:
        teachers = {}
        for person in self.people:
            if person.kind == PersonKind.STAFF and "Классный руководитель" in person.notes:
                class_name = person.notes.rsplit("Классный руководитель", 1)[1].strip(" .")
                teachers[class_name] = person
        return teachers

    def _inputs(self) -> None:
        class_teachers = self._class_teachers()
        social = next(
            (
                p
                for p in self.people
                if p.kind == PersonKind.STAFF and p.position == "Социальный педагог"
            ),
            None,
        )
        students = [s for s in self.seats if s.person.kind == PersonKind.STUDENT]
        notes: list[MenteeInput] = []

        def note(seat: Seat, source: str, author: Person, role: str, text: str) -> None:
            user = author.user if author is self.specialist else None
            day = self._day(seat.added_on, seat.added_on + timedelta(days=21))
            notes.append(
                MenteeInput(
                    organisation=self.organisation,
                    mentee=seat.mentee,
                    author=user,
                    author_name=author.full_name,
                    author_role=role,
                    source=source,
                    text=text,
                    created_at=self._moment(day),
                )
            )

        for number, seat in enumerate(students):
            if self.specialist is not None and number % 4 == 0:
                note(
                    seat,
                    InputSource.PSYCHOLOGIST,
                    self.specialist,
                    self.specialist.position,
                    PSYCHOLOGIST_NOTES[number // 4 % len(PSYCHOLOGIST_NOTES)],
                )
            teacher = class_teachers.get(seat.person.class_name)
            if teacher is not None and number % 3 == 1:
                note(
                    seat,
                    InputSource.CLASS_TEACHER,
                    teacher,
                    f"Классный руководитель {seat.person.class_name}",
                    CLASS_TEACHER_NOTES[number // 3 % len(CLASS_TEACHER_NOTES)],
                )
            if social is not None and number % 13 == 5:
                note(
                    seat,
                    InputSource.SOCIAL_PEDAGOGUE,
                    social,
                    social.position,
                    SOCIAL_PEDAGOGUE_NOTES[number // 13 % len(SOCIAL_PEDAGOGUE_NOTES)],
                )
        MenteeInput.objects.bulk_create(notes, batch_size=500)

    def _measures(self) -> None:
        """Entry measures for most of those in the base, taken in September and October."""
        parameters = list(Parameter.objects.filter(organisation__isnull=True))
        recorder = self.specialist_user or self.curator_user
        rows = []
        for seat in self.seats:
            if seat.mentee.status == MenteeStatus.CANDIDATE or seat.accepted_on is None:
                continue
            if self.rng.random() > MEASURED_SHARE and seat.person is not self.accounts.get(
                "mentee"
            ):
                continue
            day = self._day(seat.accepted_on, self.year_start + timedelta(days=60))
            student = seat.person.kind == PersonKind.STUDENT
            for parameter in parameters:
                if parameter.code in STUDENT_ONLY and not student:
                    continue
                if parameter.code == "academic_results":
                    if seat.mentee.results is None:
                        continue
                    value = seat.mentee.results
                else:
                    low, high = ENTRY_RANGES[parameter.code]
                    value = Decimal(self.rng.randint(low, high))
                rows.append(
                    Measure(
                        organisation=self.organisation,
                        programme=self.programme,
                        person=seat.person,
                        parameter=parameter,
                        phase=Phase.ENTRY,
                        value=value,
                        measured_on=day,
                        source=MeasureSource.MANUAL,
                        recorded_by=recorder,
                    )
                )
        Measure.objects.bulk_create(rows, batch_size=500)


def build_mentee_base(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    MenteeBaseBuilder(programme, people, accounts, today).build()
