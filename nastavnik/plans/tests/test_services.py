"""Plans as the services write them: drawn up from the typical plan with dates inside the
pair's term, items validated, every refusal leaving everything as it was."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext

from conftest import make_tenant
from nastavnik.audit.models import AuditEntry, AuditObject
from nastavnik.core.tests.shared_rows import copied, module_rows
from nastavnik.mentorships.access import Side
from nastavnik.mentorships.models import MentorshipStatus
from nastavnik.people.validators import org_today
from nastavnik.plans import services
from nastavnik.plans.models import DevelopmentPlan, PlanComment, PlanItem, PlanItemStatus
from nastavnik.plans.tests.data import TYPICAL, two_pairs
from nastavnik.programmes.models import PlanSection, TypicalPlanItem

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _rows() -> dict[str, list[tuple]]:
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for model in (DevelopmentPlan, PlanItem, PlanComment, AuditEntry)
    }


built = module_rows(lambda: two_pairs(make_tenant("school-a")))


@pytest.fixture
def pairs(built, db):
    # Built once for the module; each test runs in a savepoint of it with its own copy.
    return copied(built)


@pytest.fixture
def plan(pairs):
    return services.plan_start(pairs[0].mentorship, by=pairs[0].mentor_user)


@pytest.mark.parametrize(
    ("timing", "month"),
    [
        ("октябрь", 10),
        ("февраль – апрель", 4),
        ("до конца мая", 5),
        ("в течение года", None),
        ("", None),
    ],
)
def test_the_last_month_a_timing_names(timing, month):
    assert services.last_month_named(timing) == month


def test_due_dates_follow_the_timing_and_stay_within_the_term():
    term = services.Term(date(2026, 10, 15), date(2027, 5, 31))
    lines = [
        TypicalPlanItem(section=PlanSection.GOAL, text="Цель", timing=""),
        TypicalPlanItem(section=PlanSection.TASK, text="Задача", timing=""),
        TypicalPlanItem(section=PlanSection.ACTIVITY, text="Разбор", timing="еженедельно"),
        TypicalPlanItem(section=PlanSection.ACTIVITY, text="Проект", timing="февраль – апрель"),
        TypicalPlanItem(section=PlanSection.ACTIVITY, text="Поход", timing="сентябрь"),
        TypicalPlanItem(section=PlanSection.ACTIVITY, text="Диагностика", timing="октябрь"),
    ]
    dates = services.spread_due_dates(lines, term)
    assert dates == [
        date(2027, 5, 31),
        date(2027, 2, 6),  # the one undated task: the middle of the term
        date(2027, 5, 31),
        date(2027, 4, 30),
        date(2027, 5, 31),  # September of the next year is past the end: the end
        date(2026, 10, 31),
    ]


def test_a_plan_starts_from_the_typical_plan_of_the_form_and_is_audited(pairs):
    first = pairs[0]
    plan = services.plan_start(first.mentorship, by=first.mentor_user)

    items = list(plan.items.all())
    assert [i.text for i in items] == [text for _, text, _ in TYPICAL]
    today = org_today(first.mentorship.organisation)
    assert all(today <= i.due_on <= first.mentorship.planned_end for i in items)
    assert {i.status for i in items} == {PlanItemStatus.PLANNED}
    assert AuditEntry.objects.filter(object_type=AuditObject.PLAN_ITEM).count() == len(TYPICAL)
    assert AuditEntry.objects.filter(
        object_type=AuditObject.PLAN_ITEM, person=first.mentee
    ).count() == len(TYPICAL)


def test_a_second_plan_is_refused(plan, pairs):
    before = _rows()
    with pytest.raises(ValidationError) as caught:
        services.plan_start(pairs[0].mentorship, by=None)
    assert gettext("The pair already has a development plan.") in caught.value.messages
    assert _rows() == before


def test_an_empty_plan_when_asked(pairs):
    plan = services.plan_start(pairs[0].mentorship, from_typical=False, by=None)
    assert plan.items.count() == 0


def _data(**fields):
    return {
        "section": PlanSection.ACTIVITY,
        "text": "Олимпиада",
        "due_on": None,
        "responsible": "mentee",
        "status": "planned",
        "result": "",
        "evidence_link": "",
        **fields,
    }


def test_an_item_is_added_with_its_evidence(plan, pairs):
    item = services.item_create(
        plan,
        _data(
            status="done",
            result="Диплом призёра",
            evidence=SimpleUploadedFile("диплом.pdf", PDF),
            evidence_link="https://olimp.example.ru/results",
        ),
        by=pairs[0].mentee_user,
    )
    item.refresh_from_db()
    assert item.evidence.name.startswith(f"plans/{plan.organisation_id}/evidence/")
    assert item.evidence.name.endswith(".pdf")
    assert item.position == len(TYPICAL)
    entry = AuditEntry.objects.filter(object_type=AuditObject.PLAN_ITEM, object_id=item.pk).get()
    assert entry.changes["result"] == [None, "Диплом призёра"]


@pytest.mark.parametrize(
    ("fields", "field", "msgid"),
    [
        ({"text": "   "}, "text", "Write what the item is about."),
        (
            {"section": "wish"},
            "section",
            "Choose whether the item is a goal, a task or an activity.",
        ),
        ({"responsible": "director"}, "responsible", "Choose who is responsible for the item."),
        ({"status": "lost"}, "status", "Choose the status of the item."),
        (
            {"status": "done", "result": ""},
            "result",
            "An item marked done needs its result: write what came of it.",
        ),
        ({"status": "dropped"}, "result", "Write in the result why the item is dropped."),
        (
            {"evidence_link": "javascript:alert(1)"},
            "evidence_link",
            "Give the link as a full web address starting with http:// or https://.",
        ),
        (
            {"evidence": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00")},
            "evidence",
            "Upload a scan as a PDF, JPEG or PNG file; this file is none of them.",
        ),
    ],
)
def test_bad_items_are_refused_and_nothing_changes(plan, pairs, fields, field, msgid):
    item = plan.items.first()
    before = _rows()
    for write in (
        lambda: services.item_create(plan, _data(**fields), by=None),
        lambda: services.item_update(item, _data(**fields), by=None),
    ):
        with pytest.raises(ValidationError) as caught:
            write()
        assert gettext(msgid) in caught.value.message_dict[field]
    assert _rows() == before


@pytest.mark.parametrize("shift", [-31, 1])
def test_a_due_date_outside_the_term_is_refused(plan, pairs, shift):
    mentorship = pairs[0].mentorship
    day = (mentorship.started_on if shift < 0 else mentorship.planned_end) + timedelta(days=shift)
    before = _rows()
    with pytest.raises(ValidationError) as caught:
        services.item_create(plan, _data(due_on=day), by=None)
    assert (
        gettext("The due date must fall within the pair's term: from %(start)s to %(end)s.")
        % {
            "start": mentorship.started_on.strftime("%d.%m.%Y"),
            "end": mentorship.planned_end.strftime("%d.%m.%Y"),
        }
        in caught.value.message_dict["due_on"]
    )
    assert _rows() == before


def test_an_item_is_changed_and_the_change_audited(plan, pairs):
    item = plan.items.first()
    services.item_update(
        item, _data(text=item.text, status="done", result="Четвертная «4»"), by=pairs[0].mentor_user
    )
    item.refresh_from_db()
    assert (item.status, item.result, item.updated_by) == (
        "done",
        "Четвертная «4»",
        pairs[0].mentor_user,
    )
    entry = AuditEntry.objects.filter(object_id=item.pk, action="update").get()
    assert entry.changes["status"] == ["planned", "done"]


def test_overdue_items_are_the_open_ones_past_their_date(plan, pairs):
    today = org_today(plan.organisation)
    items = list(plan.items.all())
    PlanItem.objects.filter(pk=items[0].pk).update(due_on=today - timedelta(days=1))
    PlanItem.objects.filter(pk=items[1].pk).update(
        due_on=today - timedelta(days=1), status="done", result="Сделано"
    )
    PlanItem.objects.filter(pk=items[2].pk).update(due_on=today)
    assert list(PlanItem.objects.overdue(today)) == [items[0]]
    assert list(PlanItem.objects.filter(plan__mentorship=pairs[0].mentorship).overdue(today)) == [
        items[0]
    ]


def test_a_finished_pair_keeps_its_plan_unchanged(plan, pairs):
    mentorship = pairs[0].mentorship
    mentorship.status = MentorshipStatus.COMPLETED
    mentorship.save(update_fields=["status"])
    item = plan.items.first()
    before = _rows()
    for write in (
        lambda: services.item_create(plan, _data(), by=None),
        lambda: services.item_update(item, _data(), by=None),
        lambda: services.item_delete(item, by=None),
    ):
        with pytest.raises(ValidationError):
            write()
    assert _rows() == before


def test_only_the_curator_comments(plan, pairs):
    before = _rows()
    for side in (Side.MENTOR, Side.MENTEE, None):
        with pytest.raises(ValidationError):
            services.comment_add(plan, "Хорошо", side=side, by=None)
    with pytest.raises(ValidationError):
        services.comment_add(plan, "  ", side=Side.CURATOR, by=None)
    assert _rows() == before
    comment = services.comment_add(
        plan, "Добавьте участие в олимпиаде", side=Side.CURATOR, by=None, item=plan.items.first()
    )
    assert comment.item == plan.items.first()


def test_a_comment_on_another_plans_item_is_refused(plan, pairs):
    other = services.plan_start(pairs[1].mentorship, by=None)
    before = _rows()
    with pytest.raises(ValidationError):
        services.comment_add(plan, "Текст", side=Side.CURATOR, by=None, item=other.items.first())
    assert _rows() == before


def test_the_curator_shares_the_mentors_contact(plan):
    with pytest.raises(ValidationError):
        services.contact_set(plan, "почта", side=Side.MENTOR, by=None)
    services.contact_set(plan, "  e-mail belkina@school.ru,  каб. 21 ", side=Side.CURATOR, by=None)
    plan.refresh_from_db()
    assert plan.mentor_contact == "e-mail belkina@school.ru, каб. 21"
