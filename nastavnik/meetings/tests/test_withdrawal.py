"""Withdrawal with consequences, through the pages people use: a parent withdraws the child's
participation consent in the cabinet, and at once the pair is suspended on every page, its plan
is read-only, no meeting can be planned, the future ones are cancelled, the curator's dashboard
flags it with the way to end it early, and the curator and the mentor are told — without the
reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from nastavnik.consents.models import Consent, Purpose
from nastavnik.consents.tests.factories import ConsentFactory
from nastavnik.meetings.models import Meeting, MeetingStatus
from nastavnik.meetings.tests.factories import meeting, pair
from nastavnik.orgs.models import Role
from nastavnik.people.tests.factories import GuardianLinkFactory, ParentFactory, StaffFactory
from nastavnik.plans import services as plan_services

REASON = "Семейные обстоятельства, переезд к бабушке"
SUSPENDED = "приостановлено: согласие на участие отозвано"


@pytest.fixture
def world(tenant_a):
    org = tenant_a.organisation
    mentorship = pair(
        org, mentor_user=tenant_a.user(Role.MENTOR), mentee_users=[tenant_a.user(Role.MENTEE)]
    )
    child = mentorship.members.get().mentee.person
    parent = ParentFactory(
        organisation=org, email="mama@example.ru", user=tenant_a.user(Role.GUARDIAN)
    )
    GuardianLinkFactory(organisation=org, guardian=parent, child=child)
    # A minor's consents are the guardian's (the factories made them as the child's own).
    child.consents.update(given_by=parent)
    participation = child.consents.get(purpose=Purpose.PARTICIPATION)
    programme = mentorship.programme
    programme.curator = StaffFactory(
        organisation=org, email="curator@example.ru", user=tenant_a.user(Role.CURATOR)
    )
    programme.save(update_fields=["curator"])
    mentor_person = mentorship.mentor.person
    mentor_person.email = "mentor@example.ru"
    mentor_person.save(update_fields=["email"])
    plan_services.plan_start(mentorship, from_typical=False, by=None)
    return tenant_a, mentorship, participation


def _withdraw_as_parent(client, tenant, consent, django_capture_on_commit_callbacks):
    client.force_login(tenant.user(Role.GUARDIAN))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(
                "consents:withdraw_own",
                kwargs={"org_slug": tenant.organisation.slug, "consent_pk": consent.pk},
            ),
            {"reason": REASON},
        )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def _page(client, tenant, role, name, **kwargs):
    client.force_login(tenant.user(role))
    return client.get(
        reverse(name, kwargs={"org_slug": tenant.organisation.slug, **kwargs})
    ).content.decode()


def test_a_parents_withdrawal_suspends_the_pair_on_every_page_at_once(
    client, world, django_capture_on_commit_callbacks
):
    tenant, mentorship, participation = world
    future = meeting(mentorship, days=3)
    later = meeting(mentorship, days=10)
    past = meeting(mentorship, days=-3, status=MeetingStatus.HELD)
    # Before: nothing is suspended anywhere.
    assert SUSPENDED not in _page(client, tenant, Role.MENTEE, "cabinets:mentee")
    assert SUSPENDED not in _page(client, tenant, Role.CURATOR, "mentorships:list")

    _withdraw_as_parent(client, tenant, participation, django_capture_on_commit_callbacks)

    # Future planned meetings are cancelled; the past one is kept as it was.
    statuses = dict(Meeting.objects.values_list("pk", "status"))
    assert statuses[future.pk] == statuses[later.pk] == MeetingStatus.CANCELLED
    assert statuses[past.pk] == MeetingStatus.HELD
    # The pair is marked on the curator's, the mentor's, the mentee's and the parent's pages.
    detail = _page(client, tenant, Role.CURATOR, "mentorships:detail", mentorship_pk=mentorship.pk)
    early = reverse(
        "mentorships:complete_early",
        kwargs={"org_slug": tenant.organisation.slug, "mentorship_pk": mentorship.pk},
    )
    assert SUSPENDED in detail and early in detail
    assert SUSPENDED in _page(client, tenant, Role.CURATOR, "mentorships:list")
    assert SUSPENDED in _page(client, tenant, Role.MENTOR, "cabinets:mentor")
    assert SUSPENDED in _page(client, tenant, Role.MENTEE, "cabinets:mentee")
    assert SUSPENDED in _page(client, tenant, Role.GUARDIAN, "cabinets:guardian")
    # The curator's dashboard flags it, with the way to end it early; the reason is nowhere.
    dashboard = _page(client, tenant, Role.CURATOR, "orgs:dashboard")
    assert gettext("Participation suspended: consent withdrawn") in dashboard
    assert early in dashboard
    assert REASON not in detail + dashboard
    # The early-completion page opens for the curator from that link.
    client.force_login(tenant.user(Role.CURATOR))
    assert client.get(early).status_code == 200


def test_the_curator_and_the_mentor_are_told_without_the_reason(
    client, world, django_capture_on_commit_callbacks
):
    tenant, mentorship, participation = world
    mail.outbox.clear()

    _withdraw_as_parent(client, tenant, participation, django_capture_on_commit_callbacks)

    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {"curator@example.ru", "mentor@example.ru"}
    child = mentorship.members.get().mentee.person
    for message in sent.values():
        assert child.full_name in message.subject + message.body
        assert REASON not in message.subject + message.body
        assert "Семейные" not in message.body
    detail = reverse(
        "mentorships:detail",
        kwargs={"org_slug": tenant.organisation.slug, "mentorship_pk": mentorship.pk},
    )
    assert detail in sent["curator@example.ru"].body
    # The parent who withdrew is not written to.
    assert "mama@example.ru" not in sent


def test_the_suspended_mentee_can_no_longer_open_the_plan_or_the_meetings(
    client, world, django_capture_on_commit_callbacks
):
    tenant, mentorship, participation = world
    org = tenant.organisation
    kwargs = {"org_slug": org.slug, "mentorship_pk": mentorship.pk}
    client.force_login(tenant.user(Role.MENTEE))
    assert client.get(reverse("plans:plan", kwargs=kwargs)).status_code == 200

    _withdraw_as_parent(client, tenant, participation, django_capture_on_commit_callbacks)

    client.force_login(tenant.user(Role.MENTEE))
    assert client.get(reverse("plans:plan", kwargs=kwargs)).status_code == 404
    assert client.get(reverse("meetings:list", kwargs=kwargs)).status_code == 404
    cabinet = client.get(reverse("cabinets:mentee", kwargs={"org_slug": org.slug})).content
    assert reverse("plans:plan", kwargs=kwargs) not in cabinet.decode()


def test_the_plan_is_read_only_and_no_meeting_can_be_planned(
    client, world, django_capture_on_commit_callbacks
):
    tenant, mentorship, participation = world
    org = tenant.organisation
    kwargs = {"org_slug": org.slug, "mentorship_pk": mentorship.pk}
    _withdraw_as_parent(client, tenant, participation, django_capture_on_commit_callbacks)
    client.force_login(tenant.user(Role.MENTOR))
    plan = mentorship.plan if hasattr(mentorship, "plan") else None
    items_before = list(plan.items.values_list("pk", flat=True)) if plan else []
    meetings_before = Meeting.objects.count()
    message = gettext(
        "The participation of this pair or group is suspended: the consent to participation was "
        "withdrawn. The curator ends it by an early completion."
    )

    page = client.get(reverse("plans:plan", kwargs=kwargs)).content.decode()
    assert reverse("plans:item_add", kwargs=kwargs) not in page
    response = client.post(
        reverse("plans:item_add", kwargs=kwargs),
        {
            "section": "activity",
            "text": "Олимпиада",
            "due_on": (mentorship.planned_end - timedelta(days=5)).isoformat(),
            "responsible": "mentee",
            "status": "planned",
        },
    )
    assert message in response.content.decode()
    if plan:
        assert list(plan.items.values_list("pk", flat=True)) == items_before

    listing = client.get(reverse("meetings:list", kwargs=kwargs)).content.decode()
    assert reverse("meetings:create", kwargs=kwargs) not in listing
    local = timezone.localtime(timezone.now() + timedelta(days=2))
    response = client.post(
        reverse("meetings:create", kwargs=kwargs),
        {
            "kind": "regular",
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "45",
            "format": "in_person",
            "place": "Кабинет 214",
        },
    )
    assert message in response.content.decode()
    assert Meeting.objects.count() == meetings_before


def test_a_consent_given_again_lifts_the_suspension(
    client, world, django_capture_on_commit_callbacks
):
    """Suspension is derived from the consents: nothing to clear by hand."""
    tenant, _mentorship, participation = world
    _withdraw_as_parent(client, tenant, participation, django_capture_on_commit_callbacks)
    assert SUSPENDED in _page(client, tenant, Role.MENTOR, "cabinets:mentor")

    ConsentFactory(
        subject=participation.subject,
        given_by=participation.given_by,
        purpose=Purpose.PARTICIPATION,
        organisation=tenant.organisation,
    )

    assert SUSPENDED not in _page(client, tenant, Role.MENTOR, "cabinets:mentor")
    dashboard = _page(client, tenant, Role.CURATOR, "orgs:dashboard")
    assert gettext("Participation suspended: consent withdrawn") not in dashboard


def test_withdrawing_publication_changes_nothing_for_the_pair(
    client, world, django_capture_on_commit_callbacks
):
    tenant, mentorship, _participation = world
    child = mentorship.members.get().mentee.person
    publication = ConsentFactory(
        subject=child,
        given_by=child.guardian_links.get().guardian,
        purpose=Purpose.PUBLICATION,
        organisation=tenant.organisation,
    )
    future = meeting(mentorship, days=3)
    mail.outbox.clear()

    _withdraw_as_parent(client, tenant, publication, django_capture_on_commit_callbacks)

    future.refresh_from_db()
    assert future.status == MeetingStatus.PLANNED
    assert mail.outbox == []
    assert SUSPENDED not in _page(client, tenant, Role.MENTOR, "cabinets:mentor")
    assert Consent.objects.filter(withdrawn_at__isnull=True, purpose="participation").exists()


def test_in_a_group_only_the_withdrawn_mentees_part_is_suspended(
    client, tenant_a, django_capture_on_commit_callbacks
):
    """The curator records a withdrawal that came on paper: the group works on for the others,
    the withdrawn mentee is out of its work and off the attendance list, the curator and the
    mentor are told without the reason, another mentee is not told that a group-mate withdrew."""
    org = tenant_a.organisation
    other_user = tenant_a.user(Role.MENTEE)
    group = pair(
        org, mentor_user=tenant_a.user(Role.MENTOR), mentee_users=[other_user, None], group=True
    )
    withdrawn = group.members.exclude(mentee__person__user=other_user).get().mentee.person
    mentor_person = group.mentor.person
    mentor_person.email = "mentor@example.ru"
    mentor_person.save(update_fields=["email"])
    plan_services.plan_start(group, from_typical=False, by=None)
    future = meeting(group, days=3)
    past = meeting(group, days=-1)
    participation = withdrawn.consents.get(purpose=Purpose.PARTICIPATION)
    mail.outbox.clear()
    client.force_login(tenant_a.user(Role.CURATOR))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(
                "consents:withdraw",
                kwargs={"org_slug": org.slug, "consent_pk": participation.pk},
            ),
            {"reason": REASON},
        )

    assert response.status_code == 302
    future.refresh_from_db()
    assert future.status == MeetingStatus.PLANNED
    detail = _page(client, tenant_a, Role.CURATOR, "mentorships:detail", mentorship_pk=group.pk)
    assert SUSPENDED in detail and REASON not in detail
    assert SUSPENDED in _page(client, tenant_a, Role.MENTOR, "cabinets:mentor")
    assert SUSPENDED not in _page(client, tenant_a, Role.MENTEE, "cabinets:mentee")
    # The plan stays editable for the group; the attendance list leaves the withdrawn out.
    client.force_login(tenant_a.user(Role.MENTOR))
    kwargs = {"org_slug": org.slug, "mentorship_pk": group.pk}
    page = client.get(reverse("plans:plan", kwargs=kwargs)).content.decode()
    assert reverse("plans:item_add", kwargs=kwargs) in page
    hold = client.get(
        reverse("meetings:hold", kwargs={"org_slug": org.slug, "meeting_pk": past.pk})
    )
    # By row, not by name: the factories' five surnames repeat, so a group-mate may share one.
    offered = [value.value for value, _label in hold.context["form"].fields["present"].choices]
    withdrawn_member = group.members.get(mentee__person=withdrawn)
    assert offered and withdrawn_member.pk not in offered
    # Told, without the reason; the curator's letter is not sent (no curator's address here).
    assert [m.to for m in mail.outbox] == [["mentor@example.ru"]]
    assert REASON not in mail.outbox[0].body and withdrawn.full_name in mail.outbox[0].body


def test_the_cabinets_batch_answer_is_the_one_answer_for_every_pair(tenant_a):
    """`suspensions_of` (one query for a cabinet's cards) says what `suspension_of` says for
    each pair: a whole pair, one mentee of a group, the mentor, and a pair untouched."""
    from nastavnik.mentorships.access import with_people
    from nastavnik.mentorships.models import Mentorship
    from nastavnik.mentorships.suspension import suspension_of, suspensions_of

    org = tenant_a.organisation
    whole = pair(org)
    group = pair(org, mentee_users=[None, None], group=True)
    by_mentor = pair(org)
    untouched = pair(org)
    now = timezone.now()
    Consent.objects.filter(
        subject=whole.members.get().mentee.person, purpose=Purpose.PARTICIPATION
    ).update(withdrawn_at=now)
    Consent.objects.filter(
        subject=group.members.order_by("pk").first().mentee.person,
        purpose=Purpose.PARTICIPATION,
    ).update(withdrawn_at=now)
    Consent.objects.filter(subject=by_mentor.mentor.person, purpose=Purpose.PROCESSING).update(
        withdrawn_at=now
    )
    pairs = list(with_people(Mentorship.objects.filter(organisation=org)).order_by("pk"))

    batch = suspensions_of(pairs)

    assert batch == {m.pk: suspension_of(m) for m in pairs}
    assert batch[whole.pk].whole and not batch[untouched.pk].any
    assert batch[group.pk].mentees and not batch[group.pk].whole
    assert batch[by_mentor.pk].mentor and batch[by_mentor.pk].whole
