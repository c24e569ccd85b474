"""Two pairs of one organisation with accounts on every side (mentor, mentee, the mentee's
parent), so every test of a pair's pages has a pair whose data could leak into the other's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from nastavnik.accounts.models import User
from nastavnik.matching.tests.data import approved_programme, mentee, mentor, student
from nastavnik.mentorships import services as mentorship_services
from nastavnik.mentorships.models import Mentorship
from nastavnik.orgs.models import Organisation, Role
from nastavnik.orgs.tests.factories import MembershipFactory, UserFactory
from nastavnik.people.models import GuardianLink, GuardianRelation, Person
from nastavnik.people.tests.data import fio, with_account
from nastavnik.people.tests.factories import ParentFactory
from nastavnik.people.validators import org_today
from nastavnik.programmes.models import PlanSection, Programme, TypicalPlanItem
from nastavnik.programmes.tests.data import builtin_form

TYPICAL = (
    (PlanSection.GOAL, "Повысить успеваемость по математике", ""),
    (PlanSection.TASK, "Выявить пробелы в знаниях", ""),
    (PlanSection.ACTIVITY, "Совместный разбор заданий", "еженедельно"),
    (PlanSection.ACTIVITY, "Проект в паре", "февраль – апрель"),
)


@dataclass
class Pair:
    mentorship: Mentorship
    mentor: Person
    mentee: Person
    guardian: Person
    mentor_user: User
    mentee_user: User
    guardian_user: User


def account(org: Organisation, role: str, email: str) -> User:
    user = UserFactory(email=email)
    MembershipFactory(organisation=org, role=role, user=user)
    return user


def typical_plan(programme: Programme) -> None:
    """The form's typical plan replaced by `TYPICAL`, whatever the programme's data had."""
    chosen = programme.chosen_forms.get(form__code="student-student")
    if list(chosen.plan_items.values_list("text", flat=True)) == [t for _, t, _ in TYPICAL]:
        return
    chosen.plan_items.all().delete()
    TypicalPlanItem.objects.bulk_create(
        TypicalPlanItem(
            organisation=programme.organisation,
            programme_form=chosen,
            section=section,
            text=text,
            timing=timing,
            position=position,
        )
        for position, (section, text, timing) in enumerate(TYPICAL)
    )


def pair(
    org: Organisation,
    *,
    names: tuple[str, str, str],
    users: tuple[User, User, User],
    days: int = 200,
) -> Pair:
    """A pair of «Ученик – ученик» from today for `days`; `names` are the last names of the
    mentor, the mentee and the mentee's mother; `users` their accounts."""
    programme = approved_programme(org)
    typical_plan(programme)
    mentor_person = with_account(
        student(org, grade=10, **fio(f"{names[0]} Алина Игоревна"), gender="f"),
        users[0],
    )
    mentee_person = with_account(
        student(org, grade=7, **fio(f"{names[1]} Тимофей Павлович"), gender="m"),
        users[1],
    )
    guardian = with_account(
        ParentFactory(organisation=org, **fio(f"{names[2]} Ольга Сергеевна"), gender="f"),
        users[2],
    )
    GuardianLink.objects.create(
        organisation=org, guardian=guardian, child=mentee_person, relation=GuardianRelation.MOTHER
    )
    today = org_today(org)
    mentorship = mentorship_services.mentorship_create(
        programme,
        form=builtin_form("student-student"),
        mentor=mentor(programme, person=mentor_person),
        members=[mentorship_services.NewMember(mentee(programme, person=mentee_person))],
        started_on=today - timedelta(days=30),
        planned_end=today + timedelta(days=days),
        by=None,
    )
    return Pair(mentorship, mentor_person, mentee_person, guardian, *users)


def tenant_pair(tenant, days: int = 200) -> Pair:
    """Белкина (mentor) – Ветров (mentee, his mother Ветрова), with the tenant's mentor, mentee
    and guardian accounts."""
    return pair(
        tenant.organisation,
        names=("Белкина", "Ветров", "Ветрова"),
        users=(tenant.user(Role.MENTOR), tenant.user(Role.MENTEE), tenant.user(Role.GUARDIAN)),
        days=days,
    )


def two_pairs(tenant) -> tuple[Pair, Pair]:
    """The tenant's mentor, mentee and guardian accounts in the first pair; new accounts of the
    same organisation in the second."""
    org = tenant.organisation
    first = tenant_pair(tenant)
    second = pair(
        org,
        names=("Журавлёва", "Лисицын", "Лисицына"),
        users=(
            account(org, Role.MENTOR, "mentor2@example.ru"),
            account(org, Role.MENTEE, "mentee2@example.ru"),
            account(org, Role.GUARDIAN, "guardian2@example.ru"),
        ),
    )
    return first, second
