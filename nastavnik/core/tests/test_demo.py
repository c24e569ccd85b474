import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.demo import names
from nastavnik.demo.seed import DEMO_PASSWORD, LOGINS
from nastavnik.demo.tests.factories import seeded_demo
from nastavnik.documents.russian import plural_form
from nastavnik.orgs.models import (
    AcademicYear,
    Membership,
    Organisation,
    RegionalOperator,
    Role,
)
from nastavnik.people.models import GuardianLink, Person, PersonKind

pytestmark = pytest.mark.slow

MASCULINE_SURNAME_ENDINGS = ("ов", "ев", "ёв", "ин", "ын", "ский", "цкий", "ой", "ый")
FEMININE_SURNAME_ENDINGS = ("ова", "ева", "ёва", "ина", "ына", "ская", "цкая", "ая")


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Loads the demo once for the module (a second or so) and removes it afterwards, so the
    rest of the suite sees an empty database. Each test still runs in its own transaction."""
    with seeded_demo(django_db_blocker) as output:
        yield output


@pytest.fixture
def demo(demo_output, db):
    return demo_output


def students(slug="school-5"):
    return Person.objects.filter(organisation__slug=slug, kind=PersonKind.STUDENT)


def test_creates_the_promised_people(demo):
    school5 = Organisation.objects.get(slug="school-5")
    counts = {
        kind: Person.objects.filter(organisation=school5, kind=kind).count()
        for kind in PersonKind.values
    }
    assert 560 <= counts[PersonKind.STUDENT] <= 640
    assert 55 <= counts[PersonKind.STAFF] <= 65
    assert 25 <= counts[PersonKind.GRADUATE] <= 35
    assert 12 <= counts[PersonKind.EXTERNAL] <= 18
    assert 35 <= students("school-2").count() <= 50
    with_guardian = students().filter(guardian_links__isnull=False).distinct().count()
    assert with_guardian / counts[PersonKind.STUDENT] > 0.85

    assert school5.short_name == "МАОУ СШ № 5"
    assert "Средняя школа № 5" in school5.name
    assert school5.timezone == "Asia/Yekaterinburg"
    assert school5.municipality.region.name == "Свердловская область"
    assert school5.municipality == Organisation.objects.get(slug="school-2").municipality
    technopark = Person.objects.filter(organisation=school5, notes__contains="«Кванториум»")
    assert technopark.filter(position="Педагог дополнительного образования").count() == 4
    positions = set(
        Person.objects.filter(organisation=school5, kind=PersonKind.STAFF).values_list(
            "position", flat=True
        )
    )
    assert {"Директор", "Педагог-психолог", "Социальный педагог", "Учитель математики"} <= positions
    external = set(
        Person.objects.filter(organisation=school5, kind=PersonKind.EXTERNAL).values_list(
            "external_category", flat=True
        )
    )
    assert external == {"employer", "entrepreneur", "university_student", "partner"}


def test_inn_has_valid_check_digit(demo):
    for organisation in Organisation.objects.filter(slug__in=["school-5", "school-2"]):
        digits = [int(d) for d in organisation.inn]
        weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
        assert len(digits) == 10
        assert sum(d * w for d, w in zip(digits, weights, strict=False)) % 11 % 10 == digits[9]


def test_every_students_age_fits_the_grade(demo):
    year = AcademicYear.start_year_for(timezone.localdate())
    first_september = date(year, 9, 1)
    checked = 0
    for student in Person.objects.filter(kind=PersonKind.STUDENT):
        grade = student.grade
        assert 1 <= grade <= 11
        assert student.class_letter in {"А", "Б", "В"}
        # In grade g on 1 September of year Y: born in Y-6-g, give or take a year.
        assert abs(student.birth_date.year - (year - 6 - grade)) <= 1, student
        assert grade + 5 <= student.age_on(first_september) <= grade + 6, student
        checked += 1
    assert checked > 600


def test_names_agree_with_gender(demo):
    people = list(Person.objects.filter(organisation__slug__in=["school-5", "school-2"]))
    assert {p.gender for p in people} == {"m", "f"}
    for person in people:
        if person.gender == "m":
            assert person.middle_name.endswith("ич"), person
            assert not person.last_name.endswith(FEMININE_SURNAME_ENDINGS), person
        else:
            assert person.middle_name.endswith(("вна", "чна")), person
            assert not person.last_name.endswith(MASCULINE_SURNAME_ENDINGS), person
    # The irregular patronymics do occur, so the table is exercised.
    middle_names = {p.middle_name for p in people}
    assert middle_names & {"Ильич", "Ильинична", "Никитич", "Никитична", "Львович", "Львовна"}


def test_siblings_share_surname_and_the_fathers_patronymic(demo):
    fathers = GuardianLink.objects.filter(
        organisation__slug="school-5", relation="father"
    ).select_related("guardian", "child")
    by_father: dict[int, list[Person]] = {}
    for link in fathers:
        by_father.setdefault(link.guardian_id, []).append(link.child)
        father, child = link.guardian, link.child
        assert child.last_name == names.surname_for(father.last_name, child.gender)
        assert child.middle_name == names.patronymic(father.first_name, child.gender)
    # Brothers and sisters come out of one family, not out of a coincidence of names.
    assert len([kids for kids in by_father.values() if len(kids) > 1]) > 30


@pytest.mark.parametrize(
    ("masculine", "feminine"),
    [
        ("Иванов", "Иванова"),
        ("Соловьёв", "Соловьёва"),
        ("Ильин", "Ильина"),
        ("Вишневский", "Вишневская"),
        ("Городецкий", "Городецкая"),
        ("Трубецкой", "Трубецкая"),
        ("Толстой", "Толстая"),
        ("Шевчук", "Шевчук"),
        ("Дурново", "Дурново"),
        ("Черных", "Черных"),
        ("Коваленко", "Коваленко"),
    ],
)
def test_feminine_surname(masculine, feminine):
    assert names.feminine_surname(masculine) == feminine


def test_name_tables_cover_every_name_they_use():
    for pool in (names.CHILD_MALE_NAMES, names.ADULT_MALE_NAMES, names.ELDER_MALE_NAMES):
        assert set(pool) <= set(names.MALE_NAMES)
    assert len(names.MALE_NAMES) >= 40
    assert names.patronymic("Илья", "f") == "Ильинична"
    assert names.patronymic("Лев", "m") == "Львович"
    assert names.patronymic("Никита", "f") == "Никитична"


def test_guardian_links_stay_inside_one_organisation_and_parents_are_adults(demo):
    today = timezone.localdate()
    links = GuardianLink.objects.select_related("guardian", "child")
    assert links.count() > 600
    for link in links:
        assert link.organisation_id == link.guardian.organisation_id == link.child.organisation_id
        assert link.guardian.kind == PersonKind.PARENT
        assert link.child.kind == PersonKind.STUDENT
        assert 24 <= link.guardian.age_on(today) <= 55, link
        mothers_and_fathers = {"mother": "f", "father": "m"}
        if link.relation in mothers_and_fathers:
            assert link.guardian.gender == mothers_and_fathers[link.relation]


def test_staff_experience_fits_age(demo):
    today = timezone.localdate()
    staff = Person.objects.filter(organisation__slug="school-5", kind=PersonKind.STAFF)
    for person in staff:
        assert 22 <= person.age_on(today) <= 65, person
        assert 0 <= person.experience_years <= person.age_on(today) - 21, person
    young = [p for p in staff if p.experience_years <= 3]
    assert len(young) >= 3  # someone for teacher–teacher mentoring


def test_printed_logins_log_in_and_land_where_expected(demo, client):
    printed = dict(re.findall(r"(\S+@\S+\.demo)\s+(\S+)\s*$", demo, flags=re.MULTILINE))
    assert set(printed) == {login.email for login in LOGINS}
    assert "http://127.0.0.1:8000/" in demo
    for email, password in printed.items():
        assert password == DEMO_PASSWORD
        response = client.post(reverse("accounts:login"), {"username": email, "password": password})
        assert response.status_code == 302, email
        user = User.objects.get(email=email)
        assert client.session["_auth_user_id"] == str(user.pk)
        client.logout()


def test_accounts_hold_their_roles_and_records(demo, client):
    def roles(email, slug="school-5"):
        return set(
            Membership.objects.filter(user__email=email, organisation__slug=slug).values_list(
                "role", flat=True
            )
        )

    assert roles("director@school5.demo") == {Role.DIRECTOR}
    assert roles("teacher@school5.demo") == {Role.MENTOR, Role.COMMISSION_MEMBER}
    assert roles("curator@school2.demo", "school-2") == {Role.CURATOR}
    assert roles("curator@school2.demo") == set()

    mentee = Person.objects.get(user__email="mentee@school5.demo")
    assert mentee.kind == PersonKind.STUDENT
    assert mentee.age_on(timezone.localdate()) >= 14
    parent = Person.objects.get(user__email="parent@school5.demo")
    assert GuardianLink.objects.filter(guardian=parent, child=mentee).exists()
    psychologist = Person.objects.get(user__email="psychologist@school5.demo")
    assert psychologist.position == "Педагог-психолог"
    mentor = Person.objects.get(user__email="mentor@school5.demo")
    assert "Кванториум" in mentor.notes
    operator = RegionalOperator.objects.get(user__email="operator@region66.demo")
    assert operator.municipality is None
    assert set(operator.organisations().values_list("slug", flat=True)) >= {"school-5", "school-2"}

    client.force_login(User.objects.get(email="parent@school5.demo"))
    response = client.get(reverse("orgs:dashboard", kwargs={"org_slug": "school-5"}))
    assert mentee.full_name in response.content.decode()


def test_the_second_school_is_isolated_from_the_first(demo, client):
    client.force_login(User.objects.get(email="curator@school2.demo"))
    other = client.get(reverse("orgs:dashboard", kwargs={"org_slug": "school-5"}))
    own = client.get(reverse("orgs:dashboard", kwargs={"org_slug": "school-2"}))
    assert other.status_code == 404
    assert own.context["org"].slug == "school-2"


def test_second_run_without_reset_changes_nothing(demo):
    models = (Organisation, Person, GuardianLink, User, Membership, RegionalOperator)
    before = {model: model.objects.count() for model in models}
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert {model: model.objects.count() for model in models} == before
    assert "curator@school5.demo" in out.getvalue()


def test_reset_reloads_the_same_data(demo):
    def snapshot():
        return sorted(
            Person.objects.filter(organisation__slug__in=["school-5", "school-2"]).values_list(
                "name_key", "birth_date", "kind", "grade", "class_letter"
            )
        )

    before = snapshot()
    users_before = User.objects.count()
    call_command("seed_demo", "--reset", stdout=StringIO())
    assert snapshot() == before
    assert User.objects.count() == users_before
    assert Organisation.objects.filter(slug="school-5").count() == 1


def test_refuses_to_touch_an_organisation_that_is_not_the_demo(demo):
    Organisation.objects.filter(slug="school-5").update(email="office@real-school.ru")
    people = Person.objects.filter(organisation__slug="school-5").count()

    with pytest.raises(CommandError):
        call_command("seed_demo", "--reset", stdout=StringIO())

    assert Person.objects.filter(organisation__slug="school-5").count() == people


def test_readme_lists_exactly_the_demo_logins():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    table_emails = set(re.findall(r"^\|[^|]*\| `(\S+@\S+\.demo)` \|", readme, flags=re.MULTILINE))
    assert table_emails == {login.email for login in LOGINS}
    assert f"`{DEMO_PASSWORD}`" in readme


def test_the_summary_agrees_each_count_with_its_noun(demo):
    school2 = Organisation.objects.get(slug="school-2")
    pupils = students("school-2").count()
    line = next(line for line in demo.splitlines() if line.startswith(school2.short_name))
    assert f"{pupils} {plural_form(pupils, 'ученик', 'ученика', 'учеников')}," in line
    # «41 учеников» before: the form for 41 is the singular.
    assert plural_form(41, "ученик", "ученика", "учеников") == "ученик"
    assert "0 выпускников" in line and "0 внешних наставников" in line


def test_the_regional_operator_sees_every_school_against_its_target_and_gets_the_report(
    demo, client
):
    client.force_login(User.objects.get(email="operator@region66.demo"))

    page = client.get(reverse("region:dashboard"))
    client.post(reverse("region:report_new"), {})
    report = page.context["latest"] or client.get(reverse("region:dashboard")).context["latest"]
    download = client.get(
        reverse("region:report_download", kwargs={"report_pk": report.pk, "fmt": "xlsx"})
    )

    rows = {row["name"]: row for row in page.context["rows"]}
    assert set(rows) == {"МАОУ СШ № 5", "МАОУ СШ № 2", "МАОУ СШ № 3 (Ревда)"}
    assert all(row["students_target"] is not None for row in rows.values())
    assert isinstance(rows["МАОУ СШ № 5"]["students_percent"], float)
    assert "< 5" in {row["staff"] for row in rows.values()}
    assert download.status_code == 200


def test_the_demo_logins_of_a_pair_and_the_curator_have_unread_notifications(demo, client):
    from nastavnik.notifications.models import Notification

    for email in ("mentee@school5.demo", "mentor@school5.demo", "parent@school5.demo"):
        user = User.objects.get(email=email)
        assert Notification.objects.filter(recipient=user).unread().exists(), email
        client.force_login(user)
        page = client.get(reverse("notifications:list", kwargs={"org_slug": "school-5"}))
        assert page.context["page"].paginator.count > 0, email
    curator = User.objects.get(email="curator@school5.demo")
    assert Notification.objects.filter(recipient=curator, kind="concern.raised").exists()
