"""The members page: accounts with their roles, pending invitations, taking a role away."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nastavnik.accounts.services import MESSAGES, invitation_create, membership_remove
from nastavnik.accounts.tests.factories import InvitationFactory
from nastavnik.core.tests.pages import messages_after
from nastavnik.orgs.models import Membership, Role
from nastavnik.orgs.tests.factories import MembershipFactory, UserFactory
from nastavnik.people.tests.factories import StaffFactory


def org_url(name, slug="school-a", **kwargs):
    return reverse(f"orgs:{name}", kwargs={"org_slug": slug, **kwargs})


def roles_of(user, organisation):
    return set(
        Membership.objects.filter(user=user, organisation=organisation).values_list(
            "role", flat=True
        )
    )


def membership(tenant, role):
    return Membership.objects.get(
        organisation=tenant.organisation, user=tenant.user(role), role=role
    )


@pytest.mark.django_db
def test_curator_sees_accounts_with_all_their_roles_and_the_pending_invitations(
    client, tenant_a, tenant_b
):
    teacher = tenant_a.user(Role.SPECIALIST)
    MembershipFactory(organisation=tenant_a.organisation, user=teacher, role=Role.MENTOR)
    StaffFactory(organisation=tenant_a.organisation, user=teacher, last_name="Связанная")
    curator = tenant_a.user(Role.CURATOR)
    pending = invitation_create(
        tenant_a.organisation, "pending@example.ru", Role.MENTOR, None, curator
    )
    InvitationFactory(organisation=tenant_a.organisation, email="expired@example.ru", expired=True)
    InvitationFactory(
        organisation=tenant_a.organisation, email="revoked@example.ru", revoked_at=timezone.now()
    )
    InvitationFactory(organisation=tenant_b.organisation, email="secret@school-b.ru")
    client.force_login(curator)

    response = client.get(org_url("members"))

    accounts = {a["user"].email: a for a in response.context["accounts"]}
    assert set(accounts) == {u.email for u in tenant_a.users.values()}
    assert [m.role for m in accounts[teacher.email]["roles"]] == sorted(
        [Role.SPECIALIST, Role.MENTOR]
    )
    assert accounts[teacher.email]["person"].last_name == "Связанная"
    assert list(response.context["invitations"]) == [pending]
    content = response.content.decode()
    assert "pending@example.ru" in content
    for hidden in (
        "expired@example.ru",
        "revoked@example.ru",
        "secret@school-b.ru",
        "@school-b.ru",
    ):
        assert hidden not in content
    assert response.context["form"] is not None


@pytest.mark.django_db
def test_a_mentor_does_not_see_the_members_page(client, tenant_a):
    client.force_login(tenant_a.user(Role.MENTOR))

    response = client.get(org_url("members"))

    assert response.status_code == 403
    assert tenant_a.user(Role.CURATOR).email not in response.content.decode()


@pytest.mark.django_db
def test_the_members_page_costs_the_same_queries_for_one_row_or_three(client, tenant_a):
    client.force_login(tenant_a.user(Role.CURATOR))

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(org_url("members")).status_code == 200
        return len(queries)

    InvitationFactory(organisation=tenant_a.organisation, invited_by=tenant_a.user(Role.CURATOR))
    StaffFactory(organisation=tenant_a.organisation, user=tenant_a.user(Role.MENTOR))
    one = count_queries()
    for _n in range(2):
        InvitationFactory(
            organisation=tenant_a.organisation, invited_by=tenant_a.user(Role.DIRECTOR)
        )
        user = UserFactory()
        MembershipFactory(organisation=tenant_a.organisation, user=user, role=Role.MENTEE)
        StaffFactory(organisation=tenant_a.organisation, user=user)
    three = count_queries()

    assert one == three == 8


@pytest.mark.django_db
def test_curator_takes_one_role_and_the_others_stay(client, tenant_a):
    teacher = tenant_a.user(Role.SPECIALIST)
    mentor_role = MembershipFactory(
        organisation=tenant_a.organisation, user=teacher, role=Role.MENTOR
    )
    client.force_login(tenant_a.user(Role.CURATOR))

    response = client.post(org_url("membership_remove", membership_pk=mentor_role.pk))

    assert response["Location"] == org_url("members")
    assert roles_of(teacher, tenant_a.organisation) == {Role.SPECIALIST}
    assert len(messages_after(response)) == 1


@pytest.mark.django_db
def test_nobody_removes_their_own_last_curator_or_director_role(client, tenant_a):
    curator = tenant_a.user(Role.CURATOR)
    client.force_login(curator)

    response = client.post(
        org_url("membership_remove", membership_pk=membership(tenant_a, Role.CURATOR).pk)
    )

    assert messages_after(response) == [str(MESSAGES["remove_own_last"])]
    assert roles_of(curator, tenant_a.organisation) == {Role.CURATOR}


@pytest.mark.django_db
def test_a_director_who_is_also_curator_may_give_up_the_curator_role(tenant_a):
    director = tenant_a.user(Role.DIRECTOR)
    curator_role = MembershipFactory(
        organisation=tenant_a.organisation, user=director, role=Role.CURATOR
    )

    membership_remove(curator_role, director)

    assert roles_of(director, tenant_a.organisation) == {Role.DIRECTOR}


@pytest.mark.django_db
def test_the_organisation_keeps_at_least_one_curator_or_director(tenant_a):
    membership_remove(membership(tenant_a, Role.DIRECTOR), None)
    last = membership(tenant_a, Role.CURATOR)

    with pytest.raises(ValidationError) as excinfo:
        membership_remove(last, None)

    assert excinfo.value.messages == [str(MESSAGES["remove_last_manager"])]
    assert Membership.objects.filter(pk=last.pk).exists()


@pytest.mark.django_db
def test_a_curator_cannot_take_the_director_role(client, tenant_a):
    client.force_login(tenant_a.user(Role.CURATOR))
    director_role = membership(tenant_a, Role.DIRECTOR)

    response = client.post(org_url("membership_remove", membership_pk=director_role.pk))

    assert messages_after(response) == [
        str(MESSAGES["remove_not_yours"]) % {"role": Role.DIRECTOR.label}
    ]
    assert Membership.objects.filter(pk=director_role.pk).exists()
    page = client.get(org_url("members"))
    assert Role.DIRECTOR not in page.context["removable_roles"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("tenant", "role", "method", "slug", "status"),
    [
        ("tenant_a", Role.MENTOR, "post", "school-a", 403),
        # Another organisation's role through one's own address is not found.
        ("tenant_b", Role.CURATOR, "post", "school-b", 404),
        # Removing needs POST.
        ("tenant_a", Role.CURATOR, "get", "school-a", 405),
    ],
    ids=["mentor", "another-organisation", "get"],
)
def test_a_role_is_not_removed_by_whom_or_how_it_may_not_be(
    request, client, tenant_a, tenant, role, method, slug, status
):
    client.force_login(request.getfixturevalue(tenant).user(role))
    mentee_role = membership(tenant_a, Role.MENTEE)

    address = org_url("membership_remove", slug=slug, membership_pk=mentee_role.pk)
    response = getattr(client, method)(address)

    assert response.status_code == status
    assert Membership.objects.filter(pk=mentee_role.pk).exists()
