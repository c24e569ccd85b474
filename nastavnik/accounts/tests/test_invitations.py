"""Invitations: the only way an account comes into being or gains a role in an organisation."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from nastavnik.accounts.forms import PASSWORDS_DIFFER
from nastavnik.accounts.models import Invitation, InvitationStatus, User
from nastavnik.accounts.services import (
    MESSAGES,
    InvitationNotUsable,
    NewAccount,
    invitation_accept,
    invitation_create,
    invitation_revoke,
)
from nastavnik.accounts.tests.factories import InvitationFactory
from nastavnik.core.tests.pages import messages_after
from nastavnik.orgs.models import Membership, Role
from nastavnik.orgs.tests.factories import UserFactory
from nastavnik.people.models import Person
from nastavnik.people.tests.factories import StaffFactory

GOOD_PASSWORD = "lilac-tram-orbit-52"
NEW_ACCOUNT = {
    "first_name": "Мария",
    "last_name": "Иванова",
    "password": GOOD_PASSWORD,
    "password_confirm": GOOD_PASSWORD,
}


def org_url(name, slug="school-a", **kwargs):
    return reverse(f"orgs:{name}", kwargs={"org_slug": slug, **kwargs})


def accept_url(invitation):
    return reverse("accounts:invitation_accept", args=[invitation.token])


def link_in(letter):
    return re.search(r"https?://\S+", letter.body).group(0)


def snapshot():
    """What an invitation can change: accounts, roles, invitations and person links."""
    return (
        list(User.objects.order_by("pk").values_list("pk", "email", "password")),
        list(Membership.objects.order_by("pk").values_list("pk", "user_id", "role")),
        list(
            Invitation.objects.order_by("pk").values_list(
                "pk", "accepted_at", "accepted_by", "revoked_at"
            )
        ),
        list(Person.objects.order_by("pk").values_list("pk", "user_id")),
    )


def error_of(excinfo, field):
    return [str(message) for message in excinfo.value.message_dict[field]]


# Creating invitations ---------------------------------------------------------------------


@pytest.mark.django_db
def test_invitation_is_stored_with_an_expiry_and_mailed_with_an_absolute_link(
    tenant_a, django_capture_on_commit_callbacks, settings
):
    curator = tenant_a.user(Role.CURATOR)
    person = StaffFactory(organisation=tenant_a.organisation, email="m.ivanova@example.ru")

    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            tenant_a.organisation, " M.Ivanova@Example.RU ", Role.MENTOR, person, curator
        )

    invitation.refresh_from_db()
    assert invitation.email == "m.ivanova@example.ru"
    assert invitation.role == Role.MENTOR
    assert invitation.person == person
    assert invitation.invited_by == curator
    expected_expiry = timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS)
    assert abs(invitation.expires_at - expected_expiry) < timedelta(minutes=1)
    assert invitation.status == InvitationStatus.PENDING
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["m.ivanova@example.ru"]
    assert link_in(letter) == f"{settings.SITE_URL}{accept_url(invitation)}"
    assert tenant_a.organisation.name in letter.body


@pytest.mark.django_db
def test_nothing_is_mailed_when_the_invitation_is_not_stored(
    tenant_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        invitation_create(tenant_a.organisation, "not-an-email", Role.MENTOR, None, None)

    assert mail.outbox == []
    assert not Invitation.objects.exists()


def _other_orgs_person(tenant_a, tenant_b):
    return StaffFactory(organisation=tenant_b.organisation)


def _linked_person(tenant_a, tenant_b):
    return StaffFactory(
        organisation=tenant_a.organisation, user=UserFactory(email="other@example.ru")
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "role", "make_person", "field", "message"),
    [
        ("not-an-email", Role.MENTOR, None, "email", MESSAGES["invalid_email"]),
        ("new@example.ru", "headmaster", None, "role", MESSAGES["invalid_role"]),
        ("new@example.ru", "", None, "role", MESSAGES["invalid_role"]),
        ("new@example.ru", Role.MENTOR, _other_orgs_person, "person", MESSAGES["person_elsewhere"]),
        ("new@example.ru", Role.MENTOR, _linked_person, "person", MESSAGES["person_has_account"]),
    ],
    ids=[
        "bad-email",
        "unknown-role",
        "no-role",
        "person-of-another-org",
        "person-with-another-account",
    ],
)
def test_bad_invitations_are_refused_and_nothing_is_stored(
    tenant_a, tenant_b, email, role, make_person, field, message
):
    person = make_person(tenant_a, tenant_b) if make_person else None
    before = snapshot()

    with pytest.raises(ValidationError) as excinfo:
        invitation_create(tenant_a.organisation, email, role, person, tenant_a.user(Role.CURATOR))

    params = {"name": person.full_name} if person else {}
    assert error_of(excinfo, field) == [str(message) % params]
    assert snapshot() == before


@pytest.mark.django_db
def test_an_email_that_already_holds_the_role_is_not_invited_again(tenant_a):
    mentor = tenant_a.user(Role.MENTOR)
    before = snapshot()

    with pytest.raises(ValidationError) as excinfo:
        invitation_create(
            tenant_a.organisation,
            mentor.email.upper(),
            Role.MENTOR,
            None,
            tenant_a.user(Role.CURATOR),
        )

    assert error_of(excinfo, "email") == [
        str(MESSAGES["already_member"]) % {"email": mentor.email, "role": Role.MENTOR.label}
    ]
    assert snapshot() == before


@pytest.mark.django_db
def test_a_second_pending_invitation_for_the_same_email_and_role_is_refused(tenant_a):
    curator = tenant_a.user(Role.CURATOR)
    invitation_create(tenant_a.organisation, "new@example.ru", Role.MENTOR, None, curator)
    before = snapshot()

    with pytest.raises(ValidationError) as excinfo:
        invitation_create(tenant_a.organisation, "NEW@example.ru", Role.MENTOR, None, curator)

    assert error_of(excinfo, "email") == [
        str(MESSAGES["already_invited"]) % {"email": "new@example.ru", "role": Role.MENTOR.label}
    ]
    assert snapshot() == before


@pytest.mark.django_db
def test_the_same_email_may_be_invited_to_another_role_or_again_after_revoking(tenant_a):
    curator = tenant_a.user(Role.CURATOR)
    first = invitation_create(tenant_a.organisation, "new@example.ru", Role.MENTOR, None, curator)

    invitation_create(tenant_a.organisation, "new@example.ru", Role.SPECIALIST, None, curator)
    invitation_revoke(first, curator)
    invitation_create(tenant_a.organisation, "new@example.ru", Role.MENTOR, None, curator)

    assert Invitation.objects.pending().filter(email="new@example.ru").count() == 2


@pytest.mark.django_db
def test_an_expired_invitation_does_not_block_a_new_one(tenant_a):
    InvitationFactory(organisation=tenant_a.organisation, email="new@example.ru", expired=True)

    invitation_create(tenant_a.organisation, "new@example.ru", Role.MENTOR, None, None)

    assert Invitation.objects.pending().filter(email="new@example.ru").count() == 1


@pytest.mark.django_db
def test_a_curator_cannot_make_anyone_a_director_but_a_director_can(tenant_a):
    before = snapshot()

    with pytest.raises(ValidationError) as excinfo:
        invitation_create(
            tenant_a.organisation,
            "boss@example.ru",
            Role.DIRECTOR,
            None,
            tenant_a.user(Role.CURATOR),
        )

    assert error_of(excinfo, "role") == [
        str(MESSAGES["role_not_yours"]) % {"role": Role.DIRECTOR.label}
    ]
    assert snapshot() == before
    invitation_create(
        tenant_a.organisation, "boss@example.ru", Role.DIRECTOR, None, tenant_a.user(Role.DIRECTOR)
    )
    assert Invitation.objects.filter(email="boss@example.ru", role=Role.DIRECTOR).exists()


# The invite page -------------------------------------------------------------------------


@pytest.mark.django_db
def test_curator_invites_from_the_members_page(
    client, tenant_a, django_capture_on_commit_callbacks
):
    client.force_login(tenant_a.user(Role.CURATOR))
    person = StaffFactory(organisation=tenant_a.organisation)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            org_url("member_invite"),
            {"email": "teacher@example.ru", "role": Role.MENTOR, "person": person.pk},
        )

    assert response.status_code == 302
    assert response["Location"] == org_url("members")
    invitation = Invitation.objects.get(email="teacher@example.ru")
    assert (invitation.organisation, invitation.role, invitation.person) == (
        tenant_a.organisation,
        Role.MENTOR,
        person,
    )
    # The link points at the address the curator is using.
    assert link_in(mail.outbox[0]) == f"http://testserver{accept_url(invitation)}"
    assert "teacher@example.ru" in messages_after(response)[0]


@pytest.mark.django_db
def test_the_invite_link_of_a_person_card_prefills_the_person_and_email(client, tenant_a):
    client.force_login(tenant_a.user(Role.CURATOR))
    person = StaffFactory(organisation=tenant_a.organisation, email="teacher@example.ru")

    response = client.get(org_url("member_invite") + f"?person={person.pk}")

    form = response.context["form"]
    assert form.initial == {"person": person.pk, "email": "teacher@example.ru"}
    assert person.full_name in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["other-org", "abc"])
def test_the_invite_link_with_a_person_of_another_organisation_is_not_found(
    client, tenant_a, tenant_b, value
):
    client.force_login(tenant_a.user(Role.CURATOR))
    other = StaffFactory(organisation=tenant_b.organisation)
    person_pk = other.pk if value == "other-org" else value

    response = client.get(org_url("member_invite") + f"?person={person_pk}")

    assert response.status_code == 404
    assert other.full_name not in response.content.decode()


@pytest.mark.django_db
def test_the_invite_form_refuses_a_person_of_another_organisation(client, tenant_a, tenant_b):
    client.force_login(tenant_a.user(Role.CURATOR))
    other = StaffFactory(organisation=tenant_b.organisation)

    response = client.post(
        org_url("member_invite"), {"email": "x@example.ru", "role": Role.MENTOR, "person": other.pk}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["person"]
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_the_invite_form_shows_service_errors_next_to_the_field(client, tenant_a):
    mentor = tenant_a.user(Role.MENTOR)
    client.force_login(tenant_a.user(Role.CURATOR))

    response = client.post(org_url("member_invite"), {"email": mentor.email, "role": Role.MENTOR})

    expected = str(MESSAGES["already_member"]) % {"email": mentor.email, "role": Role.MENTOR.label}
    assert response.context["form"].errors["email"] == [expected]
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_a_curator_is_not_offered_the_director_role(client, tenant_a):
    client.force_login(tenant_a.user(Role.CURATOR))

    response = client.post(
        org_url("member_invite"), {"email": "boss@example.ru", "role": Role.DIRECTOR}
    )

    roles = [value for value, _label in response.context["form"].fields["role"].choices]
    assert Role.DIRECTOR not in roles
    assert Role.CURATOR in roles
    assert response.context["form"].errors["role"]
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_a_mentor_may_not_invite(client, tenant_a):
    client.force_login(tenant_a.user(Role.MENTOR))

    assert client.get(org_url("member_invite")).status_code == 403
    response = client.post(org_url("member_invite"), {"email": "x@example.ru", "role": Role.MENTOR})

    assert response.status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_an_outsider_finds_neither_the_members_page_nor_the_invite_page(client, tenant_a, tenant_b):
    client.force_login(tenant_b.user(Role.CURATOR))
    before = snapshot()

    assert client.get(org_url("members")).status_code == 404
    assert client.get(org_url("member_invite")).status_code == 404
    response = client.post(org_url("member_invite"), {"email": "x@example.ru", "role": Role.MENTOR})

    assert response.status_code == 404
    assert snapshot() == before


# Revoking -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_curator_revokes_an_invitation_and_its_link_stops_working(client, tenant_a):
    invitation = InvitationFactory(organisation=tenant_a.organisation)
    curator = tenant_a.user(Role.CURATOR)
    client.force_login(curator)

    response = client.post(org_url("invitation_revoke", invitation_pk=invitation.pk))

    assert response["Location"] == org_url("members")
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    assert invitation.revoked_by == curator
    client.logout()
    page = client.get(accept_url(invitation))
    assert page.status_code == 410
    assert page.context["status"] == InvitationStatus.REVOKED


@pytest.mark.django_db
def test_an_accepted_invitation_cannot_be_revoked(client, tenant_a):
    invitation = InvitationFactory(organisation=tenant_a.organisation)
    invitation_accept(invitation, NewAccount("Мария", "Иванова", GOOD_PASSWORD))
    client.force_login(tenant_a.user(Role.CURATOR))
    before = snapshot()

    response = client.post(org_url("invitation_revoke", invitation_pk=invitation.pk))

    assert messages_after(response) == [str(MESSAGES["revoke_accepted"])]
    assert snapshot() == before


@pytest.mark.django_db
def test_revoking_another_organisations_invitation_through_ones_own_address_is_not_found(
    client, tenant_a, tenant_b
):
    invitation = InvitationFactory(organisation=tenant_a.organisation)
    client.force_login(tenant_b.user(Role.CURATOR))
    before = snapshot()

    response = client.post(
        org_url("invitation_revoke", slug="school-b", invitation_pk=invitation.pk)
    )

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    assert snapshot() == before


@pytest.mark.django_db
def test_a_mentor_may_not_revoke(client, tenant_a):
    invitation = InvitationFactory(organisation=tenant_a.organisation)
    client.force_login(tenant_a.user(Role.MENTOR))

    response = client.post(org_url("invitation_revoke", invitation_pk=invitation.pk))

    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


# Accepting: a new account -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_person_creates_an_account_joins_and_is_logged_in(client, tenant_a):
    person = StaffFactory(
        organisation=tenant_a.organisation, first_name="Мария", last_name="Иванова"
    )
    invitation = InvitationFactory(
        organisation=tenant_a.organisation, email="m.ivanova@example.ru", person=person
    )

    page = client.get(accept_url(invitation))
    assert page.context["state"] == "new_account"
    assert page.context["form"].initial == {"first_name": "Мария", "last_name": "Иванова"}

    response = client.post(accept_url(invitation), NEW_ACCOUNT)

    assert response["Location"] == org_url("dashboard")
    user = User.objects.get(email="m.ivanova@example.ru")
    assert (user.first_name, user.last_name) == ("Мария", "Иванова")
    assert user.check_password(GOOD_PASSWORD)
    assert list(user.memberships.values_list("organisation", "role")) == [
        (tenant_a.organisation.pk, Role.MENTOR)
    ]
    person.refresh_from_db()
    assert person.user == user
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.accepted_by == user
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(org_url("dashboard")).status_code == 200


@pytest.mark.django_db
def test_the_link_works_once(client, tenant_a):
    invitation = InvitationFactory(organisation=tenant_a.organisation, email="new@example.ru")
    client.post(accept_url(invitation), NEW_ACCOUNT)
    client.logout()
    before = snapshot()

    again = client.post(accept_url(invitation), {**NEW_ACCOUNT, "password": "another-pass-99"})

    assert again.status_code == 410
    assert again.context["status"] == InvitationStatus.ACCEPTED
    assert snapshot() == before
    assert User.objects.filter(email="new@example.ru").count() == 1


@pytest.mark.django_db
def test_accepting_twice_through_the_service_creates_one_account(tenant_a):
    invitation = InvitationFactory(organisation=tenant_a.organisation, email="new@example.ru")
    stale_copy = Invitation.objects.get(pk=invitation.pk)
    invitation_accept(invitation, NewAccount("Мария", "Иванова", GOOD_PASSWORD))

    # The second submission holds the invitation as it was before the first one finished.
    with pytest.raises(InvitationNotUsable) as excinfo:
        invitation_accept(stale_copy, NewAccount("Мария", "Иванова", GOOD_PASSWORD))

    assert excinfo.value.status == InvitationStatus.ACCEPTED
    assert User.objects.filter(email="new@example.ru").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "expected"),
    [
        (
            {**NEW_ACCOUNT, "password": "password", "password_confirm": "password"},
            "password",
            lambda: str(CommonPasswordValidator().get_error_message()),
        ),
        (
            {**NEW_ACCOUNT, "password_confirm": "lilac-tram-orbit-53"},
            "password_confirm",
            lambda: str(PASSWORDS_DIFFER),
        ),
        (
            {**NEW_ACCOUNT, "first_name": "   "},
            "first_name",
            lambda: str(MESSAGES["first_name_required"]),
        ),
        (
            {**NEW_ACCOUNT, "last_name": ""},
            "last_name",
            lambda: str(MESSAGES["last_name_required"]),
        ),
        ({**NEW_ACCOUNT, "last_name": "Я" * 151}, "last_name", None),
    ],
    ids=["weak-password", "mismatched-passwords", "blank-first-name", "no-last-name", "long-name"],
)
def test_bad_new_account_data_is_refused_and_nothing_changes(
    client, tenant_a, data, field, expected
):
    invitation = InvitationFactory(organisation=tenant_a.organisation, email="new@example.ru")
    before = snapshot()

    response = client.post(accept_url(invitation), data)

    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    if expected:
        assert expected() in errors
    else:
        with pytest.raises(ValidationError) as too_long:
            MaxLengthValidator(150)(data[field])
        assert errors == too_long.value.messages
    assert snapshot() == before
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_service_checks_the_password_too(tenant_a):
    invitation = InvitationFactory(organisation=tenant_a.organisation, email="new@example.ru")
    before = snapshot()

    with pytest.raises(ValidationError) as excinfo:
        invitation_accept(invitation, NewAccount("Мария", "", "123"))

    assert set(excinfo.value.message_dict) == {"last_name", "password"}
    assert snapshot() == before


@pytest.mark.django_db
def test_a_person_linked_meanwhile_to_another_account_is_not_taken_over(tenant_a):
    person = StaffFactory(organisation=tenant_a.organisation)
    invitation = InvitationFactory(
        organisation=tenant_a.organisation, email="new@example.ru", person=person
    )
    other = UserFactory(email="other@example.ru")
    person.user = other
    person.save()

    user = invitation_accept(invitation, NewAccount("Мария", "Иванова", GOOD_PASSWORD))

    person.refresh_from_db()
    assert person.user == other
    assert user.memberships.filter(role=Role.MENTOR).exists()


# Accepting: an existing account ----------------------------------------------------------------


@pytest.mark.django_db
def test_an_existing_account_gets_a_second_role(client, tenant_a):
    """One person may hold several roles: the specialist becomes a mentor too."""
    specialist = tenant_a.user(Role.SPECIALIST)
    invitation = InvitationFactory(organisation=tenant_a.organisation, email=specialist.email)

    assert client.get(accept_url(invitation)).context["state"] == "log_in"
    client.post(reverse("accounts:login"), {"username": specialist.email, "password": PASSWORD})
    assert client.get(accept_url(invitation)).context["state"] == "confirm"

    response = client.post(accept_url(invitation))

    assert response["Location"] == org_url("dashboard")
    roles = set(
        specialist.memberships.filter(organisation=tenant_a.organisation).values_list(
            "role", flat=True
        )
    )
    assert roles == {Role.SPECIALIST, Role.MENTOR}
    assert User.objects.filter(email=specialist.email).count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_by == specialist


@pytest.mark.django_db
def test_an_existing_account_is_not_offered_a_new_one(client, tenant_a):
    specialist = tenant_a.user(Role.SPECIALIST)
    invitation = InvitationFactory(organisation=tenant_a.organisation, email=specialist.email)
    before = snapshot()

    # Someone holding the link but not the password cannot take the account over.
    response = client.post(accept_url(invitation), NEW_ACCOUNT)

    assert response.context["state"] == "log_in"
    assert snapshot() == before
    specialist.refresh_from_db()
    assert specialist.check_password(PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize("invitee_has_account", [True, False])
def test_logged_in_as_another_account_nothing_is_accepted(client, tenant_a, invitee_has_account):
    email = tenant_a.user(Role.SPECIALIST).email if invitee_has_account else "new@example.ru"
    invitation = InvitationFactory(organisation=tenant_a.organisation, email=email)
    client.force_login(tenant_a.user(Role.MENTEE))
    before = snapshot()

    response = client.post(accept_url(invitation), NEW_ACCOUNT)

    assert response.context["state"] == "wrong_account"
    assert tenant_a.user(Role.MENTEE).email in response.content.decode()
    assert snapshot() == before
    # The page's "Log out" button brings the invitee back to the invitation.
    logout = client.post(reverse("accounts:logout"), {"next": accept_url(invitation)})
    assert logout["Location"] == accept_url(invitation)
    expected_state = "log_in" if invitee_has_account else "new_account"
    assert client.get(accept_url(invitation)).context["state"] == expected_state


@pytest.mark.django_db
def test_the_service_refuses_the_wrong_account(tenant_a):
    invitation = InvitationFactory(organisation=tenant_a.organisation, email="someone@example.ru")
    before = snapshot()

    with pytest.raises(ValidationError) as excinfo:
        invitation_accept(invitation, tenant_a.user(Role.MENTEE))

    assert excinfo.value.messages == [
        str(MESSAGES["wrong_account"]) % {"email": "someone@example.ru"}
    ]
    assert snapshot() == before


# Links that lead nowhere ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["expired", "revoked"])
def test_an_expired_or_revoked_invitation_says_so_and_changes_nothing(client, tenant_a, status):
    invitation = InvitationFactory(
        organisation=tenant_a.organisation,
        email="new@example.ru",
        expired=status == "expired",
        revoked_at=timezone.now() if status == "revoked" else None,
    )
    before = snapshot()

    page = client.get(accept_url(invitation))
    response = client.post(accept_url(invitation), NEW_ACCOUNT)

    for answer in (page, response):
        assert answer.status_code == 410
        assert answer.context["status"] == status
        assert "accounts/invitation_not_usable.html" in [t.name for t in answer.templates]
    assert tenant_a.organisation.short_name in response.content.decode()
    assert snapshot() == before
    with pytest.raises(InvitationNotUsable):
        invitation_accept(invitation, NewAccount("Мария", "Иванова", GOOD_PASSWORD))
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["forged-token", "x" * 200])
def test_a_forged_token_leads_to_a_clear_page_and_changes_nothing(client, tenant_a, token):
    InvitationFactory(organisation=tenant_a.organisation, email="new@example.ru")
    before = snapshot()

    url = reverse("accounts:invitation_accept", args=[token])
    page = client.get(url)
    response = client.post(url, NEW_ACCOUNT)

    for answer in (page, response):
        assert answer.status_code == 404
        assert answer.context["status"] == "unknown"
        assert tenant_a.organisation.short_name not in answer.content.decode()
    assert snapshot() == before
