"""The demo mentor base, its selection and training (stages 3–4 of the demo year).

About 25 mentors of every category — staff (the demo mentor and the demo teacher among them),
students of grades 10–11, graduates, parents, external people of partner organisations — each
with the consents of a mentor's application (an adult's own; a student's come from the
guardian with the other consents). External mentors bring documents: one has both valid, one
ends within a month, one lacks a certificate and stays a candidate. The commission (the director
as chair, the curator, the deputy director, the demo teacher) scores most candidates, decides,
and the registry order is signed; two candidates still wait for their scores and two are not
put forward. The mentor school's plan fills the year, with attendance of the events held. The
demo mentor and a few others keep portfolios, published where the consent allows.

Rows go in with bulk_create for speed, from data that keep the rules the services check (the
consent to take part, the rule of two, scores 0–5, three scores before a decision, valid
documents before putting forward); the commission, the registry order and its signing, and the
mentor school's plan go through the services, so the order's document and its sign hook are
the real ones.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from nastavnik.catalogue.models import MentoringForm
from nastavnik.catalogue.profile import EXTERNAL_CATEGORIES, SLOT_CHOICES, MeetingFormat
from nastavnik.consents.models import Consent, Purpose
from nastavnik.consents.rules import hidden_q, signing_for, valid_consent_q
from nastavnik.consents.services import default_valid_until
from nastavnik.core.uploads import PDF, scan_name
from nastavnik.demo.consents import own_paper_consent
from nastavnik.demo.programme import _scan
from nastavnik.mentors import services
from nastavnik.mentors.models import (
    CRITERIA_FIELDS,
    Attendance,
    DocumentKind,
    Mentor,
    MentorDocument,
    MentorStatus,
    PortfolioItem,
    PortfolioKind,
    SelectionScore,
)
from nastavnik.mentors.rules import category_for
from nastavnik.orders.services import order_sign
from nastavnik.orgs.models import AcademicYear
from nastavnik.people.models import ExternalCategory, Person, PersonKind
from nastavnik.programmes.models import Programme

SEED = 20250903
SLOTS = [value for value, _label in SLOT_CHOICES]

# (competencies, motivation) by category: what such a mentor writes in the application.
PROFILES: dict[str, list[tuple[str, str]]] = {
    "staff": [
        (
            "Методика подготовки к ОГЭ и ЕГЭ, проектная деятельность, работа с одарёнными детьми.",
            "Хочу помочь молодым коллегам быстрее освоиться и не повторять моих ошибок.",
        ),
        (
            "Классное руководство, работа с родителями, организация внеурочной деятельности.",
            "Наставничество — возможность передать опыт и самой научиться новому.",
        ),
        (
            "Цифровые образовательные ресурсы, смешанное обучение, исследовательские проекты.",
            "Вижу, как ребятам не хватает взрослого, который поможет выбрать направление.",
        ),
        (
            "Подготовка к олимпиадам, руководство научным обществом учащихся.",
            "Хочу, чтобы сильные ученики раскрылись и не потеряли интерес к предмету.",
        ),
    ],
    "technopark": [
        (
            "Робототехника, программирование микроконтроллеров, командные инженерные проекты, "
            "подготовка к олимпиаде НТИ.",
            "Хочу вырастить команду, которая сама ставит инженерные задачи и доводит их до конца.",
        ),
        (
            "Программирование на Python, разработка игр, подготовка к соревнованиям по "
            "программированию.",
            "Наставничество помогает ребятам увидеть, что IT — это реальная профессия рядом.",
        ),
    ],
    "student": [
        (
            "Математика и физика на высоком уровне, призёр муниципального этапа олимпиады.",
            "Хочу помочь младшим разобраться в математике: мне когда-то так же помогли.",
        ),
        (
            "Лидер школьного самоуправления, организация мероприятий, публичные выступления.",
            "Хочу, чтобы пятиклассники быстрее почувствовали себя своими в школе.",
        ),
        (
            "Робототехника (Робоквантум), 3D-моделирование, участие в проектных сменах.",
            "Интересно попробовать себя в роли наставника и научить других тому, что умею.",
        ),
    ],
    "external": [
        (
            "Инженерное дело, технологические процессы производства, профориентация.",
            "Предприятию нужны мотивированные выпускники; хочу показать ребятам профессию.",
        ),
        (
            "Предпринимательство, управление проектами, финансовая грамотность.",
            "Хочу помочь школьникам сделать первый собственный проект.",
        ),
        (
            "Современные IT-технологии, учёба в вузе, подготовка к поступлению.",
            "Сам недавно выбирал вуз и хочу помочь ребятам с этим выбором.",
        ),
    ],
}

PORTFOLIO: dict[str, list[tuple[str, str, str, int, bool]]] = {
    # (kind, title, text, days ago, publish)
    "mentor": [
        (
            PortfolioKind.ACHIEVEMENT,
            "Диплом победителя муниципального конкурса «Педагог дополнительного образования»",
            "Номинация «Техническое творчество»: программа «Робототехника для 5–7 классов».",
            420,
            True,
        ),
        (
            PortfolioKind.CASE,
            "Кейс: команда-новичок на региональном этапе олимпиады НТИ",
            "Как за полгода подготовить команду 8 класса к инженерному туру: распределение "
            "ролей, еженедельные спринты, разбор ошибок после каждого этапа.",
            150,
            True,
        ),
        (
            PortfolioKind.DOCUMENT,
            "Удостоверение о повышении квалификации «Наставничество в образовании», 36 ч",
            "ГАОУ ДПО СО «Институт развития образования».",
            300,
            False,
        ),
    ],
    "teacher": [
        (
            PortfolioKind.ACHIEVEMENT,
            "Благодарственное письмо Управления образования за подготовку призёров олимпиады",
            "Муниципальный этап всероссийской олимпиады школьников по математике.",
            240,
            True,
        ),
        (
            PortfolioKind.CASE,
            "Кейс: адаптация молодого учителя математики в первый год работы",
            "Посещение уроков, совместное планирование, разбор трудных ситуаций с классом.",
            60,
            False,
        ),
    ],
}


class MentorBaseBuilder:
    def __init__(
        self, programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
    ) -> None:
        self.rng = random.Random(SEED)
        self.programme = programme
        self.people = people
        self.accounts = accounts
        self.today = today
        self.year = AcademicYear(start_year=AcademicYear.start_year_for(today))
        self.curator = accounts["curator"].user
        forms = {f.code: f for f in MentoringForm.objects.filter(organisation__isnull=True)}
        self.forms = forms

    # --- who ------------------------------------------------------------------------------------

    def _choose(self) -> list[tuple[Person, str]]:
        """The people who applied, with the profile kind their application reads like."""
        rng = self.rng
        taken = {
            self.accounts[key].pk
            for key in ("director", "curator", "commission", "specialist")
            if key in self.accounts
        }
        staff = [
            p
            for p in self.people
            if p.kind == PersonKind.STAFF
            and p.pk not in taken
            and (p.position.startswith("Учитель ") or "дополнительного" in p.position)
            and (p.experience_years or 0) >= 8
        ]
        rng.shuffle(staff)
        chosen: list[tuple[Person, str]] = [
            (self.accounts["mentor"], "technopark"),
            (self.accounts["teacher"], "staff"),
        ]
        for person in staff:
            if len(chosen) >= 10:
                break
            if person.pk in {p.pk for p, _k in chosen}:
                continue
            kind = "technopark" if "дополнительного" in person.position else "staff"
            chosen.append((person, kind))
        seniors = [p for p in self.people if p.kind == PersonKind.STUDENT and p.grade in (10, 11)]
        rng.shuffle(seniors)
        chosen += [(p, "student") for p in seniors[:12]]
        graduates = [p for p in self.people if p.kind == PersonKind.GRADUATE]
        rng.shuffle(graduates)
        chosen += [(p, "external") for p in graduates[:3]]
        parents = [p for p in self.people if p.kind == PersonKind.PARENT and p.email]
        rng.shuffle(parents)
        chosen += [(p, "external") for p in parents[:2]]
        external = [p for p in self.people if p.kind == PersonKind.EXTERNAL]
        by_category = {
            c: [p for p in external if p.external_category == c] for c in ExternalCategory
        }
        for category in (
            ExternalCategory.EMPLOYER,
            ExternalCategory.ENTREPRENEUR,
            ExternalCategory.UNIVERSITY_STUDENT,
            ExternalCategory.PARTNER,
            ExternalCategory.EMPLOYER,
        ):
            if by_category[category]:
                chosen.append((by_category[category].pop(0), "external"))
        return chosen

    def _consents(self, chosen: list[tuple[Person, str]]) -> None:
        """Adults sign their own consents with the mentor's application; students' consents
        are the guardians' (built with the school's consents) and are not added here."""
        have = set(
            Consent.objects.filter(
                subject__in=[p for p, _k in chosen], purpose=Purpose.PARTICIPATION
            ).values_list("subject_id", flat=True)
        )
        rows = []
        for number, (person, _kind) in enumerate(chosen):
            if person.kind == PersonKind.STUDENT or person.pk in have:
                continue
            # With the application, this academic year: a consent of the last one has ended.
            given_on = max(
                self.year.starts_on, self.today - timedelta(days=self.rng.randint(50, 70))
            )
            if signing_for(person, given_on).minor:
                continue  # a recent graduate under 18: only a guardian signs, and none did
            purposes = [Purpose.PROCESSING, Purpose.PARTICIPATION]
            if number % 3 == 0:
                purposes.append(Purpose.PUBLICATION)
            if number % 4 == 1:
                purposes.append(Purpose.SHARING)
            for purpose in purposes:
                valid_until = default_valid_until(person, given_on)
                rows.append(own_paper_consent(person, purpose, given_on, valid_until, self.curator))
        Consent.objects.bulk_create(rows)

    # --- the base -------------------------------------------------------------------------------

    def _profile(self, person: Person, kind: str) -> tuple[Mentor, list[MentoringForm]]:
        """An unsaved entry with what such a mentor writes in the application, and its forms;
        the values keep the rules `services._clean_profile` checks."""
        rng = self.rng
        competencies, motivation = rng.choice(PROFILES[kind])
        if person.kind == PersonKind.STUDENT:
            forms = [self.forms["student-student"]]
            hours = rng.choice((4, 6, 8))
        elif person.kind == PersonKind.STAFF:
            forms = [self.forms["teacher-student"]]
            if kind == "staff" or rng.random() < 0.3:
                forms.append(self.forms["teacher-teacher"])
            hours = rng.choice((6, 8, 10, 12))
        else:
            forms = [self.forms["teacher-student"]]
            hours = rng.choice((4, 6, 8))
        slots = sorted(rng.sample(SLOTS, rng.randint(2, 5)), key=SLOTS.index)
        leads_group = person.kind == PersonKind.STAFF and kind == "technopark"
        mentor = Mentor(
            organisation=self.programme.organisation,
            programme=self.programme,
            person=person,
            category=category_for(person),
            competencies=competencies,
            motivation=motivation,
            subjects=person.workplace if person.kind == PersonKind.EXTERNAL else person.subjects,
            experience_years=person.experience_years,
            hours_per_month=hours,
            availability=slots,
            meeting_format=rng.choice(
                (MeetingFormat.IN_PERSON, MeetingFormat.BOTH, MeetingFormat.BOTH)
            ),
            leads_group=leads_group,
            capacity=rng.choice((4, 5, 6)) if leads_group else rng.choice((1, 2, 2)),
            share_with_others=person.kind != PersonKind.STUDENT and rng.random() < 0.35,
            added_by=self.curator,
        )
        return mentor, forms

    def _documents(self, mentors: list[Mentor], states: dict[int, str]) -> None:
        """Both documents of every external mentor, valid well past today, except: "expiring"
        (the medical document ends within a month) and "partial" (no certificate of no
        criminal record yet). Brought with the application, before the selection."""
        today, rng = self.today, self.rng
        applied = min(today, self.year.starts_on + timedelta(days=50))
        rows = []
        for mentor in mentors:
            state = states.get(mentor.person_id, "valid")
            kinds = [DocumentKind.MEDICAL] if state == "partial" else list(DocumentKind)
            for kind in kinds:
                issued = applied - timedelta(days=rng.randint(5, 45))
                until = max(
                    issued + timedelta(days=365), today + timedelta(days=rng.randint(60, 160))
                )
                if kind == DocumentKind.MEDICAL and state == "expiring":
                    until = today + timedelta(days=18)
                number = (
                    f"{rng.randint(10, 99)}/{rng.randint(1000, 9999)}-{issued.year}"
                    if kind == DocumentKind.NO_CRIMINAL_RECORD
                    else f"{rng.randint(1000000, 9999999)}"
                )
                scan = default_storage.save(
                    scan_name(f"mentors/{mentor.organisation_id}/documents", PDF),
                    ContentFile(_scan()),
                )
                rows.append(
                    MentorDocument(
                        organisation_id=mentor.organisation_id,
                        person_id=mentor.person_id,
                        kind=kind,
                        number=number,
                        issued_on=issued,
                        valid_until=until,
                        scan=scan,
                        added_by=self.curator,
                    )
                )
        MentorDocument.objects.bulk_create(rows)

    def build(self) -> None:
        chosen = self._choose()
        self._consents(chosen)
        usable = set(
            Person.objects.filter(pk__in=[p.pk for p, _k in chosen])
            .filter(valid_consent_q(Purpose.PARTICIPATION, self.today))
            .exclude(hidden_q(self.today))
            .values_list("pk", flat=True)
        )
        chosen = [(p, k) for p, k in chosen if p.pk in usable]
        students = [(p, k) for p, k in chosen if p.kind == PersonKind.STUDENT][:6]
        chosen = [(p, k) for p, k in chosen if p.kind != PersonKind.STUDENT] + students
        profiles = [self._profile(person, kind) for person, kind in chosen]
        mentors = [mentor for mentor, _forms in profiles]
        external = [m.person_id for m in mentors if m.person.kind == PersonKind.EXTERNAL]
        states = dict(zip(external, ("valid", "expiring", "partial"), strict=False))
        scored = self._decide(mentors, {pk for pk, state in states.items() if state == "partial"})
        Mentor.objects.bulk_create(mentors)
        Mentor.forms.through.objects.bulk_create(
            Mentor.forms.through(mentor_id=mentor.pk, mentoringform_id=form.pk)
            for mentor, forms in profiles
            for form in forms
        )
        self._documents([m for m in mentors if m.category in EXTERNAL_CATEGORIES], states)
        self._selection(scored)
        self._training()
        self._portfolios(mentors)

    # --- selection ------------------------------------------------------------------------------

    def _decide(self, mentors: list[Mentor], missing: set[int]) -> list[tuple[Mentor, float, int]]:
        """Where each candidate stands: the one without a certificate and the last to apply
        are not put forward; two are still being scored; two are not approved; the rest are
        approved. Returns the candidates put forward with the level of their scores and how
        many members score them."""
        rng = self.rng
        put_forward = [m for m in mentors[:-1] if m.person_id not in missing]
        still_scored = {id(put_forward[-2]), id(put_forward[-3])}
        rejected = {id(put_forward[-4]), id(put_forward[-7])}
        # The registry is approved before the pairs are fixed (mid-October, demo/matching.py).
        decided_on = min(self.today, self.year.starts_on + timedelta(days=35))
        scored = []
        for mentor in put_forward:
            if id(mentor) in still_scored:
                mentor.status = MentorStatus.SELECTION
                scored.append((mentor, rng.uniform(3.2, 4.6), rng.randint(1, 2)))
                continue
            mentor.decided_on = decided_on
            if id(mentor) in rejected:
                mentor.status = MentorStatus.REJECTED
                mentor.decision_note = (
                    "Кандидат не готов выделять время на регулярные встречи; рекомендовано "
                    "повторное выдвижение в следующем учебном году."
                )
                scored.append((mentor, 2.0, 4))
            else:
                mentor.status = MentorStatus.APPROVED
                scored.append((mentor, rng.uniform(3.2, 4.6), 4))
        return scored

    def _selection(self, scored: list[tuple[Mentor, float, int]]) -> None:
        """The commission's scores; then the registry order goes through the services and the
        director signs it, so the order's document and its sign hook are the real ones."""
        rng, accounts = self.rng, self.accounts
        users = [accounts[key].user for key in ("director", "curator", "commission", "teacher")]
        seats = {
            seat.user_id: seat
            for seat in services.commission_set(self.programme, users, by=self.curator)
        }
        scores = []
        for mentor, level, count in scored:
            # The demo teacher sits on the commission and applied too: never their own score.
            scorers = [u for u in users if u.pk != mentor.person.user_id][:count]
            for user in scorers:
                values = {
                    field: max(0, min(5, round(level + rng.uniform(-1.2, 1.2))))
                    for field in CRITERIA_FIELDS
                }
                note = ""
                if mentor.status == MentorStatus.REJECTED and user == users[0]:
                    note = "Недостаточно времени для регулярных встреч с наставляемыми."
                scores.append(
                    SelectionScore(
                        organisation_id=mentor.organisation_id,
                        mentor=mentor,
                        member=seats[user.pk],
                        note=note,
                        **values,
                    )
                )
        SelectionScore.objects.bulk_create(scores)
        # The registry is approved before the pairs are fixed (mid-October, demo/matching.py).
        decided_on = min(self.today, self.year.starts_on + timedelta(days=35))
        order = services.registry_order_create(
            self.programme, date=min(self.today, decided_on + timedelta(days=4)), by=self.curator
        )
        order_sign(order, ContentFile(_scan(), name="scan.pdf"), by=accounts["director"].user)

    # --- the mentor school ----------------------------------------------------------------------

    def _training(self) -> None:
        rng = self.rng
        events = services.training_plan_fill(self.programme, by=self.curator)
        expected = list(services.attendance_candidates(self.programme))
        Attendance.objects.bulk_create(
            Attendance(organisation_id=event.organisation_id, event=event, mentor=mentor)
            for event in events
            if event.held_on <= self.today
            for mentor in expected
            if rng.random() < (0.9 if event.required else 0.5)
        )
        staff = [m for m in expected if m.person.kind == PersonKind.STAFF]
        if staff:
            Mentor.objects.filter(pk=staff[-1].pk).update(
                training_marked_on=min(self.today, self.year.starts_on + timedelta(days=30)),
                training_note="Курсы повышения квалификации «Организация наставничества в "
                "образовательной организации», 72 ч, удостоверение получено.",
            )

    # --- portfolios -----------------------------------------------------------------------------

    def _portfolios(self, mentors: list[Mentor]) -> None:
        rng = self.rng
        entries = {self.accounts[key].pk: PORTFOLIO[key] for key in PORTFOLIO}
        for mentor in mentors:
            if mentor.person.kind == PersonKind.STUDENT and len(entries) < 5:
                entries[mentor.person.pk] = [
                    (
                        PortfolioKind.ACHIEVEMENT,
                        "Призёр муниципального этапа всероссийской олимпиады школьников",
                        "Диплом призёра по математике.",
                        rng.randint(200, 400),
                        True,
                    )
                ]
        people = {m.person.pk: m.person for m in mentors}
        # Published only with a valid consent to publication, as `portfolio_publish` requires.
        publishable = set(
            Person.objects.filter(pk__in=list(entries))
            .filter(valid_consent_q(Purpose.PUBLICATION, self.today))
            .values_list("pk", flat=True)
        )
        now = timezone.now()
        PortfolioItem.objects.bulk_create(
            PortfolioItem(
                organisation_id=people[person_pk].organisation_id,
                person_id=person_pk,
                kind=kind,
                title=title,
                text=text,
                dated=self.today - timedelta(days=days),
                published=publish and person_pk in publishable,
                published_at=now if publish and person_pk in publishable else None,
                added_by=people[person_pk].user or self.curator,
            )
            for person_pk, items in entries.items()
            if person_pk in people
            for kind, title, text, days, publish in items
        )


def build_mentor_base(
    programme: Programme, people: list[Person], accounts: dict[str, Person], today: date
) -> None:
    MentorBaseBuilder(programme, people, accounts, today).build()
