"""The life of a pair or group through its services: extension for an absence, replacement of
the mentor, completion (normal, early), termination, results. Every refusal changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from nastavnik.audit.models import AuditEntry
from nastavnik.core.dates import years_later
from nastavnik.documents.render import docx_text
from nastavnik.documents.russian import Case, decline_full_name
from nastavnik.matching.tests.data import approved_programme, mentor, student
from nastavnik.mentees.models import MenteeStatus
from nastavnik.mentors.models import MentorStatus
from nastavnik.mentorships import services
from nastavnik.mentorships.models import (
    AbsenceReason,
    AbsentSide,
    MentorAssignment,
    Mentorship,
    MentorshipExtension,
    MentorshipMentee,
    MentorshipResult,
    MentorshipStatus,
)
from nastavnik.mentorships.tests.data import active_pair, due_pair
from nastavnik.orders.kinds import OrderKind
from nastavnik.orders.models import Order
from nastavnik.people.tests.data import fio

Ground = MentorAssignment.Ground


def snapshot(mentorship: Mentorship) -> tuple:
    """Everything a refused change must leave as it was."""
    fresh = Mentorship.objects.get(pk=mentorship.pk)
    return (
        fresh.status,
        fresh.ended_on,
        fresh.end_reason,
        fresh.planned_end,
        fresh.extension_days,
        fresh.mentor_id,
        list(MentorshipMentee.objects.filter(mentorship=fresh).values_list("active", flat=True)),
        list(
            MentorAssignment.objects.filter(mentorship=fresh).values_list("mentor", "released_on")
        ),
        MentorshipExtension.objects.count(),
        MentorshipResult.objects.count(),
        Order.objects.count(),
        AuditEntry.objects.count(),
        sorted(m.mentee.status for m in fresh.members.select_related("mentee")),
    )


def refused(mentorship, call, msgid, **params):
    before = snapshot(mentorship)
    with pytest.raises(ValidationError) as caught:
        call()
    expected = gettext(msgid) % params if params else gettext(msgid)
    assert expected in caught.value.messages
    assert snapshot(mentorship) == before


# --- Completion -------------------------------------------------------------------------------


def test_completing_ends_the_pair_frees_the_mentee_and_keeps_the_results(programme, today):
    pair = due_pair(programme)
    member = pair.members.get()

    services.mentorship_complete(
        pair,
        ended_on=today,
        by=None,
        achievements="Призёр школьной олимпиады по математике",
        project="Геометрия вокруг нас",
        grades_change="Математика: с «3» до «4»",
        summary="План выполнен полностью",
        mentor_feedback="Мой подопечный стал увереннее",
        mentee_feedback="Было интересно",
    )

    pair.refresh_from_db()
    member.refresh_from_db()
    member.mentee.refresh_from_db()
    assert (pair.status, pair.ended_on) == (MentorshipStatus.COMPLETED, today)
    assert not member.active
    assert member.mentee.status == MenteeStatus.FINISHED
    assert pair.result.project == "Геометрия вокруг нас"
    assert pair.result.grades_change == "Математика: с «3» до «4»"
    assert pair.assignments.get().released_on == today
    # The mentor's place is free again.
    services.check_places(
        services.lock_mentors([pair.mentor_id]),
        __import__("collections").Counter({pair.mentor_id: 2}),
    )


def test_a_pair_is_completed_once(programme, today):
    pair = due_pair(programme)
    services.mentorship_complete(pair, ended_on=today, by=None, summary="Итог")

    for call in (
        lambda: services.mentorship_complete(pair, ended_on=today, by=None, summary="Другое"),
        lambda: services.mentorship_complete_early(pair, ended_on=today, reason="x", by=None),
        lambda: services.mentorship_terminate(pair, ended_on=today, reason="x", by=None),
    ):
        refused(
            pair,
            call,
            "This pair or group is no longer active (%(status)s): nothing was changed. Only an "
            "active pair or group can be completed, extended or given another mentor.",
            status=gettext("Completed").lower(),
        )
    assert MentorshipResult.objects.get().summary == "Итог"


def test_the_end_date_lies_between_the_start_and_today(programme, today):
    pair = active_pair(programme)
    refused(
        pair,
        lambda: services.mentorship_complete(
            pair, ended_on=pair.started_on - timedelta(days=1), by=None
        ),
        "The mentoring cannot end before it started (%(start)s).",
        start=pair.started_on.strftime("%d.%m.%Y"),
    )
    refused(
        pair,
        lambda: services.mentorship_complete(pair, ended_on=today + timedelta(days=1), by=None),
        "The mentoring cannot end later than today (%(today)s).",
        today=today.strftime("%d.%m.%Y"),
    )


BEFORE_PLANNED_END = (
    "The planned end of this mentoring is %(end)s: before it, the mentoring can be completed "
    "only early — with the reason, the agreement of the mentor and the curator and the "
    "director's order (regulation §2.7). Use «Complete early»."
)


def test_an_ordinary_completion_before_the_planned_end_is_refused(programme, today):
    """Six months, or one day, before the planned end: only the early completion ends it."""
    pair = active_pair(
        programme, started_on=today - timedelta(days=100), planned_end=today + timedelta(days=180)
    )
    for day in (today, today - timedelta(days=1)):
        refused(
            pair,
            lambda day=day: services.mentorship_complete(pair, ended_on=day, by=None, summary="x"),
            BEFORE_PLANNED_END,
            end=pair.planned_end.strftime("%d.%m.%Y"),
        )

    # On the planned end (and after it) it is the ordinary completion.
    due = due_pair(programme)
    services.mentorship_complete(due, ended_on=today, by=None)
    assert Mentorship.objects.get(pk=due.pk).status == MentorshipStatus.COMPLETED
    late = active_pair(
        programme,
        started_on=today - timedelta(days=200),
        planned_end=today - timedelta(days=3),
    )
    services.mentorship_complete(late, ended_on=today - timedelta(days=1), by=None)
    assert Mentorship.objects.get(pk=late.pk).status == MentorshipStatus.COMPLETED


def test_the_planned_end_cannot_be_moved_into_the_past(programme, today):
    """Else an ordinary completion could end the pair early after all."""
    pair = active_pair(programme, started_on=today - timedelta(days=100))
    for day in (today, today - timedelta(days=1)):
        refused(
            pair,
            lambda day=day: services.mentorship_set_end(pair, planned_end=day, by=None),
            "The new planned end must come after today (%(today)s): to end the mentoring now, "
            "complete it early, with the reason and the order.",
            today=today.strftime("%d.%m.%Y"),
        )
    services.mentorship_set_end(pair, planned_end=today + timedelta(days=1), by=None)
    assert Mentorship.objects.get(pk=pair.pk).planned_end == today + timedelta(days=1)


def test_a_result_text_has_a_limit(programme, today):
    pair = due_pair(programme)
    refused(
        pair,
        lambda: services.mentorship_complete(pair, ended_on=today, by=None, project="П" * 301),
        "At most %(max)s characters.",
        max=300,
    )


def test_early_completion_needs_a_reason_and_makes_its_order(programme, today):
    pair = active_pair(programme, grade=8)
    refused(
        pair,
        lambda: services.mentorship_complete_early(pair, ended_on=today, reason="  ", by=None),
        "Give the reason.",
    )
    due = active_pair(programme, started_on=today - timedelta(days=100), planned_end=today)
    refused(
        due,
        lambda: services.mentorship_complete_early(
            due, ended_on=today, reason="Цели достигнуты", by=None
        ),
        "An early completion comes before the planned end (%(end)s); on or after it, complete "
        "the mentoring as planned.",
        end=today.strftime("%d.%m.%Y"),
    )

    services.mentorship_complete_early(
        pair, ended_on=today, reason="Наставляемый быстро освоил программу", by=None
    )

    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.COMPLETED_EARLY
    assert pair.end_reason == "Наставляемый быстро освоил программу"
    order = pair.end_order
    assert order.kind == OrderKind.EARLY_COMPLETION and order.is_draft
    assert order.subjects.get().object_id == pair.pk
    text = docx_text(order.document.read())
    assert "Завершить досрочно" in text
    assert "Основание: Наставляемый быстро освоил программу" in text
    assert pair.members.get().mentee.person.last_name in text
    assert pair.members.get().mentee.status == MenteeStatus.FINISHED


def test_termination_needs_a_reason_and_returns_the_mentee_to_the_base(programme, today):
    pair = active_pair(programme)
    the_mentee = pair.members.get().mentee
    refused(
        pair,
        lambda: services.mentorship_terminate(pair, ended_on=today, reason="", by=None),
        "Give the reason.",
    )

    services.mentorship_terminate(pair, ended_on=today, reason="Наставник уволился", by=None)

    the_mentee.refresh_from_db()
    assert the_mentee.status == MenteeStatus.IN_BASE
    assert Mentorship.objects.get(pk=pair.pk).status == MentorshipStatus.TERMINATED
    # Free to be paired again.
    again = services.mentorship_create(
        programme,
        form=pair.form,
        mentor=mentor(programme),
        members=[services.NewMember(the_mentee)],
        started_on=today,
        planned_end=today + timedelta(days=100),
        by=None,
    )
    assert again.members.get().active


def test_results_are_edited_after_the_end_only(programme, today):
    pair = active_pair(programme)
    refused(
        pair,
        lambda: services.mentorship_results_save(pair, by=None, summary="Рано"),
        "Results are entered when the pair or group is completed.",
    )
    services.mentorship_terminate(pair, ended_on=today, reason="Переезд", by=None)
    services.mentorship_results_save(pair, by=None, summary="Встречались два месяца")
    assert pair.result.summary == "Встречались два месяца"


# --- The term and its extension --------------------------------------------------------------


def test_the_planned_end_is_at_most_a_year_after_the_start(programme):
    pair = active_pair(programme)
    latest = years_later(pair.started_on, 1)
    refused(
        pair,
        lambda: services.mentorship_set_end(pair, planned_end=latest + timedelta(days=1), by=None),
        "A mentorship lasts at most one year: the planned end can be %(latest)s at the latest.",
        latest=latest.strftime("%d.%m.%Y"),
    )
    services.mentorship_set_end(pair, planned_end=latest, by=None)
    assert Mentorship.objects.get(pk=pair.pk).planned_end == latest


def test_an_absence_extends_the_term_and_the_one_year_limit(programme):
    pair = active_pair(programme)
    start, before = pair.started_on, pair.planned_end
    absent_from = start + timedelta(days=10)

    extension = services.mentorship_extend(
        pair,
        reason=AbsenceReason.ILLNESS,
        absent_side=AbsentSide.MENTOR,
        absent_from=absent_from,
        absent_to=absent_from + timedelta(days=6),
        by=None,
    )

    pair.refresh_from_db()
    assert extension.days == 7
    assert pair.planned_end == before + timedelta(days=7)
    assert pair.extension_days == 7
    assert (extension.planned_end_before, extension.planned_end_after) == (
        before,
        pair.planned_end,
    )
    # A year and the seven days: allowed by the service and the database; a day more is not.
    latest = years_later(start, 1) + timedelta(days=7)
    services.mentorship_set_end(pair, planned_end=latest, by=None)
    refused(
        pair,
        lambda: services.mentorship_set_end(pair, planned_end=latest + timedelta(days=1), by=None),
        "A mentorship lasts at most one year and the days it was extended by: the planned end "
        "can be %(latest)s at the latest.",
        latest=latest.strftime("%d.%m.%Y"),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Mentorship.objects.filter(pk=pair.pk).update(planned_end=latest + timedelta(days=1))


def test_the_database_refuses_more_than_a_year_without_an_extension(programme):
    pair = active_pair(programme)
    with pytest.raises(IntegrityError), transaction.atomic():
        Mentorship.objects.filter(pk=pair.pk).update(
            planned_end=years_later(pair.started_on, 1) + timedelta(days=1)
        )


def test_bad_absences_are_refused(programme):
    pair = active_pair(programme)
    start, end = pair.started_on, pair.planned_end
    period = {"start": start.strftime("%d.%m.%Y"), "end": end.strftime("%d.%m.%Y")}

    def extend(**kwargs):
        values = {
            "reason": AbsenceReason.ILLNESS,
            "absent_side": AbsentSide.MENTEE,
            "absent_from": start + timedelta(days=5),
            "absent_to": start + timedelta(days=9),
            "by": None,
            **kwargs,
        }
        return lambda: services.mentorship_extend(pair, **values)

    refused(
        pair,
        extend(absent_from=start - timedelta(days=2)),
        "The absence must fall within the mentoring period, from %(start)s to %(end)s.",
        **period,
    )
    refused(
        pair,
        extend(absent_to=end + timedelta(days=1)),
        "The absence must fall within the mentoring period, from %(start)s to %(end)s.",
        **period,
    )
    refused(
        pair,
        extend(absent_to=start + timedelta(days=4)),
        "The absence cannot end before it starts.",
    )
    refused(pair, extend(reason="holiday"), "Choose the reason for the absence.")
    refused(pair, extend(absent_side="parent"), "Choose who was absent.")
    refused(
        pair,
        extend(reason=AbsenceReason.OTHER, reason_text=" "),
        "Describe the valid reason for the absence.",
    )
    refused(pair, extend(absent_from=None), "Enter the first and the last day of the absence.")

    extend(reason=AbsenceReason.BUSINESS_TRIP)()
    refused(
        pair,
        extend(absent_from=start + timedelta(days=9), absent_to=start + timedelta(days=12)),
        "These days overlap an absence already recorded (%(start)s – %(end)s): record only the "
        "days not yet counted.",
        start=(start + timedelta(days=5)).strftime("%d.%m.%Y"),
        end=(start + timedelta(days=9)).strftime("%d.%m.%Y"),
    )


# --- Replacement of the mentor ---------------------------------------------------------------


def test_replacing_the_mentor_keeps_the_period_and_the_history(programme, today):
    pair = active_pair(programme, grade=8)
    old = pair.mentor
    new = mentor(
        programme,
        person=student(
            programme.organisation,
            grade=11,
            **fio("Иванова Мария Петровна"),
            gender="f",
        ),
    )
    period = (pair.started_on, pair.planned_end)

    services.mentor_replace(
        pair, new_mentor=new, ground=Ground.INCOMPATIBILITY, on=today, by=None, note="По просьбе"
    )

    pair.refresh_from_db()
    assert pair.mentor == new
    assert (pair.started_on, pair.planned_end) == period
    first, second = pair.assignments.order_by("pk")
    assert (first.mentor, first.assigned_on, first.released_on) == (old, pair.started_on, today)
    assert (second.mentor, second.assigned_on, second.released_on) == (new, today, None)
    assert second.ground == Ground.INCOMPATIBILITY
    order = second.order
    assert order.kind == OrderKind.MENTOR_REPLACEMENT and order.is_draft
    text = docx_text(order.document.read())
    mentee_person = pair.members.get().mentee.person
    # «наставляемого Петрова», «наставляемой Петровой»: the word agrees with the person.
    mentee_word = "наставляемой" if mentee_person.gender == "f" else "наставляемого"
    assert f"Назначить наставником {mentee_word}" in text
    assert "Иванову Марию Петровну" in text
    assert f"Освободить {old.person.last_name}" in text
    assert "Период наставничества не изменяется" in text
    assert (
        f"{mentee_word} {decline_full_name(mentee_person.last_name, mentee_person.first_name, mentee_person.middle_name, mentee_person.gender, Case.GENITIVE)}"
        in text
    )
    assert "психологической несовместимостью" in text


def test_a_replacement_is_refused_when_the_data_are_wrong(programme, today, tenant_b):
    pair = active_pair(programme)
    free = mentor(programme)

    def replace(**kwargs):
        values = {"new_mentor": free, "ground": Ground.REQUEST, "on": today, "by": None, **kwargs}
        return lambda: services.mentor_replace(pair, **values)

    refused(pair, replace(ground=""), "Choose the ground for replacing the mentor.")
    refused(pair, replace(ground="whim"), "Choose the ground for replacing the mentor.")
    refused(pair, replace(new_mentor=None), "Choose the new mentor.")
    refused(
        pair,
        replace(new_mentor=pair.mentor),
        "%(name)s already mentors this pair or group: choose another mentor.",
        name=pair.mentor.person.full_name,
    )
    refused(
        pair,
        replace(on=pair.planned_end + timedelta(days=1)),
        "The new mentor takes over within the mentoring period, from %(start)s to %(end)s.",
        start=pair.started_on.strftime("%d.%m.%Y"),
        end=pair.planned_end.strftime("%d.%m.%Y"),
    )
    for outsider in (
        mentor(approved_programme(tenant_b.organisation)),
        mentor(programme, status=MentorStatus.APPROVED),
        mentor(programme, forms=("teacher-teacher",)),
        mentor(programme, with_consent=False),
    ):
        refused(
            pair,
            replace(new_mentor=outsider),
            "%(name)s cannot take this pair or group: the new mentor must be in the mentor "
            "registry of this programme, take the form «%(form)s» and have a valid consent.",
            name=outsider.person.full_name,
            form=pair.form.name,
        )


def test_a_new_mentor_needs_a_free_place(programme, today):
    full = mentor(programme, capacity=1)
    active_pair(programme, the_mentor=full)
    pair = active_pair(programme)
    before = snapshot(pair)
    with pytest.raises(ValidationError) as caught:
        services.mentor_replace(pair, new_mentor=full, ground=Ground.REQUEST, on=today, by=None)
    assert full.person.full_name in " ".join(caught.value.messages)
    assert snapshot(pair) == before


def test_a_group_gets_a_group_mentor(programme, today):
    group = active_pair(programme, mentees=3)
    one_to_one = mentor(programme)
    refused(
        group,
        lambda: services.mentor_replace(
            group, new_mentor=one_to_one, ground=Ground.LEFT_ORGANISATION, on=today, by=None
        ),
        "%(name)s does not lead a group: a group's new mentor must be a group mentor.",
        name=one_to_one.person.full_name,
    )
    leader = mentor(programme, leads_group=True, capacity=5)
    services.mentor_replace(
        group, new_mentor=leader, ground=Ground.LEFT_ORGANISATION, on=today, by=None
    )
    group.refresh_from_db()
    assert group.mentor == leader
    text = docx_text(group.assignments.get(mentor=leader).order.document.read())
    assert "наставнической группы в составе" in text


def test_a_completed_pair_gets_no_new_mentor(programme, today):
    pair = due_pair(programme)
    services.mentorship_complete(pair, ended_on=today, by=None)
    refused(
        pair,
        lambda: services.mentor_replace(
            pair, new_mentor=mentor(programme), ground=Ground.REQUEST, on=today, by=None
        ),
        "This pair or group is no longer active (%(status)s): nothing was changed. Only an "
        "active pair or group can be completed, extended or given another mentor.",
        status=gettext("Completed").lower(),
    )
