"""The demo's mentee base and entry assessment keep the rules the services enforce, though they
go in with bulk_create, and take little of the seed's time."""

from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.assessments.models import Measure, Phase
from nastavnik.consents.models import Purpose
from nastavnik.consents.rules import valid_consent_q
from nastavnik.demo.tests.factories import seeded_demo, stage_costs
from nastavnik.mentees.models import InputSource, Mentee, MenteeInput, MenteeStatus
from nastavnik.mentees.rules import eligibility, form_fits
from nastavnik.orgs.models import AcademicYear
from nastavnik.people.models import Person, PersonKind
from nastavnik.programmes.models import ProgrammeForm

# The part takes about 0.05 s and a dozen queries on an idle laptop; the time limit is generous
# because a loaded machine can slow anything tenfold, the query count is what must not grow.
TIME_LIMIT = 2.0
QUERY_LIMIT = 25


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    with seeded_demo(django_db_blocker) as output:
        yield output


@pytest.fixture
def took(demo_loaded, db):
    """What the seed's mentee-base stage cost (CPU seconds, queries)."""
    return stage_costs(demo_loaded)["mentee_base"]


def entries():
    """The entries the mentee base's demo made (the curator typed them in); later steps of the
    demo add their own (questionnaire answers) and pair some of them. Only the current year's:
    the demo keeps the closed year before it too."""
    return Mentee.objects.filter(
        organisation__slug="school-5",
        added_by__email="curator@school5.demo",
        programme__academic_year__start_year=AcademicYear.start_year_for(timezone.localdate()),
    ).select_related("person", "form", "role_model", "programme")


def test_the_base_is_built_quickly(took):
    assert took.queries <= QUERY_LIMIT
    assert took.seconds < TIME_LIMIT


def test_a_realistic_base_of_students_and_young_teachers(took):
    base = list(entries())
    kinds = Counter(m.person.kind for m in base)
    assert 35 <= kinds[PersonKind.STUDENT] <= 45
    assert 2 <= kinds[PersonKind.STAFF] <= 3
    statuses = Counter(m.status for m in base)
    assert statuses[MenteeStatus.CANDIDATE] >= 3
    assert statuses[MenteeStatus.LEFT] == 1
    # Matching, later in the demo, pairs some of those in the base.
    assert statuses[MenteeStatus.IN_BASE] + statuses[MenteeStatus.PAIRED] >= 30
    left = next(m for m in base if m.status == MenteeStatus.LEFT)
    assert left.left_reason
    assert all(m.request_text and m.topics and m.availability for m in base)


def test_every_entry_keeps_the_rules(took):
    today = timezone.localdate()
    for mentee in entries():
        person = mentee.person
        assert eligibility(person, today, asked_for_mentor=mentee.asked_for_mentor).ok
        assert Person.objects.filter(pk=person.pk).filter(valid_consent_q(Purpose.PARTICIPATION))
        if mentee.form is not None:
            assert form_fits(person, mentee.form)
            chosen = ProgrammeForm.objects.get(programme=mentee.programme, form=mentee.form)
            if mentee.role_model is not None:
                assert mentee.role_model in chosen.role_models.all()
        else:
            assert mentee.status == MenteeStatus.CANDIDATE
        if person.kind == PersonKind.STAFF:
            assert mentee.form.code == "teacher-teacher"


def test_the_demo_mentee_is_in_the_base_with_entry_measures(took):
    mentee = entries().get(person__user__email="mentee@school5.demo")
    assert mentee.status in (MenteeStatus.IN_BASE, MenteeStatus.PAIRED)
    assert mentee.person.grade == 8
    assert (
        Measure.objects.filter(
            person=mentee.person, phase=Phase.ENTRY, programme=mentee.programme
        ).count()
        >= 5
    )


def test_third_parties_have_spoken(took):
    sources = Counter(MenteeInput.objects.values_list("source", flat=True))
    assert sources[InputSource.PSYCHOLOGIST] >= 5
    assert sources[InputSource.CLASS_TEACHER] >= 5
    psychologist = User.objects.get(email="psychologist@school5.demo")
    assert MenteeInput.objects.filter(author=psychologist).exists()


def test_entry_measures_of_september_and_october_for_most(took):
    today = timezone.localdate()
    in_base = entries().filter(status__in=(MenteeStatus.IN_BASE, MenteeStatus.PAIRED))
    measured = in_base.filter(person__measures__phase=Phase.ENTRY).distinct().count()
    assert measured / in_base.count() > 0.7
    year = AcademicYear.containing(today)
    typed_in = Measure.objects.filter(
        programme__organisation__slug="school-5",
        programme__academic_year=year,
        recorded_by__email="psychologist@school5.demo",
    )
    assert typed_in.exists()
    assert set(typed_in.values_list("phase", flat=True)) == {Phase.ENTRY}
    for day in typed_in.values_list("measured_on", flat=True).distinct():
        assert year.starts_on <= day <= min(today, year.starts_on + timedelta(days=61))


def test_the_curator_sees_the_base_and_a_card(took, client):
    client.force_login(User.objects.get(email="curator@school5.demo"))

    response = client.get(reverse("mentees:list", kwargs={"org_slug": "school-5"}), follow=True)

    assert response.status_code == 200
    assert len(response.context["page"].object_list) >= 40
    mentee = entries().filter(inputs__isnull=False).first()
    card = client.get(
        reverse("mentees:detail", kwargs={"org_slug": "school-5", "mentee_pk": mentee.pk})
    )
    assert card.status_code == 200
    assert [h["new"] for h in card.context["history"]][:1] == [MenteeStatus.CANDIDATE.label]
    table = client.get(reverse("assessments:list", kwargs={"org_slug": "school-5"}), follow=True)
    assert table.status_code == 200 and table.context["rows"]
