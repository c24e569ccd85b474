"""The previous programme year, closed: its programme approved by a signed order with every
roadmap event done, the mentor and mentee bases of that year, four confirmed matching runs of
the two strategies, 22 pairs and a group that worked from the autumn and completed in May (two
early, by signed orders), entry and exit measures, two rounds of satisfaction surveys and the
curator's conformity questionnaire — so that completion, monitoring (stages 1 and 2), awards,
cases and the coverage charts have a whole year of real data.

People are those of the school today, a year younger: last year's fifth to tenth graders are
this year's sixth to eleventh. Each matching run is computed by the engine from the bases as
they were on its day (`build_inputs`, `run_compute`: the scores, ranks and explanations are
the engine's), and its proposals become the pairs, created and completed through the services
(their audit, mentee statuses and early-completion orders are the real ones); the bases,
measures, consents and answers go in with bulk_create from data that keep the rules the
services check, and the approval order is written signed, without rendering its document.
Deterministic: one fixed seed.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F
from django.utils import translation

from nastavnik.assessments.builtin import STUDENT_ONLY
from nastavnik.assessments.models import Measure, MeasureSource, Parameter, Phase
from nastavnik.audit.models import AuditAction, AuditEntry, AuditObject
from nastavnik.catalogue.models import MentoringForm, MentoringKind, RoleModel
from nastavnik.catalogue.profile import SLOT_CHOICES, MeetingFormat
from nastavnik.consents.models import Consent, Method, Purpose
from nastavnik.consents.rules import hidden_q, signing_for, valid_consent_q
from nastavnik.consents.services import default_valid_until
from nastavnik.core.text import fold
from nastavnik.core.uploads import PDF, scan_name
from nastavnik.demo import last_year_texts as texts
from nastavnik.demo.consents import _authority, own_paper_consent
from nastavnik.demo.mentees import ENTRY_RANGES
from nastavnik.demo.mentors import PROFILES
from nastavnik.demo.programme import NOTES, _scan
from nastavnik.matching.compute import run_compute
from nastavnik.matching.models import (
    MatchingMode,
    MatchingRun,
    Proposal,
    ProposingSide,
    RunStatus,
    UnmatchedMentee,
)
from nastavnik.matching.profiles import build_inputs
from nastavnik.matching_engine.model import CRITERIA, Weights
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentees.rules import eligibility
from nastavnik.mentors.models import Mentor, MentorStatus
from nastavnik.mentors.rules import category_for
from nastavnik.mentorships.models import MentorAssignment, Mentorship, MentorshipMentee
from nastavnik.mentorships.services import (
    NewMember,
    OrderDetails,
    default_planned_end,
    mentorship_complete,
    mentorship_complete_early,
    mentorship_create,
    mentorship_results_save,
)
from nastavnik.orders.kinds import OrderKind
from nastavnik.orders.models import Order, OrderStatus, OrderSubject
from nastavnik.orders.services import order_sign
from nastavnik.orgs.models import AcademicYear
from nastavnik.people.models import GuardianLink, Person, PersonKind
from nastavnik.programmes import services as programme_services
from nastavnik.programmes.models import (
    Programme,
    ProgrammeRoleModel,
    ProgrammeStatus,
    RoadmapEvent,
    SocialPartner,
)
from nastavnik.questionnaires import builtin
from nastavnik.questionnaires.codes import new_token
from nastavnik.questionnaires.models import (
    Answer,
    Campaign,
    Channel,
    Invitation,
    Questionnaire,
    QuestionType,
    Response,
    hash_secret,
)

logger = logging.getLogger(__name__)

SEED = 20250910
SLOTS = [value for value, _label in SLOT_CHOICES]

# How many of each: «Учитель – ученик» is the largest form, so that the paired test of stage 2
# has enough participants in it (12 pairs and the Robokvantum group of nine: 21 mentees).
TEACHER_STUDENT_PAIRS = 12
TEACHER_STUDENT_MENTORS = 8
SECOND_RUN_PAIRS = 4  # formed in November, stable by the preferences after the group meeting
STUDENT_STUDENT_PAIRS = 6
TEACHER_TEACHER_PAIRS = 4
GROUP_SIZE = 9

# (who answered, share of the invited) per round of the satisfaction surveys.
ANSWER_SHARE = {"december": (0.85, 0.75), "may": (0.95, 0.88)}
# How a participant's year went, by the strategy that formed the pair: most improve a little.
OUTCOMES = ("up", "same", "down")
OUTCOME_WEIGHTS: dict[str, tuple[int, int, int]] = {
    MatchingMode.OPTIMAL: (68, 20, 12),
    MatchingMode.STABLE: (78, 14, 8),
}

# The rating items, as (December, May) offsets from a respondent's own level: group meetings
# and the organisation of meetings are the weak items; most items rose by May, group meetings
# fell (fewer of them in the spring, before the exams).
MENTOR_ITEMS = {
    "effectiveness": (-0.5, 0.2),
    "comfort": (-0.6, 0.4),
    "personal_meetings": (-0.2, 0.3),
    "group_meetings": (-0.6, -1.4),
    "curator_support": (0.3, 0.4),
    "clarity": (-0.9, 0.1),
    "training": (-0.8, -0.7),
    "organisation": (-0.8, -1.1),
    "expectations": (-0.4, 0.0),
    "mentee_progress": (-1.2, 0.2),
}
MENTEE_ITEMS = {
    "effectiveness": (-0.4, 0.3),
    "comfort": (-0.7, 0.5),
    "personal_meetings": (-0.1, 0.4),
    "group_meetings": (-0.5, -1.3),
    "support": (0.2, 0.5),
    "clarity": (-0.9, 0.0),
    "organisation": (-0.7, -1.0),
    "expectations": (-0.3, 0.1),
    "progress": (-1.1, 0.1),
}


@dataclass
class Pair:
    mentor: Mentor
    mentees: list[Mentee]
    form: str
    result: texts.Result
    run: str
    early_reason: str = ""
    mentorship: Mentorship | None = None
    ended_on: date | None = None


@dataclass
class Run:
    form: str
    number: int
    mode: str
    confirmed_on: date
    started_on: date
    weights: dict[str, float] = field(default_factory=dict)
    mentees: list[Mentee] = field(default_factory=list)
    row: MatchingRun | None = None


#: «Педагог-новатор – консервативный педагог»: the young innovator teaches the elder.
REVERSE_ROLE_MODEL = "Педагог-новатор – консервативный педагог"
#: Of every seven pairs, the single «Учитель – ученик» ones at these places took another kind.
KIND_OF_PAIR = {3: MentoringKind.SITUATIONAL, 5: MentoringKind.VIRTUAL}


class LastYearBuilder:
    def __init__(
        self, current: Programme, people: list[Person], accounts: dict[str, Person], today: date
    ) -> None:
        self.rng = random.Random(SEED)
        self.current = current
        self.organisation = current.organisation
        self.people = people
        self.accounts = accounts
        self.today = today
        self.zone = ZoneInfo(self.organisation.timezone)
        self.year, _created = AcademicYear.objects.get_or_create(
            start_year=current.academic_year.start_year - 1
        )
        self.start_year = self.year.start_year
        self.curator = accounts["curator"].user if accounts.get("curator") else None
        self.director = accounts.get("director")
        self.forms = {
            f.code: f
            for f in MentoringForm.objects.filter(
                organisation__isnull=True,
                code__in=("teacher-student", "teacher-teacher", "student-student"),
            )
        }
        self.role_models: dict[tuple[int, str], RoleModel] = {}
        self.mentors: list[Mentor] = []
        self.mentor_forms: dict[int, set[str]] = {}
        self.mentees: list[Mentee] = []
        self.pairs: list[Pair] = []
        self.taken: set[int] = set()
        self.runs: dict[str, Run] = {}
        self.group: list[Mentee] = []
        self.group_leader: Mentor | None = None
        # By the mentee's person: what their year brought, why it ended early.
        self.results: dict[int, texts.Result] = {}
        self.early: dict[int, str] = {}
        # By Mentee pk: the member as the engine proposed them (score, ranks).
        self.members: dict[int, NewMember] = {}

    # --- small helpers ----------------------------------------------------------------------------

    def _on(self, month: int, day: int) -> date:
        """A day of the previous academic year: September–December of its first calendar year,
        January–August of the second."""
        return date(self.start_year + (0 if month >= 9 else 1), month, day)

    def _between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randrange(max(0, (end - start).days) + 1))

    def _moment(self, day: date) -> datetime:
        return datetime.combine(
            day, time(self.rng.randint(8, 19), self.rng.randrange(60)), self.zone
        )

    def _role_model(self, form: str, *names: str) -> RoleModel | None:
        """The first of `names` the programme chose for the form."""
        form_pk = self.forms[form].pk
        return next(
            (self.role_models[(form_pk, n)] for n in names if (form_pk, n) in self.role_models),
            None,
        )

    def _pick(self, candidates: Sequence[Person], count: int) -> list[Person]:
        free = [p for p in candidates if p.pk not in self.taken]
        chosen = self.rng.sample(free, min(count, len(free)))
        self.taken.update(p.pk for p in chosen)
        return chosen

    # --- the build --------------------------------------------------------------------------------

    def build(self) -> Programme | None:
        if len(self.forms) < 3 or self.director is None or self.curator is None:
            return None
        programme = self._programme()
        self.programme = programme
        # Only the role models the programme chose for its forms.
        chosen = ProgrammeRoleModel.objects.filter(programme_form__programme=programme)
        self.role_models = {
            (r.form_id, r.name): r
            for r in RoleModel.objects.filter(pk__in=chosen.values("role_model_id"))
        }
        self.runs = self._plan()
        self._bases()
        self._consents()
        self._match()
        self._complete()
        self._backdate_history()
        self._measures()
        self._surveys()
        Programme.objects.filter(pk=programme.pk).update(
            status=ProgrammeStatus.FINISHED, finished_on=self._on(6, 30)
        )
        programme.refresh_from_db()
        return programme

    # --- the programme ----------------------------------------------------------------------------

    def _programme(self) -> Programme:
        """A copy of this year's programme moved a year back (the school keeps its programme
        from year to year), approved by an order of 1 September and with its roadmap done."""
        programme = programme_services.programme_copy_from(self.current, self.year, by=None)
        Programme.objects.filter(pk=programme.pk).update(copied_from=None)
        for partner in SocialPartner.objects.filter(programme=programme):
            if partner.agreement_date is not None:
                partner.agreement_date = partner.agreement_date.replace(year=self.start_year)
                partner.agreement_until = self.year.ends_on
                partner.save(update_fields=["agreement_date", "agreement_until"])
        approved_on = self.year.starts_on
        programme_services.programme_approve(
            programme, self._approval_order(programme, approved_on), by=self.director.user
        )
        events = list(RoadmapEvent.objects.filter(programme=programme, done_on__isnull=True))
        for event in events:
            done = event.due_on - timedelta(days=self.rng.randint(0, 6))
            event.done_on = max(event.window_start, done)
            event.done_by = self.curator
            event.done_note = NOTES.get(event.template_code, "").format(
                date=approved_on.strftime("%d.%m.%Y")
            )
        RoadmapEvent.objects.bulk_update(events, ["done_on", "done_by", "done_note"])
        programme.refresh_from_db()
        return programme

    def _approval_order(self, programme: Programme, day: date) -> Order:
        """The signed order approving the programme, with its scan. Written directly: its DOCX
        is rendered when someone asks for it (rendering here would double the builder's time).
        """
        director = self.director
        assert director is not None
        order = Order.objects.create(
            organisation=self.organisation,
            kind=OrderKind.PROGRAMME_APPROVAL,
            number=texts.APPROVAL_NUMBER,
            number_key=fold(texts.APPROVAL_NUMBER),
            year=day.year,
            date=day,
            title=programme_services.approval_title(programme),
            status=OrderStatus.SIGNED,
            signatory=director,
            signatory_position=director.position,
            scan=default_storage.save(
                scan_name(f"orders/{self.organisation.pk}/scans", PDF), ContentFile(_scan())
            ),
            signed_at=self._moment(day),
            signed_by=director.user,
            created_by=self.curator,
        )
        OrderSubject.objects.create(
            organisation=self.organisation,
            order=order,
            content_type=ContentType.objects.get_for_model(Programme),
            object_id=programme.pk,
            label=str(programme)[:300],
        )
        return order

    # --- the bases --------------------------------------------------------------------------------

    def _bases(self) -> None:
        """Who took part last year, as the school's people were a year younger."""
        busy = {
            p.pk
            for key in ("director", "curator", "commission", "specialist")
            if (p := self.accounts.get(key)) is not None
        }
        self.taken.update(busy)
        usable = set(
            Person.objects.filter(organisation=self.organisation, kind=PersonKind.STUDENT)
            .filter(valid_consent_q(Purpose.PARTICIPATION, self.today))
            .exclude(hidden_q(self.today))
            .values_list("pk", flat=True)
        )
        students = sorted(
            (p for p in self.people if p.kind == PersonKind.STUDENT and p.pk in usable),
            key=lambda p: p.name_key,
        )
        staff = sorted(
            (p for p in self.people if p.kind == PersonKind.STAFF and p.pk not in busy),
            key=lambda p: p.name_key,
        )

        def grades(low: int, high: int) -> list[Person]:
            return [p for p in students if low <= (p.grade or 0) <= high]

        teacher = self.accounts.get("teacher")
        technopark = self.accounts.get("mentor")
        demo_mentee = self.accounts.get("mentee")
        for person in (teacher, technopark, demo_mentee):
            if person is not None:
                self.taken.add(person.pk)

        # Mentors: seasoned teachers and technopark teachers; the demo teacher has a pupil and a
        # young colleague, the demo technopark mentor led the Robokvantum group.
        seasoned = [
            p
            for p in staff
            if (p.position.startswith("Учитель ") or "дополнительного" in p.position)
            and (p.experience_years or 0) >= 9
        ]
        ts_mentors = ([teacher] if teacher else []) + self._pick(
            seasoned, TEACHER_STUDENT_MENTORS - (1 if teacher else 0)
        )
        tt_mentors = ([teacher] if teacher else []) + self._pick(
            [p for p in seasoned if (p.experience_years or 0) >= 15],
            TEACHER_TEACHER_PAIRS - (1 if teacher else 0),
        )
        ss_mentors = self._pick(grades(10, 11), STUDENT_STUDENT_PAIRS)

        # Mentees: pupils of grades 8–10 last year with a teacher, 5–8 with an older pupil, three
        # young teachers and one seasoned teacher who asked for help with digital tools.
        ts_mentees = self._pick(grades(9, 11), TEACHER_STUDENT_PAIRS)
        group = self._pick(grades(7, 9), GROUP_SIZE)
        ss_mentees = [demo_mentee] if demo_mentee and demo_mentee.pk in usable else []
        ss_mentees += self._pick(grades(6, 9), STUDENT_STUDENT_PAIRS - len(ss_mentees))
        teachers = [p for p in staff if p.position.startswith("Учитель")]
        young = sorted(
            (p for p in teachers if 1 <= (p.experience_years or 0) <= 4),
            key=lambda p: (p.experience_years or 0, p.name_key),
        )
        tt_mentees = self._pick(young, TEACHER_TEACHER_PAIRS - 1)
        tt_mentees += self._pick(
            [p for p in teachers if (p.experience_years or 0) >= 12],
            TEACHER_TEACHER_PAIRS - len(tt_mentees),
        )

        mentor_of = {}
        for person in dict.fromkeys([*ts_mentors, *tt_mentors]):
            forms = ["teacher-student"] if person in ts_mentors else []
            if person in tt_mentors:
                forms.append("teacher-teacher")
            mentor_of[person.pk] = self._mentor(person, forms, "staff")
        if technopark is not None:
            mentor_of[technopark.pk] = self._mentor(
                technopark, ["teacher-student"], "technopark", group=True
            )
        for person in ss_mentors:
            mentor_of[person.pk] = self._mentor(person, ["student-student"], "student")

        self._teacher_student(ts_mentees, [mentor_of[p.pk] for p in ts_mentors])
        if technopark is not None and group:
            # The Robokvantum group meets at its leader's hours at the technopark.
            leader = mentor_of[technopark.pk]
            self.group = [self._mentee(p, "teacher-student", texts.GROUP, "ts1") for p in group]
            for mentee in self.group:
                mentee.availability = list(leader.availability)
            self.group_leader = leader
        for number, person in enumerate(ss_mentees[: len(ss_mentors)]):
            result = texts.STUDENT_STUDENT[number % len(texts.STUDENT_STUDENT)]
            self._mentee(person, "student-student", result, "ss1")
        for number, person in enumerate(tt_mentees[: len(tt_mentors)]):
            result = texts.TEACHER_TEACHER[number % len(texts.TEACHER_TEACHER)]
            self._mentee(person, "teacher-teacher", result, "tt1")
        self._early()
        self._preferences([mentor_of[p.pk] for p in ss_mentors])

        Mentor.objects.bulk_create(self.mentors)
        Mentor.forms.through.objects.bulk_create(
            Mentor.forms.through(mentor_id=mentor.pk, mentoringform_id=self.forms[code].pk)
            for mentor in self.mentors
            for code in self.mentor_forms[id(mentor)]
        )
        Mentor.objects.filter(programme=self.programme).update(
            created_at=self._moment(self._on(9, 8))
        )
        # Those of the November run joined the base in November, after the first run.
        later = {id(m) for m in self.runs["ts2"].mentees}
        Mentee.objects.bulk_create(m for m in self.mentees if id(m) not in later)

    def _mentor(self, person: Person, forms: list[str], kind: str, group: bool = False) -> Mentor:
        rng = self.rng
        competencies, motivation = rng.choice(PROFILES[kind])
        experience = person.experience_years
        mentor = Mentor(
            organisation=self.organisation,
            programme=self.programme,
            person=person,
            category=category_for(person),
            competencies=competencies,
            motivation=motivation,
            subjects=person.subjects,
            experience_years=max(0, experience - 1) if experience is not None else None,
            hours_per_month=rng.choice((4, 6, 8) if kind == "student" else (6, 8, 10)),
            availability=sorted(rng.sample(SLOTS, rng.randint(2, 4)), key=SLOTS.index),
            meeting_format=rng.choice((MeetingFormat.IN_PERSON, MeetingFormat.BOTH)),
            leads_group=group,
            capacity=GROUP_SIZE if group else 2,
            status=MentorStatus.REGISTERED,
            decided_on=self._on(9, 22),
            training_marked_on=self._on(10, 28),
            training_note="Школа наставника: 4 занятия из 4.",
            added_by=self.curator,
        )
        self.mentors.append(mentor)
        self.mentor_forms[id(mentor)] = set(forms)
        return mentor

    def _mentee(self, person: Person, form: str, result: texts.Result, run: str) -> Mentee:
        """A mentee of the base, in the base (the run of `run` pairs them)."""
        rng = self.rng
        student = person.kind == PersonKind.STUDENT
        if form == "teacher-student":
            name = (
                "Активный профессионал – равнодушный потребитель"
                if "career" in result.topics
                else "Коллега – молодой коллега"
            )
        elif form == "student-student":
            first = result.topics[0] if result.topics else ""
            names = {
                "subject": ("Успевающий – неуспевающий",),
                "adaptation": ("Адаптированный – неадаптированный", "Лидер – пассивный"),
                "communication": ("Лидер – пассивный",),
            }.get(first, ())
            name = next(
                (n for n in names if (self.forms[form].pk, n) in self.role_models),
                "Равный – равному",
            )
        else:
            name = (
                "Педагог-новатор – консервативный педагог"
                if "digital" in result.topics
                else "Опытный педагог – молодой специалист"
            )
        added_on = (
            self._between(self._on(11, 2), self._on(11, 10))
            if run == "ts2"
            else self._between(self._on(9, 4), self._on(9, 20))
        )
        mentee = Mentee(
            organisation=self.organisation,
            programme=self.programme,
            person=person,
            form=self.forms[form],
            role_model=self._role_model(form, name),
            topics=list(result.topics),
            request_text=result.request,
            subjects=result.subjects,
            availability=sorted(rng.sample(SLOTS, rng.randint(2, 4)), key=SLOTS.index),
            meeting_format=rng.choice((MeetingFormat.IN_PERSON, MeetingFormat.BOTH)),
            results=Decimal(str(round(rng.uniform(3.0, 4.5), 2))) if student else None,
            # A teacher past the first years (as one counts them today) asked for a mentor.
            asked_for_mentor=not student
            and ("digital" in result.topics or not eligibility(person, self.today).ok),
            status=MenteeStatus.IN_BASE,
            added_by=self.curator,
            created_at=self._moment(added_on),
        )
        self._can_meet(mentee, form)
        self.mentees.append(mentee)
        self.runs[run].mentees.append(mentee)
        self.results[person.pk] = result
        return mentee

    def _can_meet(self, mentee: Mentee, form: str) -> None:
        """A mentee who came to the programme could meet at least one of its mentors of the
        form: one who had no such hour free added a mentor's hour."""
        mentors = [
            m for m in self.mentors if form in self.mentor_forms[id(m)] and not m.leads_group
        ]
        if not mentors or any(set(m.availability) & set(mentee.availability) for m in mentors):
            return
        hour = self.rng.choice(self.rng.choice(mentors).availability)
        mentee.availability = sorted({*mentee.availability, hour}, key=SLOTS.index)

    def _teacher_student(self, people: list[Person], mentors: list[Mentor]) -> None:
        """«Учитель – ученик»: no more pupils than the mentors have places for (two each, the
        other forms take some); the last ones came in November, to the second run."""
        places = 2 * len(mentors) - (1 if self.accounts.get("teacher") else 0)
        people = people[:places]
        for number, person in enumerate(people):
            result = texts.TEACHER_STUDENT[number % len(texts.TEACHER_STUDENT)]
            run = "ts2" if number >= len(people) - SECOND_RUN_PAIRS else "ts1"
            self._mentee(person, "teacher-student", result, run)

    def _early(self) -> None:
        """Two pupils of «Учитель – ученик» (of the first run, not in the group) ended early,
        with their reasons; their requests were those of their reasons."""
        group = {id(m) for m in self.group}
        singles = [m for m in self.runs["ts1"].mentees if id(m) not in group]
        for mentee, (reason, result) in zip(singles[2::5], texts.EARLY, strict=False):
            self.early[mentee.person_id] = reason
            self.results[mentee.person_id] = result
            mentee.topics = list(result.topics)
            mentee.request_text = result.request
            mentee.subjects = result.subjects

    def _preferences(self, student_mentors: list[Mentor]) -> None:
        """After the group meeting of «Ученик – ученик» each side named whom it would like
        most. Stable runs pair by them."""
        mentees = self.runs["ss1"].mentees
        for mentee in mentees:
            chosen = self.rng.sample(student_mentors, min(len(student_mentors), 2))
            mentee.preferences = [m.person_id for m in chosen]
        for mentor in student_mentors:
            chosen_mentees = self.rng.sample(mentees, min(len(mentees), 2))
            mentor.preferences = [m.person_id for m in chosen_mentees]

    def _november(self) -> None:
        """The pupils who came in November named two of the teachers who still had a place."""
        taken = Counter(
            MentorshipMentee.objects.filter(
                mentorship__programme=self.programme, active=True
            ).values_list("mentorship__mentor_id", flat=True)
        )
        free = [
            m
            for m in self.mentors
            if "teacher-student" in self.mentor_forms[id(m)]
            and not m.leads_group
            and taken[m.pk] < m.capacity
        ]
        for mentee in self.runs["ts2"].mentees:
            chosen = self.rng.sample(free, min(len(free), 2))
            mentee.preferences = [m.person_id for m in chosen]
        Mentee.objects.bulk_create(self.runs["ts2"].mentees)

    # --- consents ---------------------------------------------------------------------------------

    def _consents(self) -> None:
        """Consents are given for an academic year: everyone in last year's bases had theirs
        for last year, ended since. Whoever signed this year's signed last year's the same way
        (a guardian for a child); the adults with none on record signed their own on paper."""
        given_on = self._on(9, 3)
        people = {m.person.pk: m.person for m in self.mentors}
        people.update({m.person.pk: m.person for m in self.mentees})
        purposes = (Purpose.PROCESSING, Purpose.PARTICIPATION)
        valid = set(
            Consent.objects.valid_on(given_on)
            .filter(subject__in=list(people), purpose__in=purposes)
            .values_list("subject_id", "purpose")
        )
        latest = {
            (c.subject_id, c.purpose): c
            for c in Consent.objects.filter(subject__in=list(people), purpose__in=purposes)
            .filter(withdrawn_at__isnull=True)
            .order_by("given_on", "pk")
        }
        rows = []
        for person in people.values():
            for purpose in purposes:
                if (person.pk, purpose) in valid:
                    continue
                current = latest.get((person.pk, purpose))
                if current is not None:
                    if (previous := self._year_before(current, given_on)) is not None:
                        rows.append(previous)
                elif person.kind != PersonKind.STUDENT:
                    rows.append(
                        own_paper_consent(
                            person, purpose, given_on, self.year.ends_on, self.curator
                        )
                    )
        Consent.objects.bulk_create(rows)

    def _year_before(self, current: Consent, given_on: date) -> Consent | None:
        """This year's consent as it was given for last year: by the same signer, or, for one
        who was still a child then, by a guardian (None when the school knows none)."""
        subject = current.subject
        signing = signing_for(subject, given_on)
        previous = Consent(
            **{
                f.attname: getattr(current, f.attname)
                for f in Consent._meta.concrete_fields
                if not f.primary_key
            }
        )
        if signing.minor and current.given_by_id == subject.pk:
            link = GuardianLink.objects.filter(child=subject).select_related("guardian").first()
            if link is None:
                return None
            previous.given_by = link.guardian
            previous.authority_document = _authority(link.relation, subject, self.rng)
            if previous.signed_name:
                previous.signed_name = link.guardian.full_name
        previous.given_on = given_on
        previous.valid_until = min(default_valid_until(subject, given_on), self.year.ends_on)
        previous.minor_signed = signing.minor_signs
        if previous.method == Method.ELECTRONIC:
            previous.minor_signed_name = subject.full_name if signing.minor_signs else ""
        previous.recorded_at = self._moment(given_on)
        previous.scan = ""
        return previous

    # --- matching ---------------------------------------------------------------------------------

    def _plan(self) -> dict[str, Run]:
        """The year's runs, in their order."""
        defaults = {c.value: Weights().of(c) for c in CRITERIA}
        return {
            "tt1": Run(
                "teacher-teacher",
                1,
                MatchingMode.OPTIMAL,
                self._on(9, 26),
                self._on(10, 1),
                {**defaults, "subjects": 3.0, "experience": 2.0},
            ),
            "ts1": Run(
                "teacher-student",
                1,
                MatchingMode.OPTIMAL,
                self._on(10, 3),
                self._on(10, 6),
                dict(defaults),
            ),
            "ss1": Run(
                "student-student",
                1,
                MatchingMode.STABLE,
                self._on(10, 10),
                self._on(10, 13),
                {**defaults, "preferences": 4.0},
            ),
            "ts2": Run(
                "teacher-student",
                2,
                MatchingMode.STABLE,
                self._on(11, 14),
                self._on(11, 17),
                {**defaults, "preferences": 4.0},
            ),
        }

    def _match(self) -> None:
        """The runs the pairs came from, in the order of the year, each confirmed before the
        next (its pairs take their mentors' places): «Учитель – учитель» and the first run of
        «Учитель – ученик» by the best total score, «Ученик – ученик» and the November run of
        «Учитель – ученик» stable by the preferences named after the group meeting.

        Each run is the engine's: its inputs are read from the bases as on the day of the run
        (`build_inputs`) and computed and stored as any run is (`run_compute`); the pairs are
        its proposals. The curator locked the Robokvantum group to its leader."""
        number = 0
        for key, run in self.runs.items():
            if key == "ts2":
                self._november()
            locks = []
            if key == "ts1" and self.group_leader is not None:
                locks = [(m.person_id, self.group_leader.person_id) for m in self.group]
            row = self._engine_run(run, locks)
            for pair in self._pairs_of(run, key, row):
                self._start(pair, number)
                number += 1
        # The people are today's: last year the pupils were a grade lower, and the pairs keep
        # the class of their time (the early-completion orders print it).
        for model in (MentorshipMentee, MentorAssignment):
            model.objects.filter(mentorship__programme=self.programme, grade__isnull=False).update(
                grade=F("grade") - 1
            )
        for run in self.runs.values():
            Mentorship.objects.filter(matching_run=run.row).update(
                created_at=self._moment(run.confirmed_on)
            )

    def _engine_run(self, run: Run, locks: list[tuple[int, int]]) -> MatchingRun:
        """One run computed by the engine from the bases as they were two days before it was
        confirmed, and confirmed on its day."""
        day = run.confirmed_on - timedelta(days=2)
        form = self.forms[run.form]
        row = MatchingRun.objects.create(
            organisation=self.organisation,
            programme=self.programme,
            form=form,
            number=run.number,
            mode=run.mode,
            proposer=ProposingSide.MENTEE,
            weights=run.weights,
            options={"require_common_slot": True, "format_must_fit": False},
            status=RunStatus.RUNNING,
            language="ru",
            created_by=self.curator,
        )
        with self._pairs_of_the_day():
            inputs = build_inputs(self.programme, form, day, options=row.options)
        with translation.override("ru"):
            run_compute(row, locks, inputs=inputs)
        MatchingRun.objects.filter(pk=row.pk).update(
            status=RunStatus.CONFIRMED,
            created_at=self._moment(day),
            confirmed_at=self._moment(run.confirmed_on),
            confirmed_by=self.curator,
        )
        row.refresh_from_db()
        run.row = row
        return row

    @contextmanager
    def _pairs_of_the_day(self) -> Iterator[None]:
        """This year's pairs did not exist last year: while a run of last year reads its bases,
        their members are set aside, so that a mentor's free places are those of that day."""
        later = list(
            MentorshipMentee.objects.filter(organisation=self.organisation, active=True)
            .exclude(mentorship__programme=self.programme)
            .values_list("pk", flat=True)
        )
        MentorshipMentee.objects.filter(pk__in=later).update(active=False)
        try:
            yield
        finally:
            MentorshipMentee.objects.filter(pk__in=later).update(active=True)

    def _pairs_of(self, run: Run, key: str, row: MatchingRun) -> list[Pair]:
        """The pairs the run proposed: the group's members together, each other mentee alone."""
        proposals = list(
            Proposal.objects.filter(run=row)
            .select_related("mentee__person", "mentee__role_model", "mentor__person")
            .order_by(
                "-mentor__leads_group", "mentor__person__name_key", "mentee__person__name_key"
            )
        )
        left = UnmatchedMentee.objects.filter(run=row).count()
        if left:
            logger.warning("demo: run %s of the previous year left %s alone", key, left)
        pairs: list[Pair] = []
        group: Pair | None = None
        for proposal in proposals:
            mentee = proposal.mentee
            self.members[mentee.pk] = NewMember(
                mentee, proposal.score, proposal.mentee_rank, proposal.mentor_rank
            )
            if proposal.mentor.leads_group:
                if group is None:
                    group = Pair(proposal.mentor, [], run.form, texts.GROUP, key)
                    pairs.append(group)
                group.mentees.append(mentee)
                continue
            pairs.append(
                Pair(
                    proposal.mentor,
                    [mentee],
                    run.form,
                    self.results[mentee.person_id],
                    key,
                    early_reason=self.early.get(mentee.person_id, ""),
                )
            )
        Mentee.objects.filter(pk__in=[p.mentee_id for p in proposals]).update(
            status=MenteeStatus.PAIRED
        )
        self.pairs += pairs
        return pairs

    # --- pairs and their completion ---------------------------------------------------------------

    def _kind(self, pair: Pair, number: int) -> str | None:
        """The kinds the school used last year besides the forms' defaults (None: the default):
        an innovator teaching a colleague new tools is reverse mentoring; some pupils came for
        help with one problem, and one pair worked remotely."""
        role_model = pair.mentees[0].role_model
        if role_model is not None and role_model.name == REVERSE_ROLE_MODEL:
            return MentoringKind.REVERSE
        if len(pair.mentees) == 1 and pair.form == "teacher-student":
            return KIND_OF_PAIR.get(number % 7)
        return None

    def _start(self, pair: Pair, number: int) -> None:
        run = self.runs[pair.run]
        # Each pair's term is set individually (seed 002 §2.7): those that ran their course
        # were planned to end on the day in late May they completed on.
        planned_end = default_planned_end(run.started_on)
        if not pair.early_reason:
            pair.ended_on = planned_end = self._between(self._on(5, 18), self._on(5, 29))
        pair.mentorship = mentorship_create(
            self.programme,
            form=self.forms[pair.form],
            mentor=pair.mentor,
            members=[self.members[m.pk] for m in pair.mentees],
            started_on=run.started_on,
            planned_end=planned_end,
            role_model=pair.mentees[0].role_model,
            is_group=len(pair.mentees) > 1,
            matching_run=run.row,
            mode=run.mode,
            weights=run.weights,
            by=self.curator,
            kind=self._kind(pair, number),
        )

    def _complete(self) -> None:
        """Completed in May on their planned end with their results; two ended early by an
        order signed the same day, their results entered on the pair's card."""
        # Numbered as the school numbered its orders in the spring, before this year's ones.
        early = iter(((self._on(2, 20), "14-о"), (self._on(3, 12), "21-о")))
        by = self.curator
        for pair in self.pairs:
            mentorship = pair.mentorship
            assert mentorship is not None
            result = pair.result
            values = {
                "achievements": result.achievements,
                "project": result.project.format(river=self.rng.choice(texts.RIVERS)),
                "grades_change": result.grades_change,
                "summary": result.summary,
                "mentor_feedback": result.mentor_feedback,
                "mentee_feedback": result.mentee_feedback,
            }
            if not pair.early_reason:
                # On the planned end: an ordinary completion never comes before it.
                assert pair.ended_on == mentorship.planned_end
                mentorship_complete(mentorship, ended_on=pair.ended_on, by=by, **values)
                continue
            pair.ended_on, number = next(early)
            mentorship_complete_early(
                mentorship,
                ended_on=pair.ended_on,
                reason=pair.early_reason,
                order=OrderDetails(number=number, date=pair.ended_on, signatory=self.director),
                by=by,
            )
            if mentorship.end_order is not None:
                order_sign(
                    mentorship.end_order,
                    ContentFile(_scan(), name="scan.pdf"),
                    by=self.director.user if self.director else None,
                )
            mentorship_results_save(mentorship, by=by, **values)

    def _backdate_history(self) -> None:
        """The pairs' and mentees' history as it happened: the services wrote it today."""
        created = {}
        ended = {}
        for pair in self.pairs:
            assert pair.mentorship is not None and pair.ended_on is not None
            created[pair.mentorship.pk] = self._moment(self.runs[pair.run].confirmed_on)
            ended[pair.mentorship.pk] = self._moment(pair.ended_on)
        mentee_ended = {
            mentee.pk: ended[pair.mentorship.pk]  # type: ignore[union-attr]
            for pair in self.pairs
            for mentee in pair.mentees
        }
        entries = list(
            AuditEntry.objects.filter(
                organisation=self.organisation, object_type=AuditObject.MENTORSHIP
            ).filter(object_id__in=list(created))
        ) + list(
            AuditEntry.objects.filter(
                organisation=self.organisation,
                object_type=AuditObject.MENTEE,
                object_id__in=list(mentee_ended),
            )
        )
        for entry in entries:
            if entry.object_type == AuditObject.MENTEE:
                entry.at = mentee_ended[entry.object_id]
            elif entry.action == AuditAction.CREATE:
                entry.at = created[entry.object_id]
            else:
                # The results are entered the day after the pair ended.
                later = "status" not in (entry.changes or {})
                entry.at = ended[entry.object_id] + timedelta(days=1 if later else 0)
        AuditEntry.objects.bulk_update(entries, ["at"], batch_size=500)

    # --- stage 2: entry and exit measures ---------------------------------------------------------

    def _measures(self) -> None:
        parameters = list(Parameter.objects.filter(organisation__isnull=True))
        recorder = self.accounts["specialist"].user if self.accounts.get("specialist") else None
        rows: list[Measure] = []
        for pair in self.pairs:
            run = self.runs[pair.run]
            ended_on = pair.ended_on or self._on(5, 25)
            people = [(m.person, m.results) for m in pair.mentees] + [(pair.mentor.person, None)]
            for number, (person, results) in enumerate(people):
                is_mentor = number == len(people) - 1
                entry_on = self._between(run.started_on, run.started_on + timedelta(days=14))
                exit_on = self._between(ended_on - timedelta(days=10), ended_on)
                # A couple of mentees missed the exit diagnostics (one of them ended early).
                # The mentee whose mentor fell ill missed the exit diagnostics, as did the odd
                # participant of the other forms.
                no_exit = not is_mentor and (
                    pair.early_reason == texts.EARLY[1][0]
                    or (pair.form != "teacher-student" and self.rng.random() < 0.08)
                )
                outcome = self.rng.choices(OUTCOMES, weights=OUTCOME_WEIGHTS[run.mode])[0]
                student = person.kind == PersonKind.STUDENT
                for parameter in parameters:
                    if parameter.code in STUDENT_ONLY and (is_mentor or not student):
                        continue
                    entry = self._entry_value(parameter.code, results)
                    rows.append(
                        self._measure(person, parameter, Phase.ENTRY, entry, entry_on, recorder)
                    )
                    if no_exit or (is_mentor and self.rng.random() < 0.05):
                        continue
                    value = self._exit_value(parameter, entry, outcome)
                    rows.append(
                        self._measure(person, parameter, Phase.EXIT, value, exit_on, recorder)
                    )
        # A mentor with two pupils is measured once: the first pair's dates stand.
        unique: dict[tuple[int, int, str], Measure] = {}
        for row in rows:
            unique.setdefault((row.person_id, row.parameter_id, row.phase), row)
        kept = list(unique.values())
        entries = {(r.person_id, r.parameter_id) for r in kept if r.phase == Phase.ENTRY}
        Measure.objects.bulk_create(
            [r for r in kept if r.phase == Phase.ENTRY or (r.person_id, r.parameter_id) in entries],
            batch_size=500,
        )

    def _measure(
        self,
        person: Person,
        parameter: Parameter,
        phase: str,
        value: Decimal,
        day: date,
        recorder: Any,
    ) -> Measure:
        return Measure(
            organisation=self.organisation,
            programme=self.programme,
            person=person,
            parameter=parameter,
            phase=phase,
            value=value,
            measured_on=day,
            source=MeasureSource.MANUAL,
            recorded_by=recorder,
        )

    def _entry_value(self, code: str, results: Decimal | None) -> Decimal:
        if code == "academic_results":
            return results if results is not None else Decimal("3.80")
        low, high = ENTRY_RANGES[code]
        return Decimal(self.rng.randint(low, high))

    def _exit_value(self, parameter: Parameter, entry: Decimal, outcome: str) -> Decimal:
        rng = self.rng
        code = parameter.code
        if code == "academic_results":
            change = {
                "up": rng.uniform(0.1, 0.5),
                "same": rng.uniform(-0.05, 0.05),
                "down": -rng.uniform(0.1, 0.3),
            }[outcome]
            value = (entry + Decimal(str(round(change, 2)))).quantize(Decimal("0.01"))
        elif code == "attendance":
            change = {
                "up": rng.randint(1, 8),
                "same": rng.randint(-1, 1),
                "down": -rng.randint(2, 6),
            }[outcome]
            value = entry + change
        elif code == "competitions":
            change = {"up": rng.randint(1, 4), "same": 0, "down": -rng.randint(0, 1)}[outcome]
            value = entry + change
        else:
            change = rng.choice(
                {"up": (0, 1, 1, 1, 2, 2, 3), "same": (-1, 0, 0, 0, 1), "down": (-2, -1, -1, 0)}[
                    outcome
                ]
            )
            value = entry + (change if parameter.higher_is_better else -change)
        return min(max(value, parameter.scale_min), parameter.scale_max)

    # --- stage 1: satisfaction and conformity -----------------------------------------------------

    def _surveys(self) -> None:
        builtin.ensure_loaded()
        questionnaires = {
            q.kind: q
            for q in Questionnaire.objects.filter(
                organisation__isnull=True,
                code__in=("mentor-satisfaction", "mentee-satisfaction", "curator-conformity"),
                next_version__isnull=True,
            ).prefetch_related("questions")
        }
        mentors = [m.person for m in self.mentors]
        mentees = [m.person for m in self.mentees]
        self.questions = {
            q.pk: {question.code: question for question in q.questions.all()}
            for q in questionnaires.values()
        }
        self._answers: list[tuple[Response, dict[str, Any]]] = []
        self._invitations: list[Invitation] = []
        rounds = (
            ("december", self._on(12, 8), self._on(12, 20), "Промежуточная анкета"),
            ("may", self._on(5, 12), self._on(5, 29), "Итоговая анкета"),
        )
        for key, sent, deadline, prefix in rounds:
            mentor_share, mentee_share = ANSWER_SHARE[key]
            final = key == "may"
            self._campaign(
                questionnaires["mentor_satisfaction"],
                f"{prefix} удовлетворённости наставников",
                "mentors",
                "Кандидаты в наставники и наставники",
                mentors,
                sent,
                deadline,
                mentor_share,
                lambda rng, k=key: self._satisfaction(rng, MENTOR_ITEMS, k, mentor=True),
                anonymous=False,
            )
            self._campaign(
                questionnaires["mentee_satisfaction"],
                f"{prefix} удовлетворённости наставляемых",
                "mentees",
                "Кандидаты в наставляемые и наставляемые",
                mentees,
                sent,
                deadline,
                mentee_share,
                lambda rng, k=key: self._satisfaction(rng, MENTEE_ITEMS, k, mentor=False),
                # The mid-year round is anonymous; the final one asks for names, so that the
                # results can be read by form and by pair.
                anonymous=not final,
            )
        curator = self.accounts.get("curator")
        if curator is not None:
            self._campaign(
                questionnaires["curator_conformity"],
                "Анкета куратора: соответствие программы целевой модели",
                "team",
                "Куратор программы",
                [curator],
                self._on(5, 25),
                self._on(6, 5),
                1.0,
                lambda rng: dict(texts.CONFORMITY),
                anonymous=False,
            )
        Invitation.objects.bulk_create(self._invitations, batch_size=500)
        responses = [response for response, _values in self._answers]
        Response.objects.bulk_create(responses, batch_size=500)
        answers = []
        for response, values in self._answers:
            questions = self.questions[response.campaign.questionnaire_id]
            for code, value in values.items():
                question = questions[code]
                number = Decimal(value) if question.type == QuestionType.SCALE else None
                answers.append(
                    Answer(
                        organisation=self.organisation,
                        response=response,
                        question=question,
                        value=value,
                        number=number,
                    )
                )
        Answer.objects.bulk_create(answers, batch_size=1000)

    def _campaign(
        self,
        questionnaire: Questionnaire,
        title: str,
        audience: str,
        label: str,
        people: list[Person],
        sent: date,
        deadline: date,
        share: float,
        answers: Any,
        *,
        anonymous: bool,
    ) -> None:
        rng = self.rng
        campaign = Campaign.objects.create(
            organisation=self.organisation,
            programme=self.programme,
            questionnaire=questionnaire,
            title=title,
            audience=audience,
            audience_label=label,
            anonymous=anonymous,
            deadline=deadline,
            closed_at=self._moment(deadline + timedelta(days=2)),
            closed_by=self.curator,
            created_by=self.curator,
        )
        Campaign.objects.filter(pk=campaign.pk).update(created_at=self._moment(sent))
        unique = sorted({p.pk: p for p in people}.values(), key=lambda p: p.name_key)
        answering = {p.pk for p in rng.sample(unique, round(len(unique) * share))}
        for person in unique:
            invitation = Invitation(
                organisation=self.organisation,
                campaign=campaign,
                person=person,
                token_hash=hash_secret(new_token()),
                answered=person.pk in answering,
            )
            self._invitations.append(invitation)
            if person.pk not in answering:
                continue
            day = self._between(sent, deadline)
            paper = rng.random() < 0.1
            response = Response(
                organisation=self.organisation,
                campaign=campaign,
                invitation=None if anonymous else invitation,
                person=None if anonymous else person,
                channel=Channel.PAPER
                if paper
                else (Channel.ONLINE if anonymous else rng.choice((Channel.LINK, Channel.CODE))),
                submitted_on=day,
                submitted_at=None if anonymous else self._moment(day),
                entered_by=self.curator if paper else None,
            )
            self._answers.append((response, answers(rng)))
        if anonymous and answering:
            # Anonymous answers keep no order that could be matched to the invitations.
            tail = self._answers[-len(answering) :]
            rng.shuffle(tail)
            self._answers[-len(answering) :] = tail

    def _satisfaction(
        self,
        rng: random.Random,
        items: dict[str, tuple[float, float]],
        round_key: str,
        *,
        mentor: bool,
    ) -> dict[str, Any]:
        level = rng.gauss(8.4, 0.8)
        index = 0 if round_key == "december" else 1
        values: dict[str, Any] = {
            code: int(min(10, max(1, round(level + offsets[index] + rng.gauss(0, 0.8)))))
            for code, offsets in items.items()
        }
        valuable = texts.MENTOR_VALUABLE if mentor else texts.MENTEE_VALUABLE
        lacking = texts.MENTOR_LACKING if mentor else texts.MENTEE_LACKING
        expected = texts.MENTOR_EXPECTED if mentor else texts.MENTEE_EXPECTED
        values["frequency"] = rng.choice(("weekly", "weekly", "weekly", "fortnightly", "more"))
        for code, options in (("valuable", valuable), ("lacking", lacking), ("expected", expected)):
            text = rng.choice(options)
            if text:
                values[code] = text
        values["glad"] = "yes" if level > 7.2 or rng.random() < 0.6 else "unsure"
        go_on = rng.choices(("yes", "unsure", "no"), weights=(75, 18, 7))[0]
        values["continue"] = go_on
        if go_on == "no":
            values["continue_why"] = rng.choice(texts.CONTINUE_WHY)
        if not mentor:
            become = rng.choices(("yes", "unsure", "no"), weights=(30, 40, 30))[0]
            values["become_mentor"] = become
            if become == "yes":
                values["become_mentor_area"] = rng.choice(texts.BECOME_MENTOR_AREA)
        return values


def build_last_year(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    built = LastYearBuilder(programme, people, accounts, today).build()
    if built is not None:
        logger.info("demo: the previous year %s built", built.academic_year.label)
