"""The cabinets as their people see them: the mentor's pairs, training and portfolio; the
mentee's mentor, plan and questionnaires; the parent's children and consents."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from nastavnik.consents.models import Consent
from nastavnik.consents.tests.factories import ConsentFactory
from nastavnik.mentors.models import Attendance, Mentor, TrainingEvent
from nastavnik.mentorships.access import Side
from nastavnik.orgs.models import Role
from nastavnik.people.validators import org_today
from nastavnik.plans import services as plan_services
from nastavnik.plans.models import PlanItem
from nastavnik.plans.tests.data import two_pairs
from nastavnik.questionnaires.models import Campaign, Invitation
from nastavnik.questionnaires.respond import SESSION_INVITATION
from nastavnik.questionnaires.tests import data as survey_data


@pytest.fixture
def pairs(tenant_a):
    return two_pairs(tenant_a)


def _url(name, pairs):
    return reverse(f"cabinets:{name}", kwargs={"org_slug": pairs[0].mentorship.organisation.slug})


def test_the_mentor_sees_the_pair_its_plan_progress_and_training(client, pairs):
    ours = pairs[0]
    plan = plan_services.plan_start(ours.mentorship, by=None)
    today = org_today(ours.mentorship.organisation)
    PlanItem.objects.filter(pk=plan.items.first().pk).update(
        status="done", result="Готово", due_on=today
    )
    PlanItem.objects.filter(pk=plan.items.last().pk).update(due_on=today - timedelta(days=2))
    mentor = Mentor.objects.get(person=ours.mentor)
    held = TrainingEvent.objects.create(
        organisation=mentor.organisation,
        programme=mentor.programme,
        held_on=today - timedelta(days=3),
        topic="Роль наставника в программе",
    )
    TrainingEvent.objects.create(
        organisation=mentor.organisation,
        programme=mentor.programme,
        held_on=today + timedelta(days=10),
        topic="Техники обратной связи",
    )
    Attendance.objects.create(organisation=mentor.organisation, event=held, mentor=mentor)
    client.force_login(ours.mentor_user)

    response = client.get(_url("mentor", pairs))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Ветров Тимофей Павлович" in content
    done = gettext("%(done)s of %(total)s items done (%(percent)s %%)") % {
        "done": 1,
        "total": plan.items.count(),
        "percent": 25,
    }
    assert done in content
    assert (
        reverse(
            "plans:plan",
            kwargs={
                "org_slug": ours.mentorship.organisation.slug,
                "mentorship_pk": ours.mentorship.pk,
            },
        )
        in content
    )
    assert "Роль наставника в программе" in content and "Техники обратной связи" in content
    assert gettext("attended") in content
    assert (
        reverse("mentors:my_portfolio", kwargs={"org_slug": ours.mentorship.organisation.slug})
        in content
    )


def test_the_mentee_sees_the_mentor_with_the_contact_the_curator_shared(client, pairs):
    ours = pairs[0]
    plan = plan_services.plan_start(ours.mentorship, by=None)
    client.force_login(ours.mentee_user)
    assert "belkina@school.ru" not in client.get(_url("mentee", pairs)).content.decode()

    plan_services.contact_set(plan, "belkina@school.ru, каб. 21", side=Side.CURATOR, by=None)
    content = client.get(_url("mentee", pairs)).content.decode()

    assert "Белкина Алина Игоревна" in content
    assert "belkina@school.ru, каб. 21" in content


def _invitation(pairs, *, deadline_days=7, closed=False) -> Invitation:
    org = pairs[0].mentorship.organisation
    campaign = Campaign.objects.create(
        organisation=org,
        programme=pairs[0].mentorship.programme,
        questionnaire=survey_data.questionnaire(org),
        title="Удовлетворённость работой в паре",
        audience="class",
        deadline=org_today(org) + timedelta(days=deadline_days),
    )
    if closed:
        from django.utils import timezone

        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["closed_at"])
    return Invitation.objects.create(
        organisation=org,
        campaign=campaign,
        person=pairs[0].mentee,
        token_hash=f"cabinet-{campaign.pk}".ljust(64, "0"),
    )


def test_the_mentee_answers_a_pending_questionnaire_from_the_cabinet(client, pairs):
    invitation = _invitation(pairs)
    _invitation(pairs, deadline_days=-1)  # expired: not listed
    client.force_login(pairs[0].mentee_user)

    content = client.get(_url("mentee", pairs)).content.decode()
    assert content.count("Удовлетворённость работой в паре") == 2  # the title and the hidden label

    response = client.post(_url("questionnaire", pairs), {"invitation": invitation.pk})

    assert response.status_code == 302 and response["Location"] == reverse("respond:answer")
    assert client.session[SESSION_INVITATION] == invitation.pk
    page = client.get(reverse("respond:answer"))
    assert page.status_code == 200


def test_another_persons_invitation_is_not_found(client, pairs):
    invitation = _invitation(pairs)
    client.force_login(pairs[1].mentee_user)

    response = client.post(_url("questionnaire", pairs), {"invitation": invitation.pk})

    assert response.status_code == 404
    assert SESSION_INVITATION not in client.session


def test_the_parent_sees_the_child_and_the_consents_to_withdraw(client, pairs):
    ours = pairs[0]
    plan_services.plan_start(ours.mentorship, by=None)
    consent = Consent.objects.filter(subject=ours.mentee).first() or ConsentFactory(
        subject=ours.mentee, organisation=ours.mentee.organisation
    )
    client.force_login(ours.guardian_user)

    content = client.get(_url("guardian", pairs)).content.decode()

    assert "Ветров Тимофей Павлович" in content
    assert "Белкина Алина Игоревна" in content
    assert gettext("In the base").lower() in content or gettext("Paired").lower() in content
    assert (
        reverse(
            "consents:withdraw_own",
            kwargs={"org_slug": ours.mentee.organisation.slug, "consent_pk": consent.pk},
        )
        in content
    )
    # The parent reads, but does not open the pair's pages.
    assert "/plans/" not in content


@pytest.mark.parametrize(
    ("role", "cabinet"),
    [(Role.MENTOR, "mentor"), (Role.MENTEE, "mentee"), (Role.GUARDIAN, "guardian")],
)
def test_the_dashboard_links_to_ones_cabinet(client, tenant_a, role, cabinet):
    client.force_login(tenant_a.user(role))
    content = client.get(
        reverse("orgs:dashboard", kwargs={"org_slug": tenant_a.organisation.slug})
    ).content.decode()
    url = reverse(f"cabinets:{cabinet}", kwargs={"org_slug": tenant_a.organisation.slug})
    assert url in content
    others = {"mentor", "mentee", "guardian"} - {cabinet}
    for other in others:
        assert (
            reverse(f"cabinets:{other}", kwargs={"org_slug": tenant_a.organisation.slug})
            not in content
        )


def test_a_guardian_may_not_open_the_mentors_cabinet(client, tenant_a):
    client.force_login(tenant_a.user(Role.GUARDIAN))
    response = client.get(
        reverse("cabinets:mentor", kwargs={"org_slug": tenant_a.organisation.slug})
    )
    assert response.status_code == 403


def test_a_parent_does_not_see_the_other_children_of_a_group(client, tenant_a):
    from nastavnik.matching.tests.data import approved_programme, mentee, mentor, student
    from nastavnik.mentorships import services as mentorship_services
    from nastavnik.people.models import GuardianLink
    from nastavnik.people.tests.factories import ParentFactory
    from nastavnik.programmes.tests.data import builtin_form

    org = tenant_a.organisation
    programme = approved_programme(org)
    child = student(org, grade=6, last_name="Синицын")
    other = student(org, grade=6, last_name="Щеглова")
    parent = ParentFactory(organisation=org, user=tenant_a.user(Role.GUARDIAN))
    GuardianLink.objects.create(organisation=org, guardian=parent, child=child, relation="mother")
    today = org_today(org)
    mentorship_services.mentorship_create(
        programme,
        form=builtin_form("student-student"),
        mentor=mentor(programme, leads_group=True, capacity=5),
        members=[
            mentorship_services.NewMember(mentee(programme, person=child)),
            mentorship_services.NewMember(mentee(programme, person=other)),
        ],
        started_on=today,
        planned_end=today + timedelta(days=100),
        is_group=True,
        by=None,
    )
    client.force_login(tenant_a.user(Role.GUARDIAN))

    content = client.get(
        reverse("cabinets:guardian", kwargs={"org_slug": org.slug})
    ).content.decode()

    assert "Синицын" in content
    assert "Щеглова" not in content


# The pages each participant opens most, in a fixed number of queries (the session and the
# account's included): the running programme is read once, the consent checks of the pairs'
# people are one query each, the plan page reads the user's own people once.
@pytest.mark.parametrize(
    ("name", "who", "most"),
    [
        ("mentor", "mentor_user", 25),
        ("mentee", "mentee_user", 21),
        ("guardian", "guardian_user", 22),
    ],
)
def test_a_cabinet_is_a_fixed_number_of_queries(
    client, pairs, name, who, most, django_assert_max_num_queries
):
    for each in pairs:
        plan_services.plan_start(each.mentorship, by=None)
    client.force_login(getattr(pairs[0], who))
    client.get(_url(name, pairs))

    with django_assert_max_num_queries(most):
        assert client.get(_url(name, pairs)).status_code == 200


def test_the_plan_is_a_fixed_number_of_queries(client, pairs, django_assert_max_num_queries):
    ours = pairs[0]
    plan_services.plan_start(ours.mentorship, by=None)
    client.force_login(ours.mentor_user)
    url = reverse(
        "plans:plan",
        kwargs={"org_slug": ours.mentorship.organisation.slug, "mentorship_pk": ours.mentorship.pk},
    )
    client.get(url)

    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
