"""The rules of the mentee base, through its services: who enters, with what, how the status
moves, and third-party input. Every bad input: a clear message and nothing changed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from nastavnik.audit.models import AuditEntry, AuditObject
from nastavnik.catalogue.models import RoleModel
from nastavnik.consents.models import Purpose
from nastavnik.consents.tests.factories import ConsentFactory
from nastavnik.core.tests.pages import message_text
from nastavnik.mentees import services
from nastavnik.mentees.models import InputSource, Mentee, MenteeInput, MenteeStatus
from nastavnik.mentees.rules import MIN_STUDENT_AGE
from nastavnik.mentees.services import MESSAGES
from nastavnik.mentees.tests.factories import (
    MenteeFactory,
    consent,
    form,
    programme_of,
    student,
    young_teacher,
)
from nastavnik.orgs.models import Role
from nastavnik.people.tests.data import born
from nastavnik.people.tests.factories import ParentFactory, PersonFactory, StaffFactory
from nastavnik.programmes.models import ProgrammeStatus
from nastavnik.programmes.services import MESSAGES as PROGRAMME_MESSAGES

pytestmark = pytest.mark.django_db


def state():
    """Everything the base writes, to prove a refused write changed nothing."""
    return (
        list(Mentee.objects.order_by("pk").values()),
        list(MenteeInput.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


def messages_of(error: ValidationError, field: str | None = None) -> list[str]:
    if field is None:
        return error.messages
    return [m for e in error.error_dict[field] for m in e.messages]


def refused(call, field=None):
    before = state()
    with pytest.raises(ValidationError) as caught:
        call()
    assert state() == before
    return messages_of(caught.value, field)


msg = message_text(MESSAGES)


@pytest.fixture
def programme(org):
    return programme_of(org)


@pytest.fixture
def curator(tenant_a):
    return tenant_a.user(Role.CURATOR)


# --- Adding -----------------------------------------------------------------------------------


def test_an_eligible_student_with_consent_becomes_a_candidate_with_the_request(
    org, programme, curator
):
    pupil = student(org, 12)
    peer = form("student-student")
    role_model = programme.chosen_forms.get(form=peer).role_models.first()

    mentee = services.mentee_add(
        programme,
        pupil,
        {
            "form": peer,
            "role_model": role_model.pk,
            "topics": ["subject", "communication", "subject"],
            "request_text": "  Не понимаю дроби.  ",
            "subjects": "математика; физика",
            "availability": ["ср-вечер", "пн-день"],
            "results": "3,45",
        },
        by=curator,
    )

    mentee.refresh_from_db()
    assert mentee.status == MenteeStatus.CANDIDATE
    assert mentee.form == peer and mentee.role_model == role_model
    assert mentee.topics == ["subject", "communication"]
    assert mentee.request_text == "Не понимаю дроби."
    assert mentee.subjects == "математика, физика"
    assert mentee.availability == ["пн-день", "ср-вечер"]  # the week's order
    assert mentee.results == Decimal("3.45")
    assert mentee.added_by == curator
    entry = AuditEntry.objects.get(object_type=AuditObject.MENTEE, object_id=mentee.pk)
    assert entry.person == pupil and entry.changes["status"] == [None, "candidate"]


def test_a_nine_year_old_is_refused_with_the_reason(org, programme, curator):
    nine = student(org, 9)

    errors = refused(lambda: services.mentee_add(programme, nine, {}, by=curator), "person")

    assert errors == [
        ngettext(
            "The student is %(age)s year old: students become mentees from the age of %(min)s.",
            "The student is %(age)s years old: students become mentees from the age of %(min)s.",
            9,
        )
        % {"age": 9, "min": MIN_STUDENT_AGE}
    ]


def test_a_parent_is_refused(org, programme, curator):
    parent = consent(ParentFactory(organisation=org))

    errors = refused(lambda: services.mentee_add(programme, parent, {}, by=curator), "person")

    assert errors == [
        gettext(
            "%(category)s cannot be a mentee: mentees are students aged %(age)s and over, newly "
            "hired teachers and teachers who asked for a mentor."
        )
        % {"category": parent.get_kind_display(), "age": MIN_STUDENT_AGE}
    ]


def test_a_student_without_a_birth_date_is_refused(org, programme, curator):
    undated = consent(PersonFactory(organisation=org, birth_date=None))

    errors = refused(lambda: services.mentee_add(programme, undated, {}, by=curator), "person")

    assert errors == [
        gettext(
            "The student's birth date is not recorded: add it to the card, since students "
            "become mentees from the age of %(min)s."
        )
        % {"min": MIN_STUDENT_AGE}
    ]


def test_an_experienced_teacher_enters_only_when_asking(org, programme, curator):
    teacher = consent(StaffFactory(organisation=org, experience_years=20))

    refused(lambda: services.mentee_add(programme, teacher, {}, by=curator), "person")
    mentee = services.mentee_add(
        programme, teacher, {"asked_for_mentor": True, "form": form("teacher-teacher")}, by=curator
    )

    assert mentee.asked_for_mentor


@pytest.mark.parametrize("given", [(), (Purpose.PROCESSING,), (Purpose.PARTICIPATION,)])
def test_a_person_without_valid_consent_is_refused(org, programme, curator, given):
    pupil = student(org, 12, with_consent=False)
    for purpose in given:
        ConsentFactory(subject=pupil, given_by=pupil, purpose=purpose)

    errors = refused(lambda: services.mentee_add(programme, pupil, {}, by=curator), "person")

    assert errors == [msg("no_consent", name=pupil.full_name)]


def test_an_expired_consent_does_not_count(org, programme, curator):
    pupil = student(org, 12, with_consent=False)
    today = timezone.localdate()
    for purpose in (Purpose.PROCESSING, Purpose.PARTICIPATION):
        ConsentFactory(
            subject=pupil,
            given_by=pupil,
            purpose=purpose,
            given_on=today - timedelta(days=400),
            valid_until=today - timedelta(days=1),
        )

    errors = refused(lambda: services.mentee_add(programme, pupil, {}, by=curator), "person")

    assert errors == [msg("no_consent", name=pupil.full_name)]


def test_a_person_whose_consent_was_withdrawn_is_refused_as_hidden(org, programme, curator):
    pupil = student(org, 12, with_consent=False)
    ConsentFactory(subject=pupil, given_by=pupil, withdrawn_at=timezone.now())

    errors = refused(lambda: services.mentee_add(programme, pupil, {}, by=curator), "person")

    assert errors == [msg("hidden")]


def test_a_person_already_in_the_base_is_refused(org, programme, curator):
    pupil = student(org)
    services.mentee_add(programme, pupil, {}, by=curator)

    errors = refused(lambda: services.mentee_add(programme, pupil, {}, by=curator), "person")

    assert errors == [msg("taken", name=pupil.full_name, status=MenteeStatus.CANDIDATE.label)]


def test_a_person_of_another_organisation_is_refused(org, programme, curator, tenant_b):
    stranger = student(tenant_b.organisation)

    errors = refused(lambda: services.mentee_add(programme, stranger, {}, by=curator), "person")

    assert errors == [msg("person")]


def test_a_student_cannot_be_put_in_teacher_teacher(org, programme, curator):
    pupil = student(org)
    teachers = form("teacher-teacher")

    errors = refused(
        lambda: services.mentee_add(programme, pupil, {"form": teachers}, by=curator), "form"
    )

    assert errors == [msg("form_misfit", form=teachers.name)]


def test_a_form_the_programme_does_not_use_is_refused(org, curator):
    programme = programme_of(org, forms=("student-student",))

    errors = refused(
        lambda: services.mentee_add(
            programme, student(org), {"form": form("teacher-student")}, by=curator
        ),
        "form",
    )

    assert errors == [msg("form_unavailable")]


def test_a_role_model_of_another_form_is_refused(org, programme, curator):
    peer = form("student-student")
    other = RoleModel.objects.get(form__code="teacher-student", name="Коллега – молодой коллега")

    errors = refused(
        lambda: services.mentee_add(
            programme, student(org), {"form": peer, "role_model": other}, by=curator
        ),
        "role_model",
    )

    assert errors == [msg("role_model", form=peer.name)]


def test_a_role_model_the_programme_does_not_use_is_refused(org, programme, curator):
    peer = form("student-student")
    used = set(programme.chosen_forms.get(form=peer).role_models.values_list("pk", flat=True))
    unused = RoleModel.objects.filter(form=peer).exclude(pk__in=used).first()

    errors = refused(
        lambda: services.mentee_add(
            programme, student(org), {"form": peer, "role_model": unused.pk}, by=curator
        ),
        "role_model",
    )

    assert errors == [msg("role_model", form=peer.name)]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("topics", ["subject", "astrology"], ("topic", {"value": "astrology"})),
        ("availability", ["пн-вечер", "вс-ночь"], ("slot", {"value": "вс-ночь"})),
        ("meeting_format", "telepathy", ("meeting_format", {"value": "telepathy"})),
        ("results", "5.5", ("results_range", {"min": Decimal(2), "max": Decimal(5)})),
        ("results", "1.99", ("results_range", {"min": Decimal(2), "max": Decimal(5)})),
        ("results", "4.255", ("results_decimals", {})),
        ("results", "четыре", ("results_number", {})),
        ("request_text", "я" * 4001, ("length", {"max": 4000})),
    ],
)
def test_values_outside_the_vocabulary_are_refused(org, programme, curator, field, value, message):
    key, params = message

    errors = refused(
        lambda: services.mentee_add(programme, student(org), {field: value}, by=curator), field
    )

    assert errors == [msg(key, **params)]


def test_preferences_name_people_of_the_organisation_only(org, programme, curator, tenant_b):
    pupil = student(org)
    mentor = StaffFactory(organisation=org)
    stranger = StaffFactory(organisation=tenant_b.organisation)

    errors = refused(
        lambda: services.mentee_add(
            programme, pupil, {"preferences": [mentor.pk, stranger.pk]}, by=curator
        ),
        "preferences",
    )
    assert errors == [msg("preference_unknown")]
    errors = refused(
        lambda: services.mentee_add(programme, pupil, {"preferences": [pupil.pk]}, by=curator),
        "preferences",
    )
    assert errors == [msg("preference_self")]

    mentee = services.mentee_add(programme, pupil, {"preferences": [mentor.pk]}, by=curator)
    assert mentee.preferences == [mentor.pk]


def test_a_finished_programme_is_kept_as_it_was(org, programme, curator):
    programme.status = ProgrammeStatus.FINISHED
    programme.save()

    errors = refused(lambda: services.mentee_add(programme, student(org), {}, by=curator))

    assert errors == [str(PROGRAMME_MESSAGES["finished"])]


# --- Updating ---------------------------------------------------------------------------------


def test_update_changes_the_profile_and_logs_the_difference(org, programme, curator):
    mentee = services.mentee_add(programme, student(org), {"topics": ["subject"]}, by=curator)

    services.mentee_update(
        mentee, {"topics": ["subject", "exams"], "meeting_format": "remote"}, by=curator
    )

    mentee.refresh_from_db()
    assert mentee.topics == ["subject", "exams"] and mentee.meeting_format == "remote"
    change = AuditEntry.objects.filter(object_type=AuditObject.MENTEE).order_by("pk").last()
    assert change.changes == {
        "topics": ["subject", "subject, exams"],
        "meeting_format": ["both", "remote"],
    }


def test_changing_the_form_of_an_entry_to_a_role_model_of_another_form_is_refused(
    org, programme, curator
):
    peer = form("student-student")
    mentee = services.mentee_add(programme, student(org), {"form": peer}, by=curator)
    other = RoleModel.objects.get(form__code="teacher-student", name="Коллега – молодой коллега")

    errors = refused(
        lambda: services.mentee_update(mentee, {"role_model": other.pk}, by=curator), "role_model"
    )

    assert errors == [msg("role_model", form=peer.name)]


def test_a_teacher_who_no_longer_asks_stops_being_eligible(org, programme, curator):
    teacher = consent(StaffFactory(organisation=org, experience_years=15))
    mentee = services.mentee_add(programme, teacher, {"asked_for_mentor": True}, by=curator)

    errors = refused(
        lambda: services.mentee_update(mentee, {"asked_for_mentor": False}, by=curator),
        "asked_for_mentor",
    )

    assert errors and "15" in errors[0]


# --- Status -------------------------------------------------------------------------------------


def test_accepting_needs_a_form(org, programme, curator):
    mentee = services.mentee_add(programme, student(org), {}, by=curator)

    errors = refused(lambda: services.mentee_accept(mentee, by=curator), "form")

    assert errors == [msg("no_form")]


def test_accepting_checks_the_consent_again(org, programme, curator):
    pupil = student(org)
    mentee = services.mentee_add(programme, pupil, {"form": form("student-student")}, by=curator)
    pupil.consents.update(valid_until=timezone.localdate() - timedelta(days=1))

    errors = refused(lambda: services.mentee_accept(mentee, by=curator))

    assert errors == [msg("no_consent", name=pupil.full_name)]


def test_accepting_a_candidate_puts_them_in_the_base_with_history(org, programme, curator):
    mentee = services.mentee_add(
        programme, student(org), {"form": form("student-student")}, by=curator
    )

    services.mentee_accept(mentee, by=curator)

    mentee.refresh_from_db()
    assert mentee.status == MenteeStatus.IN_BASE
    statuses = [
        e.changes["status"]
        for e in AuditEntry.objects.filter(object_type=AuditObject.MENTEE).order_by("pk")
    ]
    assert statuses == [[None, "candidate"], ["candidate", "in_base"]]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (MenteeStatus.CANDIDATE, MenteeStatus.PAIRED),
        (MenteeStatus.CANDIDATE, MenteeStatus.FINISHED),
        (MenteeStatus.IN_BASE, MenteeStatus.FINISHED),
        (MenteeStatus.FINISHED, MenteeStatus.IN_BASE),
        (MenteeStatus.LEFT, MenteeStatus.PAIRED),
        (MenteeStatus.IN_BASE, MenteeStatus.IN_BASE),
    ],
)
def test_illegal_status_transitions_are_refused(org, curator, old, new):
    mentee = MenteeFactory(person=student(org), status=old)

    errors = refused(lambda: services.mentee_set_status(mentee, new, by=curator), "status")

    assert errors == [msg("transition", old=old.label, new=new.label)]


def test_pairing_ends_the_support_and_a_dissolved_pair_returns_to_the_base(org, curator):
    mentee = MenteeFactory(person=student(org), support_needed=True)

    services.mentee_set_status(mentee, MenteeStatus.PAIRED, by=curator)
    assert (mentee.status, mentee.support_needed) == (MenteeStatus.PAIRED, False)
    services.mentee_set_status(mentee, MenteeStatus.IN_BASE, by=curator)
    services.mentee_set_status(mentee, MenteeStatus.PAIRED, by=curator)
    services.mentee_set_status(mentee, MenteeStatus.FINISHED, by=curator)

    mentee.refresh_from_db()
    assert mentee.status == MenteeStatus.FINISHED


def test_leaving_needs_a_reason_and_keeps_it(org, curator):
    mentee = MenteeFactory(person=student(org))

    errors = refused(lambda: services.mentee_leave(mentee, "  ", by=curator), "left_reason")
    assert errors == [msg("reason_required")]

    services.mentee_leave(mentee, "Переехал в другой город.", by=curator)
    mentee.refresh_from_db()
    assert (mentee.status, mentee.left_reason) == (MenteeStatus.LEFT, "Переехал в другой город.")

    services.mentee_set_status(mentee, MenteeStatus.CANDIDATE, by=curator)
    mentee.refresh_from_db()
    assert (mentee.status, mentee.left_reason) == (MenteeStatus.CANDIDATE, "")


def test_an_entry_that_left_cannot_be_edited(org, curator):
    mentee = MenteeFactory(person=student(org), status=MenteeStatus.LEFT)

    errors = refused(lambda: services.mentee_update(mentee, {"topics": ["exams"]}, by=curator))

    assert errors == [msg("not_open")]


# --- Third-party input ------------------------------------------------------------------------


def test_a_specialist_adds_input_kept_with_name_role_and_date(org, tenant_a):
    psychologist = tenant_a.user(Role.SPECIALIST)
    StaffFactory(organisation=org, user=psychologist, position="Педагог-психолог")
    mentee = MenteeFactory(person=student(org))

    note = services.input_add(
        mentee,
        {"source": InputSource.PSYCHOLOGIST, "text": "Тревожится перед контрольными."},
        by=psychologist,
    )

    assert note.author == psychologist
    assert note.author_name == psychologist.get_full_name()
    assert note.author_role == "Педагог-психолог"
    assert note.created_at is not None
    assert AuditEntry.objects.filter(object_type=AuditObject.MENTEE_INPUT, person=mentee.person)


def test_input_without_text_or_source_is_refused(org, tenant_a):
    mentee = MenteeFactory(person=student(org))
    by = tenant_a.user(Role.SPECIALIST)

    before = state()
    with pytest.raises(ValidationError) as caught:
        services.input_add(mentee, {"source": "astrologer", "text": " "}, by=by)
    assert state() == before
    assert messages_of(caught.value, "source") == [msg("input_source")]
    assert messages_of(caught.value, "text") == [msg("input_text")]


def test_input_about_someone_without_consent_is_refused(org, tenant_a):
    pupil = PersonFactory(organisation=org, birth_date=born(12, org))
    mentee = MenteeFactory(person=pupil)

    errors = refused(
        lambda: services.input_add(
            mentee, {"source": "parent", "text": "Просим наставника."}, by=tenant_a.user("curator")
        )
    )

    assert errors == [msg("no_consent", name=pupil.full_name)]


def test_a_young_teacher_joins_teacher_teacher(org, programme, curator):
    teacher = young_teacher(org, 1)

    mentee = services.mentee_add(programme, teacher, {"form": form("teacher-teacher")}, by=curator)
    services.mentee_accept(mentee, by=curator)

    assert mentee.status == MenteeStatus.IN_BASE


def test_a_mentee_in_the_base_keeps_a_form(org, curator):
    mentee = MenteeFactory(person=student(org))

    errors = refused(lambda: services.mentee_update(mentee, {"form": None}, by=curator), "form")

    assert errors == [msg("no_form")]
