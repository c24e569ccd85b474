"""The demo: «Средняя школа № 5» of Первоуральск, which hosts the school technopark
«Кванториум» (seed 000), a small second school in the same town, and a regional operator.

Deterministic: one fixed random seed, and ages counted from the academic year of the day it
runs, so the same day always gives the same data. Rows go in with bulk_create (seconds, not
minutes, on SQLite), so `Person.save()` does not run and `name_key` is set here.

Later stages (programme, pairs, meetings, surveys) add their steps to `DemoBuilder.build`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.core import events
from nastavnik.core.dates import age_on, years_later
from nastavnik.demo import names
from nastavnik.demo.bases import StageCost, build_bases
from nastavnik.demo.consents import build_consents
from nastavnik.demo.notifications import build_notifications
from nastavnik.demo.programme import build_programme, delete_stored_files
from nastavnik.demo.sharing import build_sharing
from nastavnik.documents.russian import pluralize
from nastavnik.orgs.models import (
    AcademicYear,
    Membership,
    Municipality,
    Organisation,
    OrganisationKind,
    Region,
    RegionalOperator,
    Role,
)
from nastavnik.people.models import (
    ExternalCategory,
    GuardianLink,
    GuardianRelation,
    Person,
    PersonKind,
    person_name_key,
)

SEED = 20250901
DEMO_PASSWORD = "demo12345"
DEMO_URL = "http://127.0.0.1:8000/"

REGION = ("Свердловская область", "66")
MUNICIPALITY = "Городской округ Первоуральск"
TIMEZONE = "Asia/Yekaterinburg"  # IANA has no "Europe/Yekaterinburg"


@dataclass(frozen=True)
class SchoolSpec:
    slug: str
    name: str
    short_name: str
    domain: str
    inn: str
    address: str
    phone: str
    # (grade, letters): every class gets `class_size` ± 3 students
    classes: tuple[tuple[int, str], ...]
    class_size: tuple[int, int]
    staff: tuple[StaffSpec, ...]
    graduates: int = 0
    external: bool = False
    municipality: str = ""  # empty: MUNICIPALITY

    @property
    def email(self) -> str:
        return f"info@{self.domain}"


@dataclass(frozen=True)
class StaffSpec:
    position: str
    subjects: str = ""
    count: int = 1
    male_share: float = 0.1
    notes: tuple[str, ...] = ()
    # None: anywhere in a teaching career, drawn from CAREER_AGES.
    age: tuple[int, int] | None = None


# Teachers in Russia skew older; a few young specialists keep teacher–teacher mentoring
# meaningful.
CAREER_AGES = ((22, 25), (26, 35), (36, 50), (51, 64))
CAREER_WEIGHTS = (12, 18, 35, 35)
PRIMARY = "Русский язык, Литературное чтение, Математика, Окружающий мир"
KVANTORIUM = "Школьный детский технопарк «Кванториум» на базе МАОУ СШ № 5, направление «{}»."
CLASS_TEACHER_SUBJECTS = ("математики", "русского", "английского", "истории", "физики", "химии")

SCHOOL_5 = SchoolSpec(
    slug="school-5",
    name="Муниципальное автономное общеобразовательное учреждение «Средняя школа № 5»",
    short_name="МАОУ СШ № 5",
    domain="school5.demo",
    inn="6625024711",
    address="623100, Свердловская область, г. Первоуральск, ул. Школьная, д. 5",
    phone="+7 (3439) 66-05-05",
    classes=tuple(
        (grade, letter)
        for grade in range(1, 12)
        for letter in ("АБВ" if grade <= 4 else "АБ" if grade <= 9 else "А")
    ),
    class_size=(22, 28),
    staff=(
        StaffSpec("Директор", male_share=0.3, age=(48, 58)),
        StaffSpec("Заместитель директора по учебно-воспитательной работе", count=2, age=(38, 58)),
        StaffSpec("Заместитель директора по воспитательной работе", age=(35, 52)),
        StaffSpec(
            "Советник директора по воспитанию и взаимодействию с детскими общественными "
            "объединениями",
            age=(23, 30),
        ),
        StaffSpec("Педагог-организатор", age=(23, 45)),
        StaffSpec("Учитель начальных классов", PRIMARY, count=12, male_share=0.02),
        StaffSpec("Учитель математики", "Математика, Вероятность и статистика", count=6),
        StaffSpec("Учитель русского языка и литературы", "Русский язык, Литература", count=6),
        StaffSpec("Учитель английского языка", "Английский язык", count=5),
        StaffSpec("Учитель истории и обществознания", "История, Обществознание", 2, 0.4),
        StaffSpec("Учитель физики", "Физика, Астрономия", count=2, male_share=0.5),
        StaffSpec("Учитель химии", "Химия"),
        StaffSpec("Учитель биологии", "Биология"),
        StaffSpec("Учитель географии", "География", male_share=0.3),
        StaffSpec("Учитель информатики", "Информатика", count=2, male_share=0.5),
        StaffSpec("Учитель физической культуры", "Физическая культура", 3, 0.6),
        StaffSpec("Учитель музыки", "Музыка"),
        StaffSpec("Учитель изобразительного искусства", "Изобразительное искусство"),
        StaffSpec("Учитель труда (технологии)", "Труд (технология)", count=2, male_share=0.5),
        StaffSpec("Преподаватель-организатор ОБЗР", "Основы безопасности и защиты Родины", 1, 0.9),
        StaffSpec("Педагог-психолог", age=(27, 50)),
        StaffSpec("Социальный педагог", age=(30, 55)),
        StaffSpec("Учитель-логопед", male_share=0.0),
        StaffSpec("Педагог-библиотекарь", male_share=0.0),
        # The technopark's teachers: (subject, quantum, male share, age range).
        *(
            StaffSpec(
                "Педагог дополнительного образования",
                subject,
                male_share=male_share,
                notes=(KVANTORIUM.format(quantum),),
                age=age,
            )
            for subject, quantum, male_share, age in (
                ("Робототехника", "Робоквантум", 0.7, (26, 45)),
                ("Программирование", "IT-квантум", 0.6, (24, 40)),
                ("VR/AR-технологии", "VR/AR-квантум", 0.5, (24, 40)),
                ("Промышленный дизайн", "Промдизайнквантум", 0.4, (28, 50)),
            )
        ),
    ),
    graduates=30,
    external=True,
)

SCHOOL_2 = SchoolSpec(
    slug="school-2",
    name="Муниципальное автономное общеобразовательное учреждение «Средняя школа № 2»",
    short_name="МАОУ СШ № 2",
    domain="school2.demo",
    inn="6625021397",
    address=(
        "623140, Свердловская область, г. Первоуральск, пос. Билимбай, ул. Красноармейская, д. 2"
    ),
    phone="+7 (3439) 29-02-02",
    classes=tuple((grade, "А") for grade in range(1, 12)),
    class_size=(3, 5),
    staff=(
        StaffSpec("Директор", male_share=0.5, age=(45, 60)),
        StaffSpec("Заместитель директора по учебно-воспитательной работе", age=(35, 55)),
        StaffSpec("Учитель начальных классов", PRIMARY, count=2, male_share=0.0),
        StaffSpec("Учитель математики и физики", "Математика, Физика"),
        StaffSpec("Учитель русского языка и литературы", "Русский язык, Литература"),
        StaffSpec("Учитель истории и обществознания", "История, Обществознание"),
        StaffSpec("Учитель физической культуры и ОБЗР", "Физическая культура, ОБЗР", 1, 0.8),
    ),
)

# (category, position, workplace, age range)
EXTERNAL_PEOPLE: tuple[tuple[ExternalCategory, str, str, tuple[int, int]], ...] = (
    (
        ExternalCategory.EMPLOYER,
        "Инженер-технолог",
        "АО «Первоуральский новотрубный завод»",
        (28, 50),
    ),
    (
        ExternalCategory.EMPLOYER,
        "Начальник бюро по работе с молодёжью",
        "АО «Первоуральский новотрубный завод»",
        (32, 55),
    ),
    (ExternalCategory.EMPLOYER, "Ведущий инженер-конструктор", "ПАО «Уралмашзавод»", (30, 55)),
    (ExternalCategory.EMPLOYER, "Руководитель IT-отдела", "ООО «Уральский трубник»", (30, 48)),
    (
        ExternalCategory.ENTREPRENEUR,
        "Индивидуальный предприниматель",
        "Студия робототехники «РобоУрал»",
        (27, 45),
    ),
    (
        ExternalCategory.ENTREPRENEUR,
        "Генеральный директор",
        "ООО «Первоуральская типография»",
        (35, 55),
    ),
    (
        ExternalCategory.ENTREPRENEUR,
        "Индивидуальный предприниматель",
        "Фермерское хозяйство, д. Крылосово",
        (30, 55),
    ),
    (
        ExternalCategory.UNIVERSITY_STUDENT,
        "Студент 3 курса",
        "УрФУ, Институт радиоэлектроники и информационных технологий",
        (19, 22),
    ),
    (
        ExternalCategory.UNIVERSITY_STUDENT,
        "Студент 2 курса",
        "УрГПУ, Институт математики, физики, информатики и технологий",
        (19, 21),
    ),
    (
        ExternalCategory.UNIVERSITY_STUDENT,
        "Студент 4 курса",
        "УГМУ, лечебно-профилактический факультет",
        (20, 23),
    ),
    (
        ExternalCategory.UNIVERSITY_STUDENT,
        "Студент 3 курса",
        "УрГЭУ, Институт цифровых технологий управления",
        (19, 22),
    ),
    (
        ExternalCategory.UNIVERSITY_STUDENT,
        "Студент 2 курса",
        "УрФУ, Институт новых материалов и технологий",
        (19, 21),
    ),
    (
        ExternalCategory.PARTNER,
        "Заведующий отделом",
        "Центральная городская библиотека г. Первоуральска",
        (30, 58),
    ),
    (
        ExternalCategory.PARTNER,
        "Специалист по работе с молодёжью",
        "МБУ «Молодёжная политика» г. Первоуральска",
        (24, 40),
    ),
    (
        ExternalCategory.PARTNER,
        "Мастер производственного обучения",
        "ГАПОУ СО «Первоуральский политехникум»",
        (30, 60),
    ),
)

GRADUATE_PLACES_STUDY = (
    "УрФУ имени первого Президента России Б. Н. Ельцина",
    "Уральский государственный педагогический университет",
    "Уральский государственный медицинский университет",
    "Уральский государственный экономический университет",
    "Уральский государственный горный университет",
    "ГАПОУ СО «Первоуральский политехникум»",
)
GRADUATE_PLACES_WORK = (
    "АО «Первоуральский новотрубный завод»",
    "ПАО «Уралмашзавод»",
    "ООО «Уральский трубник»",
    "ГАУЗ СО «Городская больница г. Первоуральск»",
    "ПАО «Сбербанк», Уральский банк",
    "ООО «СКБ Контур»",
    "Индивидуальный предприниматель, веб-разработка",
)


@dataclass(frozen=True)
class DemoLogin:
    key: str
    label: str  # Russian: shown in the terminal block and in README
    email: str
    org_slug: str | None = None
    roles: tuple[Role, ...] = ()
    operator: bool = False
    superuser: bool = False


LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "director", "Руководитель СШ № 5", "director@school5.demo", "school-5", (Role.DIRECTOR,)
    ),
    DemoLogin("curator", "Куратор программы", "curator@school5.demo", "school-5", (Role.CURATOR,)),
    DemoLogin(
        "specialist",
        "Педагог-психолог (специалист)",
        "psychologist@school5.demo",
        "school-5",
        (Role.SPECIALIST,),
    ),
    DemoLogin(
        "mentor",
        "Наставник, педагог «Кванториума»",
        "mentor@school5.demo",
        "school-5",
        (Role.MENTOR,),
    ),
    DemoLogin(
        "mentee", "Наставляемый, ученик 8 класса", "mentee@school5.demo", "school-5", (Role.MENTEE,)
    ),
    # Linked when the bases exist (demo.selfmatch): a mentee of the form still waiting for a
    # mentor, who chooses one in the cabinet.
    DemoLogin(
        "chooser",
        "Наставляемый, выбирает наставника сам",
        "chooser@school5.demo",
        "school-5",
        (Role.MENTEE,),
    ),
    # Linked with the chooser (demo.selfmatch): the first mentor suggested to the chooser, who
    # answers the request from the notifications, and a guardian of the chooser, who is told.
    DemoLogin(
        "chosen_mentor",
        "Наставник, которого выбирают (отвечает на запросы)",
        "chosen.mentor@school5.demo",
        "school-5",
        (Role.MENTOR,),
    ),
    DemoLogin(
        "chooser_guardian",
        "Законный представитель выбирающего",
        "chooser.parent@school5.demo",
        "school-5",
        (Role.GUARDIAN,),
    ),
    DemoLogin(
        "guardian",
        "Законный представитель наставляемого",
        "parent@school5.demo",
        "school-5",
        (Role.GUARDIAN,),
    ),
    DemoLogin(
        "commission",
        "Член комиссии (зам. директора)",
        "commission@school5.demo",
        "school-5",
        (Role.COMMISSION_MEMBER,),
    ),
    DemoLogin(
        "teacher",
        "Наставник и член комиссии",
        "teacher@school5.demo",
        "school-5",
        (Role.MENTOR, Role.COMMISSION_MEMBER),
    ),
    DemoLogin("curator2", "Куратор СШ № 2", "curator@school2.demo", "school-2", (Role.CURATOR,)),
    DemoLogin("operator", "Региональный оператор", "operator@region66.demo", operator=True),
    DemoLogin("admin", "Администратор сайта", "admin@nastavnik.demo", superuser=True),
)
LOGIN_EMAILS = tuple(login.email for login in LOGINS)
# In the next town, so that the regional operator sees two municipalities; small, so that its
# figures are the suppressed cells («< 5») of the operator's pages.
SCHOOL_3 = SchoolSpec(
    slug="school-3-revda",
    name="Муниципальное автономное общеобразовательное учреждение «Средняя школа № 3»",
    short_name="МАОУ СШ № 3 (Ревда)",
    domain="school3-revda.demo",
    inn="6627013540",
    address="623280, Свердловская область, г. Ревда, ул. Мичурина, д. 3",
    phone="+7 (34397) 3-03-03",
    classes=tuple((grade, "А") for grade in range(5, 10)),
    class_size=(6, 9),
    staff=(
        StaffSpec("Директор", male_share=0.5, age=(45, 60)),
        StaffSpec("Учитель математики", "Математика"),
        StaffSpec("Учитель русского языка и литературы", "Русский язык, Литература"),
    ),
    municipality="Городской округ Ревда",
)

SCHOOLS = (SCHOOL_5, SCHOOL_2, SCHOOL_3)
DEMO_SLUGS = tuple(school.slug for school in SCHOOLS)
OPERATOR_NAME = ("Плотникова", "Галина")


@dataclass
class Family:
    surname: str  # masculine form
    father_name: str
    children: list[Person] = field(default_factory=list)
    mother: Person | None = None
    father: Person | None = None


@dataclass
class SchoolData:
    spec: SchoolSpec
    organisation: Organisation
    people: list[Person] = field(default_factory=list)
    links: list[tuple[Person, Person, GuardianRelation]] = field(default_factory=list)
    families: list[Family] = field(default_factory=list)

    def count(self, kind: PersonKind) -> int:
        return sum(1 for person in self.people if person.kind == kind)


@dataclass(frozen=True)
class Summary:
    lines: tuple[str, ...]
    #: What each stage of the school's year cost (`seed_demo -v 2` prints them).
    stages: tuple[StageCost, ...] = ()


class DemoBuilder:
    def __init__(self, today: date) -> None:
        self.rng = random.Random(SEED)
        self.today = today
        self.year = AcademicYear.start_year_for(today)
        self.password = make_password(DEMO_PASSWORD)  # hashed once: hashing is the slow part
        self.stage_costs: list[StageCost] = []

    # --- small random helpers -------------------------------------------------------------

    def _date_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def _born_aged(self, low: int, high: int) -> date:
        """A birth date of someone aged `low`..`high` today."""
        return self._date_between(
            years_later(self.today, -high - 1) + timedelta(days=1), years_later(self.today, -low)
        )

    def _mobile(self) -> str:
        rng = self.rng
        return (
            f"+7 9{rng.randrange(10, 100)} {rng.randrange(100, 1000)}-"
            f"{rng.randrange(10, 100)}-{rng.randrange(10, 100)}"
        )

    def _gender(self, male_share: float = 0.5) -> Literal["m", "f"]:
        return "m" if self.rng.random() < male_share else "f"

    def _first_name(self, gender: str, *, child: bool) -> str:
        if child:
            pool = names.CHILD_MALE_NAMES if gender == "m" else names.CHILD_FEMALE_NAMES
        else:
            pool = names.ADULT_MALE_NAMES if gender == "m" else names.ADULT_FEMALE_NAMES
        return self.rng.choice(pool)

    def _person(
        self,
        school: SchoolData,
        kind: PersonKind,
        gender: str,
        surname: str,
        first_name: str,
        father_name: str,
        birth_date: date,
        **extra: object,
    ) -> Person:
        last = names.surname_for(surname, gender)
        middle = names.patronymic(father_name, gender)
        person = Person(
            organisation=school.organisation,
            kind=kind,
            gender=gender,
            last_name=last,
            first_name=first_name,
            middle_name=middle,
            birth_date=birth_date,
            name_key=person_name_key(last, first_name, middle),
            **extra,
        )
        school.people.append(person)
        return person

    def _adult(
        self, school: SchoolData, kind: PersonKind, gender: str, born: date, **extra: object
    ) -> Person:
        return self._person(
            school,
            kind,
            gender,
            self.rng.choice(names.SURNAMES),
            self._first_name(gender, child=False),
            self.rng.choice(names.ELDER_MALE_NAMES),
            born,
            **extra,
        )

    def _personal_email(self, person: Person) -> str:
        first = names.transliterate(person.first_name)
        last = names.transliterate(person.last_name)
        return f"{first}.{last}{person.birth_date.year % 100:02d}@mail.demo"

    # --- the build ----------------------------------------------------------------------------

    def build(self) -> list[SchoolData]:
        region, _created = Region.objects.get_or_create(
            code=REGION[1], defaults={"name": REGION[0]}
        )
        municipalities = {
            name: Municipality.objects.get_or_create(region=region, name=name)[0]
            for name in {spec.municipality or MUNICIPALITY for spec in SCHOOLS}
        }
        AcademicYear.containing(self.today)
        schools = [
            self._school(spec, municipalities[spec.municipality or MUNICIPALITY])
            for spec in SCHOOLS
        ]
        people = {login.key: person for login, person in self._account_people(schools)}
        self._accounts(people, {s.spec.slug: s.organisation for s in schools}, region)
        for school in schools:
            Person.objects.bulk_create(school.people, batch_size=500)
            GuardianLink.objects.bulk_create(
                [
                    GuardianLink(
                        organisation=school.organisation,
                        guardian=guardian,
                        child=child,
                        relation=relation,
                    )
                    for guardian, child, relation in school.links
                ],
                batch_size=500,
            )
        # Consents: most students covered, some missing, one withdrawn (nastavnik.demo.consents).
        school5, school2, *_others = schools
        build_consents(
            school5.organisation,
            school5.people,
            school5.links,
            today=self.today,
            curator=people["curator"].user,  # type: ignore[union-attr]
            mentee=people["mentee"],
            guardian=people["guardian"],
            mentors=[people["mentor"], people["teacher"]],  # type: ignore[list-item]
        )
        build_consents(
            school2.organisation,
            school2.people,
            school2.links,
            today=self.today,
            curator=people["curator2"].user,  # type: ignore[union-attr]
        )
        # The programme of the year, its roadmap and the signed order approving them.
        programme = build_programme(
            schools[0].organisation,
            schools[0].people,
            curator=people["curator"],
            director=people["director"],
            today=self.today,
        )
        # Stages 2-4: the bases of mentees and mentors, selection, training, campaigns.
        self.stage_costs = build_bases(programme, schools[0].people, people, self.today)
        # The shared mentor base: a mentor of СШ № 5 offered to СШ № 2, which has a pupil
        # waiting for a mentor in its own small programme.
        build_sharing(
            [people["mentor"], people["teacher"]],  # type: ignore[list-item]
            school2.organisation,
            curator=people["curator2"],  # type: ignore[arg-type]
            director=next(
                p for p in school2.people if p.kind == PersonKind.STAFF and p.position == "Директор"
            ),
            today=self.today,
        )
        return schools

    def _school(self, spec: SchoolSpec, municipality: Municipality) -> SchoolData:
        organisation = Organisation.objects.create(
            name=spec.name,
            short_name=spec.short_name,
            slug=spec.slug,
            kind=OrganisationKind.SCHOOL,
            municipality=municipality,
            timezone=TIMEZONE,
            inn=spec.inn,
            address=spec.address,
            phone=spec.phone,
            email=spec.email,
            website=f"https://{spec.domain}/",
        )
        school = SchoolData(spec=spec, organisation=organisation)
        self._students_and_families(school)
        self._staff(school)
        self._graduates(school)
        if spec.external:
            self._external(school)
        return school

    # --- students and their families ------------------------------------------------------------

    def _student_birth_date(self, grade: int) -> date:
        """Most pupils of grade g on 1 September of year Y were born in Y-6-g; some went to
        school at six and a half, some a year late (7 years 8–11 months)."""
        cohort = self.year - 6 - grade
        roll = self.rng.random()
        if roll < 0.88:
            return self._date_between(date(cohort, 1, 1), date(cohort, 12, 31))
        if roll < 0.96:
            return self._date_between(date(cohort - 1, 10, 1), date(cohort - 1, 12, 31))
        return self._date_between(date(cohort + 1, 1, 1), date(cohort + 1, 2, 28))

    def _students_and_families(self, school: SchoolData) -> None:
        rng = self.rng
        low, high = school.spec.class_size
        slots = [
            (grade, letter)
            for grade, letters in _group_classes(school.spec.classes)
            for letter in letters
            for _seat in range(rng.randint(low, high))
        ]
        rng.shuffle(slots)
        while slots:
            family = Family(
                surname=rng.choice(names.SURNAMES),
                father_name=rng.choice(names.ADULT_MALE_NAMES),
            )
            wanted = rng.choices((1, 2, 3), weights=(68, 27, 5))[0]
            places = [slots.pop()]
            twins = wanted > 1 and rng.random() < 0.03
            while len(places) < wanted:
                index = _find_slot(slots, places, twins=twins)
                if index is None:
                    break
                places.append(slots.pop(index))
            self._children(school, family, places, twins=twins)
            self._parents(school, family)
            school.families.append(family)

    def _children(
        self, school: SchoolData, family: Family, places: list[tuple[int, str]], *, twins: bool
    ) -> None:
        born: list[date] = []
        for number, (grade, letter) in enumerate(places):
            if twins and number == 1:
                birth = born[0]
            else:
                birth = self._student_birth_date(grade)
                # Siblings (not twins) are born at least ten months apart.
                for _attempt in range(30):
                    if all(abs((birth - other).days) >= 300 for other in born):
                        break
                    birth = self._student_birth_date(grade)
            born.append(birth)
            gender = self._gender()
            age = age_on(birth, self.today)
            family.children.append(
                self._person(
                    school,
                    PersonKind.STUDENT,
                    gender,
                    family.surname,
                    self._first_name(gender, child=True),
                    family.father_name,
                    birth,
                    grade=grade,
                    class_letter=letter,
                    phone=self._mobile() if age >= 12 and self.rng.random() < 0.5 else "",
                )
            )

    def _parents(self, school: SchoolData, family: Family) -> None:
        rng = self.rng
        eldest = min(child.birth_date for child in family.children)
        eldest_age = age_on(eldest, self.today)
        # Parents are 24–55 today: their age at the eldest child's birth is capped accordingly.
        ceiling = 54 - eldest_age

        def born_before_eldest(years: int) -> date:
            return years_later(eldest, -years) - timedelta(days=rng.randrange(0, 300))

        roll = rng.random()
        has_mother = roll < 0.88
        has_father = roll < 0.72 or 0.88 <= roll < 0.91
        has_other_guardian = 0.91 <= roll < 0.94
        mother_age = rng.randint(min(20, ceiling), min(36, ceiling))
        if has_mother:
            own_surname = rng.random() < 0.1
            family.mother = self._person(
                school,
                PersonKind.PARENT,
                "f",
                rng.choice(names.SURNAMES) if own_surname else family.surname,
                self._first_name("f", child=False),
                rng.choice(names.ELDER_MALE_NAMES),
                born_before_eldest(mother_age),
                phone=self._mobile(),
            )
            self._link(school, family.mother, family.children, GuardianRelation.MOTHER)
        if has_father:
            father_age = max(21, min(ceiling, mother_age + rng.randint(-2, 6)))
            family.father = self._person(
                school,
                PersonKind.PARENT,
                "m",
                family.surname,
                family.father_name,
                rng.choice(names.ELDER_MALE_NAMES),
                born_before_eldest(father_age),
                phone=self._mobile(),
            )
            self._link(school, family.father, family.children, GuardianRelation.FATHER)
        if has_other_guardian:
            # An aunt or a grandmother appointed guardian (опекун), with her own surname.
            guardian = self._adult(
                school,
                PersonKind.PARENT,
                "f",
                born_before_eldest(rng.randint(min(24, ceiling), ceiling)),
                phone=self._mobile(),
                notes="Опекун (постановление органа опеки и попечительства).",
            )
            self._link(school, guardian, family.children, GuardianRelation.GUARDIAN)
        for parent in (family.mother, family.father):
            if parent is not None and rng.random() < 0.6:
                parent.email = self._personal_email(parent)

    def _link(
        self,
        school: SchoolData,
        guardian: Person,
        children: Iterable[Person],
        relation: GuardianRelation,
    ) -> None:
        school.links.extend((guardian, child, relation) for child in children)

    # --- staff, graduates, external people -------------------------------------------------------

    def _staff(self, school: SchoolData) -> None:
        rng = self.rng
        staff: list[Person] = []
        for spec in school.spec.staff:
            for _number in range(spec.count):
                gender = self._gender(spec.male_share)
                low, high = spec.age or rng.choices(CAREER_AGES, weights=CAREER_WEIGHTS)[0]
                age = rng.randint(low, high)
                experience = max(
                    0, age - 22 - (rng.randint(0, 1) if age < 26 else rng.randint(0, 9))
                )
                if spec.position == "Директор":
                    experience = max(experience, 22)
                person = self._adult(
                    school,
                    PersonKind.STAFF,
                    gender,
                    self._born_aged(age, age),
                    position=spec.position,
                    subjects=spec.subjects,
                    experience_years=experience,
                    phone=self._mobile(),
                    notes=" ".join(spec.notes),
                )
                first = names.transliterate(person.first_name)[0]
                person.email = (
                    f"{first}.{names.transliterate(person.last_name)}@{school.spec.domain}"
                )
                staff.append(person)
        self._class_teachers(school, staff)

    def _class_teachers(self, school: SchoolData, staff: list[Person]) -> None:
        classes = [f"{grade}{letter}" for grade, letter in school.spec.classes]
        primary = [p for p in staff if p.position == "Учитель начальных классов"]
        senior = [
            p
            for p in staff
            if p.position.startswith("Учитель ")
            and p not in primary
            and any(word in p.position for word in CLASS_TEACHER_SUBJECTS)
        ]
        self.rng.shuffle(senior)
        primary_classes = [c for c in classes if int(c[:-1]) <= 4]
        senior_classes = [c for c in classes if int(c[:-1]) > 4]
        for teachers, names_of_classes in ((primary, primary_classes), (senior, senior_classes)):
            for teacher, class_name in zip(teachers, names_of_classes, strict=False):
                note = f"Классный руководитель {class_name}."
                teacher.notes = f"{teacher.notes} {note}".strip()

    def _graduates(self, school: SchoolData) -> None:
        rng = self.rng
        for _number in range(school.spec.graduates):
            year = rng.randint(self.year - 10, self.year)  # left school in June of that year
            born = self._date_between(date(year - 18, 9, 1), date(year - 17, 8, 31))
            studying = self.year - year < 5
            place = rng.choice(GRADUATE_PLACES_STUDY if studying else GRADUATE_PLACES_WORK)
            person = self._adult(
                school,
                PersonKind.GRADUATE,
                self._gender(),
                born,
                graduation_year=year,
                workplace=place,
                phone=self._mobile(),
            )
            person.email = self._personal_email(person)

    def _external(self, school: SchoolData) -> None:
        for category, position, workplace, (low, high) in EXTERNAL_PEOPLE:
            age = self.rng.randint(low, high)
            male_share = 0.3 if category == ExternalCategory.UNIVERSITY_STUDENT else 0.6
            gender = self._gender(male_share)
            person = self._adult(
                school,
                PersonKind.EXTERNAL,
                gender,
                self._born_aged(age, age),
                external_category=category,
                position=_feminine_position(position) if gender == "f" else position,
                workplace=workplace,
                phone=self._mobile(),
            )
            person.email = self._personal_email(person)

    # --- accounts ---------------------------------------------------------------------------------

    def _account_people(self, schools: list[SchoolData]) -> list[tuple[DemoLogin, Person | None]]:
        school5, school2, *_others = schools

        def staff(school: SchoolData, position: str, subjects: str = "") -> Person:
            matches = [
                p
                for p in school.people
                if p.kind == PersonKind.STAFF
                and p.position == position
                and (not subjects or p.subjects == subjects)
            ]
            return max(matches, key=lambda p: p.experience_years or 0)

        # A pupil of grade 8 aged 14+ whose mother is on record: the guardian login is hers.
        family = next(
            f
            for f in school5.families
            if f.mother is not None
            and any(c.grade == 8 and age_on(c.birth_date, self.today) >= 14 for c in f.children)
        )
        mentee = next(
            c for c in family.children if c.grade == 8 and age_on(c.birth_date, self.today) >= 14
        )
        chosen = {
            "director": staff(school5, "Директор"),
            "curator": staff(school5, "Заместитель директора по воспитательной работе"),
            "specialist": staff(school5, "Педагог-психолог"),
            "mentor": staff(school5, "Педагог дополнительного образования", "Робототехника"),
            "mentee": mentee,
            "guardian": family.mother,
            "commission": staff(school5, "Заместитель директора по учебно-воспитательной работе"),
            "teacher": staff(school5, "Учитель математики"),
            "curator2": staff(school2, "Заместитель директора по учебно-воспитательной работе"),
        }
        chosen["curator"].notes = "Куратор программы наставничества."
        return [(login, chosen.get(login.key)) for login in LOGINS]

    def _accounts(
        self,
        people: dict[str, Person | None],
        organisations: dict[str, Organisation],
        region: Region,
    ) -> None:
        users: list[User] = []
        for login in LOGINS:
            person = people.get(login.key)
            if person is not None:
                last_name, first_name = person.last_name, person.first_name
                person.email = login.email
            elif login.operator:
                last_name, first_name = OPERATOR_NAME
            else:
                last_name, first_name = "", ""
            users.append(
                User(
                    email=login.email,
                    password=self.password,
                    first_name=first_name,
                    last_name=last_name,
                    is_staff=login.superuser,
                    is_superuser=login.superuser,
                )
            )
        User.objects.bulk_create(users)
        by_email = {user.email: user for user in User.objects.filter(email__in=LOGIN_EMAILS)}
        memberships: list[Membership] = []
        for login in LOGINS:
            user = by_email[login.email]
            person = people.get(login.key)
            if person is not None:
                person.user = user
            if login.operator:
                RegionalOperator.objects.create(user=user, region=region)
            memberships.extend(
                Membership(user=user, organisation=organisations[login.org_slug], role=role)
                for role in login.roles
                if login.org_slug
            )
        Membership.objects.bulk_create(memberships)


def _feminine_position(position: str) -> str:
    for masculine, feminine in (("Студент ", "Студентка "), ("Заведующий ", "Заведующая ")):
        if position.startswith(masculine):
            return feminine + position[len(masculine) :]
    return position


def _group_classes(classes: Iterable[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    grouped: dict[int, list[str]] = {}
    for grade, letter in classes:
        grouped.setdefault(grade, []).append(letter)
    return sorted(grouped.items())


def _find_slot(
    slots: list[tuple[int, str]], taken: list[tuple[int, str]], *, twins: bool
) -> int | None:
    """A seat for a sibling: the twin's own class, or a grade at least two apart."""
    if twins:
        for index, slot in enumerate(slots):
            if slot == taken[0]:
                return index
        return None
    for index, (grade, _letter) in enumerate(slots):
        if all(abs(grade - other) >= 2 for other, _ in taken):
            return index
    return None


# --- the public functions the command calls ------------------------------------------------------

State = Literal["absent", "present", "conflict"]


def demo_state() -> State:
    """'conflict' when a demo slug or e-mail belongs to something that is not the demo."""
    organisations = list(Organisation.objects.filter(slug__in=DEMO_SLUGS))
    demo_emails = {school.email for school in SCHOOLS}
    if any(o.email not in demo_emails for o in organisations):
        return "conflict"
    if organisations or User.objects.filter(email__in=LOGIN_EMAILS).exists():
        return "present"
    return "absent"


@transaction.atomic
def remove_demo() -> None:
    """Deletes only what the demo made: its organisations (with their rows) and its accounts."""
    demo = Organisation.objects.filter(
        slug__in=DEMO_SLUGS, email__in=[school.email for school in SCHOOLS]
    )
    delete_stored_files(list(demo))
    demo.delete()
    User.objects.filter(email__in=LOGIN_EMAILS).delete()


# The summary's nouns in agreement with each count: «41 ученик», «2 выпускника».
SUMMARY_NOUNS = {
    PersonKind.STUDENT: ("ученик", "ученика", "учеников"),
    PersonKind.PARENT: (
        "родитель (законный представитель)",
        "родителя (законных представителя)",
        "родителей (законных представителей)",
    ),
    PersonKind.STAFF: ("сотрудник", "сотрудника", "сотрудников"),
    PersonKind.GRADUATE: ("выпускник", "выпускника", "выпускников"),
    PersonKind.EXTERNAL: ("внешний наставник", "внешних наставника", "внешних наставников"),
}


@transaction.atomic
def seed_demo(today: date | None = None) -> Summary:
    # The year is built through the services, whose events would mail the demo's people about
    # things that did not happen now; the bell gets its notifications from the rows instead.
    builder = DemoBuilder(today or timezone.localdate())
    with events.muted():
        schools = builder.build()
    for school in schools:
        build_notifications(school.organisation)
    lines = []
    for school in schools:
        lines.append(
            f"{school.organisation.short_name}: "
            + ", ".join(
                pluralize(school.count(kind), *forms) for kind, forms in SUMMARY_NOUNS.items()
            )
        )
    return Summary(lines=tuple(lines), stages=tuple(builder.stage_costs))


def format_logins(url: str = DEMO_URL) -> str:
    width_role = max(len(login.label) for login in LOGINS)
    width_email = max(len(login.email) for login in LOGINS)
    rule = "=" * (width_role + width_email + len(DEMO_PASSWORD) + 6)
    rows = [
        rule,
        "ДЕМО-ДОСТУП. Только для демонстрации: пароль общий и известен всем.",
        f"Откройте {url} и войдите:",
        "",
        f"{'Роль'.ljust(width_role)}   {'E-mail'.ljust(width_email)}   Пароль",
        f"{'-' * width_role}   {'-' * width_email}   {'-' * len(DEMO_PASSWORD)}",
    ]
    rows += [
        f"{login.label.ljust(width_role)}   {login.email.ljust(width_email)}   {DEMO_PASSWORD}"
        for login in LOGINS
    ]
    rows += ["", f"Администрирование: {url}admin/ (admin@nastavnik.demo)", rule]
    return "\n".join(rows)
