"""The rules of the mentor base, the selection, the registry, the mentor school and portfolios,
through the services every door uses. Each refusal says why and changes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext

from nastavnik.catalogue.models import MentoringForm
from nastavnik.catalogue.profile import MentorCategory
from nastavnik.consents.models import Purpose
from nastavnik.consents.services import consent_withdraw
from nastavnik.consents.tests.factories import ConsentFactory
from nastavnik.documents.render import docx_text
from nastavnik.mentors import rules, services
from nastavnik.mentors.models import (
    GROUP_LIMIT,
    Attendance,
    CommissionMember,
    DocumentKind,
    Mentor,
    MentorDocument,
    MentorStatus,
    PortfolioItem,
    SelectionScore,
    TrainingEvent,
)
from nastavnik.mentors.services import MESSAGES
from nastavnik.mentors.tests import data
from nastavnik.mentors.tests.factories import MentorFactory, PortfolioItemFactory
from nastavnik.orders.documents import render_order
from nastavnik.orders.models import OrderStatus
from nastavnik.orders.services import order_sign
from nastavnik.orgs.models import Role
from nastavnik.people.models import PersonKind
from nastavnik.people.tests.data import fio
from nastavnik.people.tests.factories import PersonFactory, StaffFactory

pytestmark = pytest.mark.django_db

SCORES = {
    "experience": 4,
    "competencies": 5,
    "communication": 4,
    "time": 3,
    "life_experience": 4,
    "fit": 4,
    "civic_position": 5,
    "motivation": 5,
}


def message(key, **params):
    text = gettext(MESSAGES[key])
    return text % params if params else text


def messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


@pytest.fixture
def programme(org):
    return data.programme(org)


def refused(write, key, **params):
    """The write raises the rule's message and leaves every row as it was."""
    before = data.snapshot()
    with pytest.raises(ValidationError) as caught:
        write()
    assert message(key, **params) in messages_of(caught.value)
    assert data.snapshot() == before
    return caught.value


def put_forward(programme, person=None):
    mentor = services.mentor_add(programme, person or data.staff(programme.organisation), by=None)
    return services.mentor_put_forward(mentor, by=None)


# --- The mentor base ---------------------------------------------------------------------------


def test_a_person_with_consent_enters_the_base_as_a_candidate_with_their_record(programme, org):
    teacher = data.staff(org, subjects="Физика, Астрономия", experience_years=15)

    mentor = services.mentor_add(
        programme,
        teacher,
        {
            "forms": [MentoringForm.objects.get(code="teacher-teacher", organisation=None)],
            "availability": ["ср-вечер", "пн-утро"],
            "capacity": 1,
        },
        by=None,
    )

    assert mentor.status == MentorStatus.CANDIDATE
    assert mentor.category == MentorCategory.STAFF
    assert mentor.subjects == "Физика, Астрономия"
    assert mentor.experience_years == 15
    # Slots are kept in the week's order whatever order they were ticked in.
    assert mentor.availability == ["пн-утро", "ср-вечер"]
    assert [f.code for f in mentor.forms.all()] == ["teacher-teacher"]
    assert mentor.person.mentor_entries.get() == mentor


def test_the_category_follows_the_person_record(programme, org):
    graduate = data.consent(
        PersonFactory(organisation=org, kind=PersonKind.GRADUATE, grade=None, class_letter=""),
        Purpose.PARTICIPATION,
    )
    university = data.external(org, external_category="university_student")

    assert services.mentor_add(programme, graduate, by=None).category == MentorCategory.GRADUATE
    assert (
        services.mentor_add(programme, university, by=None).category
        == MentorCategory.UNIVERSITY_STUDENT
    )


def test_without_a_consent_to_take_part_nobody_enters_the_base(programme, org):
    only_processing = data.consent(StaffFactory(organisation=org))

    refused(
        lambda: services.mentor_add(programme, only_processing, by=None),
        "no_consent",
        name=only_processing.full_name,
    )


def test_a_person_of_another_organisation_is_refused(programme, tenant_b):
    stranger = data.staff(tenant_b.organisation)

    refused(lambda: services.mentor_add(programme, stranger, by=None), "person")


def test_a_person_enters_a_programmes_base_once(programme, org):
    teacher = data.staff(org)
    services.mentor_add(programme, teacher, by=None)

    refused(
        lambda: services.mentor_add(programme, teacher, by=None), "taken", name=teacher.full_name
    )


@pytest.mark.parametrize(
    ("fields", "key", "params"),
    [
        ({"capacity": 0}, "capacity_zero", {}),
        ({"capacity": 3}, "capacity_rule", {"limit": 2}),
        ({"capacity": 16, "leads_group": True}, "capacity_group", {"limit": GROUP_LIMIT}),
        ({"capacity": "много"}, "capacity_zero", {}),
    ],
)
def test_capacity_follows_the_rule_of_two(programme, org, fields, key, params):
    mentor = services.mentor_add(programme, data.staff(org), by=None)

    refused(lambda: services.mentor_update(mentor, fields, by=None), key, **params)
    refused(lambda: services.mentor_add(programme, data.staff(org), fields, by=None), key, **params)


def test_a_group_mentor_takes_the_size_of_the_group(programme, org):
    mentor = services.mentor_add(programme, data.staff(org), by=None)

    services.mentor_update(mentor, {"leads_group": True, "capacity": 8}, by=None)

    mentor.refresh_from_db()
    assert (mentor.leads_group, mentor.capacity) == (True, 8)
    # Leaving the group with 8 places is refused: the rule of two applies again.
    refused(
        lambda: services.mentor_update(mentor, {"leads_group": False}, by=None),
        "capacity_rule",
        limit=2,
    )


@pytest.mark.parametrize(
    ("fields", "field", "key"),
    [
        ({"availability": ["пн-ночь"]}, "availability", "slots"),
        ({"meeting_format": "pigeon"}, "meeting_format", "choice"),
        ({"category": "astronaut"}, "category", "choice"),
        ({"experience_years": 71}, "experience_years", "experience"),
        ({"hours_per_month": -1}, "hours_per_month", "hours"),
        ({"preferences": [10**9]}, "preferences", "preferences"),
    ],
)
def test_bad_profile_values_are_named_by_field(programme, org, fields, field, key):
    mentor = services.mentor_add(programme, data.staff(org), by=None)
    before = data.snapshot()

    with pytest.raises(ValidationError) as caught:
        services.mentor_update(mentor, fields, by=None)

    assert field in caught.value.error_dict
    assert data.snapshot() == before


def test_forms_and_role_models_come_from_the_catalogue(programme, org, tenant_b):
    from nastavnik.catalogue.models import RoleModel

    mentor = services.mentor_add(programme, data.staff(org), by=None)
    teacher_teacher = MentoringForm.objects.get(code="teacher-teacher", organisation=None)
    foreign_form = MentoringForm.objects.create(
        organisation=tenant_b.organisation, code="own", name="Чужая форма", goal="—"
    )
    other_model = RoleModel.objects.filter(organisation=None).exclude(form=teacher_teacher).first()

    refused(lambda: services.mentor_update(mentor, {"forms": [foreign_form]}, by=None), "forms")
    refused(
        lambda: services.mentor_update(
            mentor, {"forms": [teacher_teacher], "role_models": [other_model]}, by=None
        ),
        "role_models",
    )


def test_a_change_of_the_profile_is_audited(programme, org):
    from nastavnik.audit.models import AuditEntry, AuditObject

    mentor = services.mentor_add(programme, data.staff(org), by=None)

    services.mentor_update(mentor, {"motivation": "Хочу помогать молодым коллегам"}, by=None)

    entry = AuditEntry.objects.filter(object_type=AuditObject.MENTOR, object_id=mentor.pk).first()
    assert entry.person == mentor.person
    assert entry.changes["motivation"] == ["", "Хочу помогать молодым коллегам"]


# --- Documents of external mentors -------------------------------------------------------------


def test_an_external_mentor_without_documents_is_not_put_forward(programme, org):
    mentor = services.mentor_add(programme, data.external(org), by=None)
    assert rules.needs_documents(mentor)

    refused(
        lambda: services.mentor_put_forward(mentor, by=None),
        "documents",
        name=mentor.person.full_name,
    )


def test_with_one_document_only_the_external_mentor_still_waits(programme, org):
    mentor = services.mentor_add(programme, data.external(org), by=None)
    data.documents(mentor, kinds=(DocumentKind.MEDICAL,))

    assert not rules.documents_valid(mentor, timezone.localdate())
    refused(
        lambda: services.mentor_put_forward(mentor, by=None),
        "documents",
        name=mentor.person.full_name,
    )


def test_with_both_documents_valid_the_external_mentor_is_put_forward(programme, org):
    mentor = services.mentor_add(programme, data.external(org), by=None)
    data.documents(mentor)

    services.mentor_put_forward(mentor, by=None)

    assert Mentor.objects.get(pk=mentor.pk).status == MentorStatus.SELECTION


def test_staff_need_no_documents(programme, org):
    mentor = services.mentor_add(programme, data.staff(org), by=None)

    assert not rules.needs_documents(mentor)
    assert rules.documents_valid(mentor, timezone.localdate())
    assert Mentor.objects.filter(rules.documents_valid_q(timezone.localdate())).get() == mentor


def _save(mentor, **overrides):
    today = timezone.localdate()
    values = {
        "number": "17/2025",
        "issued_on": today - timedelta(days=10),
        "valid_until": today + timedelta(days=100),
        "scan": ContentFile(data.PDF, name="справка.pdf"),
        "by": None,
        **overrides,
    }
    return services.document_save(mentor, DocumentKind.NO_CRIMINAL_RECORD, **values)


def test_a_document_valid_until_before_its_issue_is_refused(programme, org):
    mentor = services.mentor_add(programme, data.external(org), by=None)
    today = timezone.localdate()

    refused(
        lambda: _save(mentor, issued_on=today, valid_until=today - timedelta(days=1)),
        "document_dates",
    )


def test_an_expired_document_or_one_without_a_scan_is_refused(programme, org):
    from nastavnik.core.uploads import UPLOAD_MESSAGES

    mentor = services.mentor_add(programme, data.external(org), by=None)
    today = timezone.localdate()

    refused(
        lambda: _save(
            mentor, issued_on=today - timedelta(days=400), valid_until=today - timedelta(days=1)
        ),
        "document_expired",
        date=(today - timedelta(days=1)).strftime("%d.%m.%Y"),
    )
    refused(lambda: _save(mentor, scan=None), "scan_required")
    before = data.snapshot()
    with pytest.raises(ValidationError) as caught:
        _save(mentor, scan=ContentFile(b"MZ\x90\x00 not a scan", name="справка.pdf"))
    assert gettext(UPLOAD_MESSAGES["type"]) in caught.value.messages
    assert data.snapshot() == before


def test_a_new_document_replaces_the_old_one(programme, org):
    mentor = services.mentor_add(programme, data.external(org), by=None)
    first = _save(mentor)

    second = _save(mentor, number="99/2026")

    assert second.pk == first.pk
    assert MentorDocument.objects.get().number == "99/2026"


def test_expiring_documents_are_found_a_month_ahead(programme, org, tenant_b):
    soon = services.mentor_add(programme, data.external(org), by=None)
    later = services.mentor_add(programme, data.external(org, last_name="Орлов"), by=None)
    data.documents(soon, until_days=20)
    data.documents(later, until_days=200)
    other = services.mentor_add(
        data.programme(tenant_b.organisation), data.external(tenant_b.organisation), by=None
    )
    data.documents(other, until_days=5)
    today = timezone.localdate()

    expiring = rules.expiring_documents(org, today)

    assert {d.person_id for d in expiring} == {soon.person_id}
    assert expiring.count() == 2
    ours = Mentor.objects.filter(programme=programme)
    assert list(ours.filter(rules.expiring_documents_q(today))) == [soon]
    # Past the date the documents are no longer valid: the mentor counts as without them.
    assert not rules.documents_valid(soon, today + timedelta(days=21))
    assert (
        Mentor.objects.filter(programme=programme)
        .filter(rules.missing_documents_q(today + timedelta(days=21)))
        .get()
        == soon
    )


# --- The commission ---------------------------------------------------------------------------


def test_the_commission_is_headed_by_the_director_with_the_curator(programme, tenant_a):
    members = data.tenant_commission(tenant_a)

    made = services.commission_set(programme, members, by=None)

    assert len(made) == 3
    chair = CommissionMember.objects.get(programme=programme, is_chair=True)
    assert chair.user == tenant_a.user(Role.DIRECTOR)


def test_a_commission_of_two_or_six_is_refused(programme, tenant_a):
    org = tenant_a.organisation
    two = [tenant_a.user(Role.DIRECTOR), tenant_a.user(Role.CURATOR)]
    six = [*data.tenant_commission(tenant_a)] + [
        data.account(org, Role.COMMISSION_MEMBER, last_name=name)
        for name in ("Орлова", "Зайцева", "Волкова")
    ]

    refused(
        lambda: services.commission_set(programme, two, by=None),
        "commission_size",
        min=3,
        max=5,
        count=2,
    )
    refused(
        lambda: services.commission_set(programme, six, by=None),
        "commission_size",
        min=3,
        max=5,
        count=6,
    )


def test_a_commission_without_the_director_or_the_curator_is_refused(programme, tenant_a):
    org = tenant_a.organisation
    extra = [data.account(org, Role.COMMISSION_MEMBER, last_name=n) for n in ("Орлова", "Зайцева")]

    refused(
        lambda: services.commission_set(programme, [tenant_a.user(Role.CURATOR), *extra], by=None),
        "commission_director",
    )
    refused(
        lambda: services.commission_set(programme, [tenant_a.user(Role.DIRECTOR), *extra], by=None),
        "commission_curator",
    )
    refused(
        lambda: services.commission_set(
            programme,
            data.tenant_commission(tenant_a),
            chair=tenant_a.user(Role.CURATOR),
            by=None,
        ),
        "commission_chair",
    )


def test_only_accounts_that_may_score_sit_on_the_commission(programme, tenant_a, tenant_b):
    members = data.tenant_commission(tenant_a)
    parent = tenant_a.user(Role.GUARDIAN)
    outsider = tenant_b.user(Role.COMMISSION_MEMBER)

    for intruder in (parent, outsider):
        refused(
            lambda intruder=intruder: services.commission_set(
                programme, [*members, intruder], by=None
            ),
            "commission_user",
            name=intruder.get_full_name() or intruder.email,
        )


def test_a_member_who_scored_stays_on_the_commission(programme, tenant_a):
    members = data.tenant_commission(tenant_a)
    services.commission_set(programme, members, by=None)
    mentor = put_forward(programme)
    services.score_record(mentor, members[2], SCORES, by=None)
    replacement = data.account(tenant_a.organisation, Role.COMMISSION_MEMBER, last_name="Орлова")

    refused(
        lambda: services.commission_set(programme, [*members[:2], replacement], by=None),
        "commission_scored",
        name=members[2].get_full_name(),
    )


# --- Scores and the decision ---------------------------------------------------------------------


@pytest.fixture
def commission(programme, tenant_a):
    members = data.tenant_commission(tenant_a)
    services.commission_set(programme, members, by=None)
    return members


def test_each_member_scores_once(programme, commission):
    mentor = put_forward(programme)
    services.score_record(mentor, commission[0], SCORES, "Сильный кандидат", by=None)

    refused(lambda: services.score_record(mentor, commission[0], SCORES, by=None), "scored_twice")
    assert SelectionScore.objects.get().total == sum(SCORES.values())


def test_a_member_corrects_their_own_score_before_the_decision(programme, commission):
    mentor = put_forward(programme)
    score = services.score_record(mentor, commission[0], SCORES, by=None)

    services.score_correct(score, commission[0], {**SCORES, "time": 1}, "Мало времени", by=None)

    score.refresh_from_db()
    assert (score.time, score.note) == (1, "Мало времени")
    refused(lambda: services.score_correct(score, commission[1], SCORES, by=None), "not_own_score")


def test_a_non_member_does_not_score(programme, commission, tenant_a):
    mentor = put_forward(programme)
    stranger = data.account(tenant_a.organisation, Role.COMMISSION_MEMBER, last_name="Орлова")

    refused(lambda: services.score_record(mentor, stranger, SCORES, by=None), "not_member")


def test_a_member_does_not_score_their_own_candidacy(programme, commission, tenant_a):
    org = tenant_a.organisation
    member = commission[2]
    mentor = put_forward(programme, data.staff(org, user=member))

    refused(lambda: services.score_record(mentor, member, SCORES, by=None), "own_candidacy")


@pytest.mark.parametrize("bad", [6, -1, "пять", None])
def test_each_criterion_is_scored_from_0_to_5(programme, commission, bad):
    mentor = put_forward(programme)

    error = refused(
        lambda: services.score_record(mentor, commission[0], {**SCORES, "fit": bad}, by=None),
        "score_range",
        min=0,
        max=5,
    )
    assert list(error.error_dict) == ["fit"]


def test_only_a_candidate_put_forward_is_scored(programme, commission, org):
    candidate = services.mentor_add(programme, data.staff(org), by=None)

    refused(
        lambda: services.score_record(candidate, commission[0], SCORES, by=None), "not_put_forward"
    )


def test_the_decision_waits_for_three_scores(programme, commission):
    mentor = put_forward(programme)
    for member in commission[:2]:
        services.score_record(mentor, member, SCORES, by=None)

    refused(
        lambda: services.decision_record(mentor, True, by=None), "decision_scores", min=3, count=2
    )


def test_after_three_scores_the_commission_decides_and_scoring_closes(programme, commission):
    mentor = put_forward(programme)
    for member in commission:
        services.score_record(mentor, member, SCORES, by=None)

    services.decision_record(mentor, True, by=None)

    mentor.refresh_from_db()
    assert mentor.status == MentorStatus.APPROVED
    assert mentor.decided_on == timezone.localdate()
    score = SelectionScore.objects.filter(mentor=mentor).first()
    refused(lambda: services.score_correct(score, score.member.user, SCORES, by=None), "decided")
    refused(lambda: services.decision_record(mentor, False, "Нет", by=None), "decision_status")


def test_not_approving_needs_a_reason(programme, commission):
    mentor = put_forward(programme)
    for member in commission:
        services.score_record(mentor, member, SCORES, by=None)

    refused(lambda: services.decision_record(mentor, False, "  ", by=None), "decision_note")
    services.decision_record(mentor, False, "Мало времени на встречи", by=None)
    assert Mentor.objects.get(pk=mentor.pk).status == MentorStatus.REJECTED


def test_an_external_mentor_whose_documents_expired_is_not_approved(programme, commission, org):
    mentor = services.mentor_add(programme, data.external(org), by=None)
    data.documents(mentor)
    services.mentor_put_forward(mentor, by=None)
    for member in commission:
        services.score_record(mentor, member, SCORES, by=None)
    MentorDocument.objects.update(valid_until=timezone.localdate() - timedelta(days=1))

    refused(
        lambda: services.decision_record(mentor, True, by=None),
        "documents",
        name=mentor.person.full_name,
    )


# --- The registry order ------------------------------------------------------------------------


def approved(programme, commission, person=None):
    mentor = put_forward(programme, person)
    for member in commission:
        services.score_record(mentor, member, SCORES, by=None)
    return services.decision_record(mentor, True, by=None)


def test_a_registry_order_with_no_approved_mentor_is_refused(programme, commission, org):
    StaffFactory(organisation=org, position="Директор")
    put_forward(programme)

    refused(lambda: services.registry_order_create(programme, by=None), "no_approved")


def test_signing_the_registry_order_registers_the_mentors_it_lists(programme, commission, org):
    director = StaffFactory(organisation=org, position="Директор", last_name="Соколов")
    first = approved(programme, commission)
    second = approved(programme, commission, data.staff(org, last_name="Андреева", gender="f"))
    still_candidate = services.mentor_add(programme, data.staff(org, last_name="Белов"), by=None)

    order = services.registry_order_create(programme, signatory=director, by=None)

    assert order.status == OrderStatus.DRAFT
    assert order.title.startswith("Об утверждении реестра наставников")
    refused(
        lambda: services.registry_order_create(programme, signatory=director, by=None),
        "order_pending",
        number=order.number,
    )
    order_sign(order, ContentFile(data.PDF, name="scan.pdf"), by=None)

    registered = Mentor.objects.filter(status=MentorStatus.REGISTERED)
    assert set(registered) == {first, second}
    assert {m.registry_order_id for m in registered} == {order.pk}
    assert Mentor.objects.get(pk=still_candidate.pk).status == MentorStatus.CANDIDATE

    # A mentor approved later enters by an order that adds to the registry.
    third = approved(programme, commission, data.staff(org, last_name="Волков"))
    supplement = services.registry_order_create(programme, signatory=director, by=None)
    assert supplement.title.startswith("О дополнении реестра наставников")
    assert list(services.mentors_of_order(supplement)) == [third]
    text = docx_text(render_order(supplement))
    assert "1. Включить в реестр наставников" in text
    assert third.person.full_name in text and first.person.full_name not in text


def test_a_mentor_who_left_before_signing_is_not_registered(programme, commission, org):
    director = StaffFactory(organisation=org, position="Директор")
    mentor = approved(programme, commission)
    order = services.registry_order_create(programme, signatory=director, by=None)
    services.mentor_leave(mentor, "Личное заявление", by=None)

    order_sign(order, ContentFile(data.PDF, name="scan.pdf"), by=None)

    assert Mentor.objects.get(pk=mentor.pk).status == MentorStatus.LEFT


def test_the_registry_order_reads_as_an_order(programme, commission, org):
    director = StaffFactory(organisation=org, position="Директор", **fio("Соколов Иван Петрович"))
    teacher = data.staff(
        org,
        **fio("Андреева Мария Ивановна"),
        gender="f",
        position="Учитель математики",
    )
    mentor = approved(programme, commission, teacher)
    form = MentoringForm.objects.get(code="teacher-teacher", organisation=None)
    services.mentor_update(mentor, {"forms": [form]}, by=None)

    order = services.registry_order_create(programme, signatory=director, by=None)
    text = docx_text(render_order(order))

    assert "ПРИКАЗ" in text
    assert f"Об утверждении реестра наставников на {programme.academic_year.label}" in text
    assert "ПРИКАЗЫВАЮ:" in text
    assert "1 наставник" in text
    assert "Андреева Мария Ивановна" in text
    assert "учитель математики" in text
    assert f"в формах наставничества «{form.name}»" in text
    assert "Приложение" in text and "РЕЕСТР НАСТАВНИКОВ" in text
    assert "И. П. Соколов" in text


# --- The mentor school ------------------------------------------------------------------------


def test_the_plan_of_the_mentor_school_fills_the_year_once(programme):
    made = services.training_plan_fill(programme, by=None)
    again = services.training_plan_fill(programme, by=None)

    year = programme.academic_year
    assert len(made) == 11 and again == []
    assert all(year.starts_on <= e.held_on <= year.ends_on for e in made)
    assert all(e.held_on.weekday() < 5 for e in made)
    assert TrainingEvent.objects.filter(programme=programme, required=True).count() == 4
    # An event deleted by hand comes back; one edited by hand stays as edited.
    TrainingEvent.objects.filter(plan_code="intro").update(topic="Установочная встреча")
    TrainingEvent.objects.filter(plan_code="exchange").delete()
    assert [e.plan_code for e in services.training_plan_fill(programme, by=None)] == ["exchange"]
    assert TrainingEvent.objects.get(plan_code="intro").topic == "Установочная встреча"


def test_an_event_outside_the_academic_year_is_refused(programme):
    day = programme.academic_year.ends_on + timedelta(days=1)

    refused(
        lambda: services.training_event_create(
            programme, {"held_on": day, "topic": "Тренинг"}, by=None
        ),
        "event_outside",
        year=programme.academic_year.label,
        start=programme.academic_year.starts_on.strftime("%d.%m.%Y"),
        end=programme.academic_year.ends_on.strftime("%d.%m.%Y"),
    )


def _event(programme, days_ago, required=True):
    day = max(timezone.localdate() - timedelta(days=days_ago), programme.academic_year.starts_on)
    return services.training_event_create(
        programme, {"held_on": day, "topic": f"Занятие {days_ago}", "required": required}, by=None
    )


def test_completion_is_every_required_event_held_so_far(programme, org):
    mentor = services.mentor_add(programme, data.staff(org), by=None)
    other = services.mentor_add(programme, data.staff(org, last_name="Орлов"), by=None)
    today = timezone.localdate()
    assert rules.required_held(programme.pk, today) == 0
    first = _event(programme, 0)
    optional = _event(programme, 0, required=False)
    services.attendance_set(first, [mentor, other], by=None)
    services.attendance_set(optional, [mentor], by=None)
    later = services.training_event_create(
        programme,
        {"held_on": programme.academic_year.ends_on, "topic": "Итоги", "required": True},
        by=None,
    )

    held = rules.required_held(programme.pk, today)
    done = Mentor.objects.filter(programme=programme)
    done = rules.with_training(done, today).filter(rules.training_completed_q(held))

    assert held == 1
    assert set(done) == {mentor, other}
    # An event ahead takes no attendance yet.
    refused(lambda: services.attendance_set(later, [mentor], by=None), "attendance_future")


def test_the_curators_mark_completes_the_school(programme, org):
    mentor = services.mentor_add(programme, data.staff(org), by=None)

    refused(lambda: services.training_mark(mentor, True, " ", by=None), "training_note")
    services.training_mark(mentor, True, "Курсы ПК, 72 ч", by=None)

    marked = rules.with_training(Mentor.objects.all(), timezone.localdate())
    assert marked.filter(rules.training_completed_q(0)).get() == mentor


def test_attendance_is_of_the_programmes_mentors(programme, tenant_b, org):
    event = _event(programme, 0)
    stranger = MentorFactory(programme=data.programme(tenant_b.organisation))
    gone = services.mentor_add(programme, data.staff(org), by=None)
    services.mentor_leave(gone, "Уволился", by=None)

    refused(lambda: services.attendance_set(event, [stranger], by=None), "attendance_mentor")
    refused(lambda: services.attendance_set(event, [gone], by=None), "attendance_mentor")
    assert not Attendance.objects.exists()


# --- Portfolios -------------------------------------------------------------------------------


def test_publishing_needs_the_consent_to_publication(org):
    person = data.staff(org)
    item = services.portfolio_item_create(
        person, {"kind": "case", "title": "Кейс: адаптация молодого учителя"}, by=None
    )

    refused(
        lambda: services.portfolio_publish(item, True, by=None),
        "publish_consent",
        name=person.full_name,
    )
    assert not PortfolioItem.objects.public().exists()


def test_a_withdrawn_consent_takes_the_portfolio_off_at_once(org):
    person = data.staff(org, Purpose.PUBLICATION)
    item = PortfolioItemFactory(person=person)
    services.portfolio_publish(item, True, by=None)
    assert list(PortfolioItem.objects.public()) == [item]

    consent_withdraw(person.consents.get(purpose=Purpose.PUBLICATION), reason="Отзываю", by=None)

    assert not PortfolioItem.objects.public().exists()
    # The mark stays; only a new consent would show the item again.
    assert PortfolioItem.objects.get().published
    ConsentFactory(subject=person, given_by=person, purpose=Purpose.PUBLICATION)
    assert list(PortfolioItem.objects.public()) == [item]


def test_a_portfolio_item_needs_a_kind_and_a_title(org):
    person = data.staff(org)

    refused(
        lambda: services.portfolio_item_create(person, {"kind": "case"}, by=None), "portfolio_title"
    )
    refused(
        lambda: services.portfolio_item_create(person, {"kind": "poem", "title": "Стих"}, by=None),
        "portfolio_kind",
    )


def test_leaving_needs_a_reason_and_happens_once(programme, org):
    mentor = services.mentor_add(programme, data.staff(org), by=None)

    refused(lambda: services.mentor_leave(mentor, "", by=None), "leave_reason")
    services.mentor_leave(mentor, "Увольнение из организации", by=None)

    mentor.refresh_from_db()
    assert (mentor.status, mentor.left_on) == (MentorStatus.LEFT, timezone.localdate())
    refused(lambda: services.mentor_leave(mentor, "Ещё раз", by=None), "left", name=str(mentor))
    refused(
        lambda: services.mentor_update(mentor, {"capacity": 1}, by=None), "left", name=str(mentor)
    )
