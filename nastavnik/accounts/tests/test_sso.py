"""Single sign-on through OpenID Connect: every linking rule and every bad input, through the
doors a browser uses (the login page, the start URL, the provider's callback), against a
provider in the test's process that signs real ID tokens (oidc_fake)."""

from __future__ import annotations

import pytest
import requests
from django.core import mail
from django.urls import reverse

from conftest import PASSWORD
from nastavnik.accounts.models import ExternalIdentity, IdentityProvider, Invitation, User
from nastavnik.accounts.sso.providers import SecretBox
from nastavnik.accounts.tests.factories import InvitationFactory
from nastavnik.accounts.tests.oidc_fake import (
    CLIENT_ID,
    CLIENT_SECRET,
    ISSUER,
    FakeProvider,
    other_key,
)
from nastavnik.audit.models import AuditAction, AuditEntry, AuditObject
from nastavnik.orgs.models import Membership, Role
from nastavnik.orgs.tests.factories import UserFactory

LOGIN = reverse("accounts:login")
START = reverse("accounts:sso_start")
CALLBACK = reverse("accounts:sso_callback")
NAME = "Школьный портал"
ORG_ISSUER = "https://sso.school-a.example.ru"


@pytest.fixture
def idp(monkeypatch, settings):
    provider = FakeProvider()
    providers = {provider.issuer: provider}

    def route(method):
        def call(url, *args, **kwargs):
            for issuer, fake in providers.items():
                if url.startswith(issuer + "/"):
                    return getattr(fake, method)(url, *args, **kwargs)
            raise requests.ConnectionError(url)

        return call

    monkeypatch.setattr(requests, "get", route("get"))
    monkeypatch.setattr(requests, "post", route("post"))
    settings.SSO_PROVIDER = {
        "issuer": ISSUER,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "scopes": "openid email profile",
        "claims_mapping": {},
        "name": NAME,
    }
    provider.others = providers
    return provider


@pytest.fixture
def org_idp(idp, tenant_a):
    """School A's own provider, beside the site's."""
    fake = FakeProvider(ORG_ISSUER)
    idp.others[ORG_ISSUER] = fake
    IdentityProvider.objects.create(
        organisation=tenant_a.organisation,
        name="Вход школы А",
        issuer=ORG_ISSUER,
        client_id=CLIENT_ID,
        client_secret_encrypted=SecretBox.seal(CLIENT_SECRET),
    )
    return fake


def authorized(client, idp, sub, start=START, **claims):
    """Start at the app, sign in at the provider as `sub`: the query the provider sends the
    browser back to the callback with."""
    response = client.get(start)
    assert response.status_code == 302, response
    return idp.authorize(response["Location"], sub, **claims)


def sign_in(client, idp, sub, start=START, **claims):
    """Start at the app, sign in at the provider as `sub`, come back: the callback's answer."""
    return client.get(CALLBACK + authorized(client, idp, sub, start, **claims))


def signed_in(client):
    return client.session.get("_auth_user_id")


def page_after(client, response):
    """The login page the refusal redirected to, as the browser shows it."""
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def verified(email, **more):
    return {"email": email, "email_verified": True, **more}


# The login page --------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_a_provider_the_login_page_has_no_single_sign_on(client, settings):
    settings.SSO_PROVIDER = {"issuer": "", "client_id": ""}
    html = client.get(LOGIN).content.decode()
    assert 'class="sso"' not in html
    assert "Войти через" not in html
    assert client.get(START).status_code == 404


@pytest.mark.django_db
def test_the_login_page_offers_the_site_provider_and_the_organisations_own(client, org_idp):
    html = client.get(LOGIN).content.decode()
    assert f"Войти через {NAME}" in html
    assert "Вход школы А" not in html

    html = client.get(LOGIN + "?org=school-a&next=/o/school-a/").content.decode()
    assert "Войти через Вход школы А" in html
    assert html.index("Вход школы А") < html.index(NAME)
    assert reverse("accounts:sso_start_org", args=["school-a"]) + "?next=%2Fo%2Fschool-a%2F" in html


@pytest.mark.django_db
def test_a_disabled_or_unknown_organisation_provider_is_not_offered(client, org_idp):
    IdentityProvider.objects.update(enabled=False)
    html = client.get(LOGIN + "?org=school-a").content.decode()
    assert "Вход школы А" not in html
    assert client.get(reverse("accounts:sso_start_org", args=["school-a"])).status_code == 404
    assert client.get(reverse("accounts:sso_start_org", args=["nowhere"])).status_code == 404


# Rule (b): a verified e-mail of an existing account, then the (issuer, subject) pair --------


@pytest.mark.django_db
def test_a_verified_email_of_an_account_signs_in_and_links_the_identity(client, idp, tenant_a):
    user = tenant_a.user(Role.MENTOR)

    response = sign_in(client, idp, "sub-1", **verified(user.email.upper()))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in(client) == str(user.pk)
    link = ExternalIdentity.objects.get()
    assert (link.user, link.issuer, link.subject) == (user, ISSUER, "sub-1")
    assert link.last_used_at is not None
    entries = AuditEntry.objects.filter(object_type=AuditObject.ACCOUNT, object_id=user.pk)
    assert sorted(entries.values_list("action", flat=True)) == [
        AuditAction.SSO_LINK,
        AuditAction.SSO_LOGIN,
    ]
    assert {e.organisation_id for e in entries} == {tenant_a.organisation.pk}
    assert {e.ip for e in entries} == {"127.0.0.1"}
    assert all(e.actor == user for e in entries)


@pytest.mark.django_db
def test_the_next_page_is_kept_through_the_provider(client, idp, tenant_a):
    user = tenant_a.user(Role.MENTOR)
    start = START + "?next=/o/school-a/"
    response = sign_in(client, idp, "sub-1", start=start, **verified(user.email))
    assert response["Location"] == "/o/school-a/"

    client.logout()
    response = sign_in(client, idp, "sub-1", start=START + "?next=https://evil.example/")
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_later_sign_ins_use_the_identity_not_the_email(client, idp, tenant_a):
    """An e-mail changed at the provider, even to another account's, moves nothing."""
    first, other = tenant_a.user(Role.MENTOR), tenant_a.user(Role.CURATOR)
    sign_in(client, idp, "sub-1", **verified(first.email))
    client.logout()

    sign_in(client, idp, "sub-1", **verified(other.email))

    assert signed_in(client) == str(first.pk)
    assert ExternalIdentity.objects.get().user == first
    assert not ExternalIdentity.objects.filter(user=other).exists()


@pytest.mark.django_db
def test_a_second_identity_cannot_take_a_linked_account(client, idp, tenant_a):
    user = tenant_a.user(Role.MENTOR)
    sign_in(client, idp, "sub-1", **verified(user.email))
    client.logout()

    response = sign_in(client, idp, "sub-2", **verified(user.email))

    assert signed_in(client) is None
    assert "уже связана с другой учётной записью" in page_after(client, response)
    assert list(ExternalIdentity.objects.values_list("subject", flat=True)) == ["sub-1"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "claims",
    [
        {"email_verified": False},
        {"email_verified": "true"},  # a string is not the boolean the claim must be
        {},
    ],
)
def test_an_unverified_email_signs_in_nobody(client, idp, tenant_a, claims):
    user = tenant_a.user(Role.MENTOR)

    response = sign_in(client, idp, "sub-1", email=user.email, **claims)

    assert signed_in(client) is None
    assert "не подтвердил ваш адрес электронной почты" in page_after(client, response)
    assert not ExternalIdentity.objects.exists()
    assert not AuditEntry.objects.filter(object_type=AuditObject.ACCOUNT).exists()


@pytest.mark.django_db
def test_an_unknown_email_creates_nothing(client, idp, tenant_a):
    users = User.objects.count()

    response = sign_in(client, idp, "sub-1", **verified("stranger@example.ru"))

    assert signed_in(client) is None
    html = page_after(client, response)
    assert "Учётные записи создаются только по приглашению" in html
    assert User.objects.count() == users
    assert not ExternalIdentity.objects.exists()
    assert not Membership.objects.filter(user__email="stranger@example.ru").exists()


@pytest.mark.django_db
def test_an_inactive_account_is_not_signed_in_nor_linked(client, idp, tenant_a):
    user = tenant_a.user(Role.MENTOR)
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = sign_in(client, idp, "sub-1", **verified(user.email))

    assert signed_in(client) is None
    assert "учётная запись отключена" in page_after(client, response)
    assert not ExternalIdentity.objects.exists()


@pytest.mark.django_db
def test_a_linked_account_switched_off_later_is_refused(client, idp, tenant_a):
    user = tenant_a.user(Role.MENTOR)
    sign_in(client, idp, "sub-1", **verified(user.email))
    client.logout()
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = sign_in(client, idp, "sub-1", **verified(user.email))

    assert signed_in(client) is None
    assert "учётная запись отключена" in page_after(client, response)


# An organisation's own provider ------------------------------------------------------------


@pytest.mark.django_db
def test_an_organisation_provider_signs_in_its_member(client, org_idp, tenant_a):
    user = tenant_a.user(Role.MENTOR)
    start = reverse("accounts:sso_start_org", args=["school-a"])

    sign_in(client, org_idp, "a-1", start=start, **verified(user.email))

    assert signed_in(client) == str(user.pk)
    assert ExternalIdentity.objects.get().issuer == ORG_ISSUER


@pytest.mark.django_db
def test_an_organisation_provider_refuses_another_organisations_account(
    client, org_idp, tenant_a, tenant_b
):
    outsider = tenant_b.user(Role.CURATOR)
    start = reverse("accounts:sso_start_org", args=["school-a"])

    response = sign_in(client, org_idp, "a-1", start=start, **verified(outsider.email))

    assert signed_in(client) is None
    assert response["Location"] == LOGIN + "?org=school-a"
    assert "только участники его организации" in page_after(client, response)
    assert not ExternalIdentity.objects.exists()
    assert not AuditEntry.objects.filter(object_type=AuditObject.ACCOUNT).exists()


@pytest.mark.django_db
def test_an_organisation_provider_never_signs_in_a_site_administrator(client, org_idp, tenant_a):
    admin = tenant_a.user(Role.DIRECTOR)
    User.objects.filter(pk=admin.pk).update(is_superuser=True, is_staff=True)
    start = reverse("accounts:sso_start_org", args=["school-a"])

    sign_in(client, org_idp, "a-1", start=start, **verified(admin.email))

    assert signed_in(client) is None
    assert not ExternalIdentity.objects.exists()


@pytest.mark.django_db
def test_an_organisation_provider_cannot_bring_an_administrator_in_by_invitation(
    client, org_idp, tenant_a
):
    admin = UserFactory(email="root@site.ru", is_staff=True, is_superuser=True)
    invitation = InvitationFactory(organisation=tenant_a.organisation, email=admin.email)
    start = reverse("accounts:sso_start_org", args=["school-a"]) + "?invitation=" + invitation.token

    sign_in(client, org_idp, "a-1", start=start, **verified(admin.email))

    assert signed_in(client) is None
    assert not Membership.objects.filter(user=admin).exists()
    assert not ExternalIdentity.objects.exists()


@pytest.mark.django_db
def test_an_organisation_provider_brings_in_an_existing_account_it_invited(
    client, org_idp, tenant_a, tenant_b
):
    """Invited to school A, a member of school B joins A through A's provider."""
    user = tenant_b.user(Role.MENTOR)
    invitation = InvitationFactory(organisation=tenant_a.organisation, email=user.email)
    start = reverse("accounts:sso_start_org", args=["school-a"]) + "?invitation=" + invitation.token

    sign_in(client, org_idp, "b-1", start=start, **verified(user.email))

    assert signed_in(client) == str(user.pk)
    assert Membership.objects.filter(user=user, organisation=tenant_a.organisation).exists()


# Rule (a): an invitation in the session ----------------------------------------------------


def invitation_start(invitation):
    return START + "?invitation=" + invitation.token


@pytest.mark.django_db
def test_an_invitation_page_offers_single_sign_on(client, idp, tenant_a):
    invitation = InvitationFactory(organisation=tenant_a.organisation)
    html = client.get(reverse("accounts:invitation_accept", args=[invitation.token])).content
    assert invitation_start(invitation).encode() in html


@pytest.mark.django_db
def test_an_invitation_creates_its_account_through_the_provider(client, idp, tenant_a):
    invitation = InvitationFactory(organisation=tenant_a.organisation, role=Role.MENTOR)

    response = sign_in(
        client,
        idp,
        "new-1",
        start=invitation_start(invitation),
        given_name="Мария",
        family_name="Котова",
        email="maria@home.example.ru",
    )

    user = User.objects.get(email=invitation.email)
    assert (user.first_name, user.last_name) == ("Мария", "Котова")
    assert not user.has_usable_password()
    assert signed_in(client) == str(user.pk)
    assert response["Location"] == reverse("orgs:dashboard", args=["school-a"])
    assert Membership.objects.filter(
        user=user, organisation=tenant_a.organisation, role=Role.MENTOR
    ).exists()
    assert ExternalIdentity.objects.get().user == user
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


@pytest.mark.django_db
def test_an_invitation_for_an_existing_account_needs_its_verified_email(client, idp, tenant_a):
    user = tenant_a.user(Role.MENTOR)
    invitation = InvitationFactory(
        organisation=tenant_a.organisation, email=user.email, role=Role.CURATOR
    )

    response = sign_in(client, idp, "x", start=invitation_start(invitation), **verified("x@x.ru"))

    assert signed_in(client) is None
    assert f"Это приглашение для {user.email}" in page_after(client, response)
    assert not Membership.objects.filter(user=user, role=Role.CURATOR).exists()
    assert not ExternalIdentity.objects.exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None

    sign_in(client, idp, "x", start=invitation_start(invitation), **verified(user.email))

    assert signed_in(client) == str(user.pk)
    assert Membership.objects.filter(user=user, role=Role.CURATOR).exists()


@pytest.mark.django_db
def test_an_identity_linked_to_another_account_cannot_accept_an_invitation(client, idp, tenant_a):
    linked = tenant_a.user(Role.MENTOR)
    sign_in(client, idp, "sub-1", **verified(linked.email))
    client.logout()
    invitation = InvitationFactory(organisation=tenant_a.organisation, role=Role.CURATOR)

    sign_in(
        client, idp, "sub-1", start=invitation_start(invitation), given_name="А", family_name="Б"
    )

    assert signed_in(client) is None
    assert not User.objects.filter(email=invitation.email).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.django_db
def test_a_revoked_invitation_creates_nothing(client, idp, tenant_a):
    invitation = InvitationFactory(organisation=tenant_a.organisation)
    response = client.get(invitation_start(invitation))
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=invitation.created_at)

    callback = idp.authorize(response["Location"], "n", given_name="А", family_name="Б")
    response = client.get(CALLBACK + callback)

    assert signed_in(client) is None
    assert "Приглашение уже принято, отозвано или истекло" in page_after(client, response)
    assert not User.objects.filter(email=invitation.email).exists()


@pytest.mark.django_db
def test_an_unusable_invitation_is_refused_before_the_provider(client, idp, tenant_a):
    invitation = InvitationFactory(organisation=tenant_a.organisation, expired=True)
    response = client.get(invitation_start(invitation))
    assert response["Location"].startswith(LOGIN)
    response = client.get(START + "?invitation=not-a-token")
    assert "Приглашение уже принято" in page_after(client, response)


@pytest.mark.django_db
def test_an_invitation_without_a_name_from_anywhere_is_refused(client, idp, tenant_a):
    invitation = InvitationFactory(organisation=tenant_a.organisation)
    response = sign_in(client, idp, "n", start=invitation_start(invitation))
    assert "не передал ваше имя" in page_after(client, response)
    assert not User.objects.filter(email=invitation.email).exists()


@pytest.mark.django_db
def test_another_organisations_provider_cannot_accept_an_invitation(
    client, org_idp, tenant_a, tenant_b
):
    invitation = InvitationFactory(organisation=tenant_b.organisation)
    start = reverse("accounts:sso_start_org", args=["school-a"]) + "?invitation=" + invitation.token

    sign_in(client, org_idp, "a", start=start, given_name="А", family_name="Б")

    assert signed_in(client) is None
    assert not User.objects.filter(email=invitation.email).exists()


# Bad callbacks -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_wrong_state_is_refused(client, idp, tenant_a):
    user = tenant_a.user(Role.MENTOR)
    callback = authorized(client, idp, "sub-1", **verified(user.email))
    code = callback.split("&")[0]

    for query in (code + "&state=forged", code, code + "&state=" + "x" * 500):
        response = client.get(CALLBACK + query)
        assert signed_in(client) is None
        assert "вход прерван или уже был использован" in page_after(client, response)
    assert not ExternalIdentity.objects.exists()


@pytest.mark.django_db
def test_a_callback_from_another_session_is_refused(client, idp, tenant_a):
    """A login CSRF: the attacker's own code and state, planted in the victim's browser."""
    from django.test import Client

    user = tenant_a.user(Role.MENTOR)
    attacker = Client()
    callback = authorized(attacker, idp, "sub-1", **verified(user.email))

    client.get(CALLBACK + callback)

    assert signed_in(client) is None


@pytest.mark.django_db
def test_a_replayed_callback_signs_in_once(client, idp, tenant_a):
    user = tenant_a.user(Role.MENTOR)
    callback = authorized(client, idp, "sub-1", **verified(user.email))
    assert client.get(CALLBACK + callback).status_code == 302
    assert signed_in(client) == str(user.pk)
    client.logout()

    response = client.get(CALLBACK + callback)

    assert signed_in(client) is None
    assert "уже был использован" in page_after(client, response)
    assert AuditEntry.objects.filter(action=AuditAction.SSO_LOGIN).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"nonce": "another"},
        {"aud": "another-client"},
        {"iss": "https://evil.example.ru"},
        {"exp": 1},
    ],
    ids=["nonce", "audience", "issuer", "expired"],
)
def test_an_id_token_that_does_not_check_out_signs_in_nobody(client, idp, tenant_a, overrides):
    user = tenant_a.user(Role.MENTOR)

    response = sign_in(client, idp, "sub-1", id_token_overrides=overrides, **verified(user.email))

    assert signed_in(client) is None
    assert "Попробуйте ещё раз" in page_after(client, response)
    assert not ExternalIdentity.objects.exists()


@pytest.mark.django_db
def test_an_id_token_signed_by_another_key_signs_in_nobody(client, idp, tenant_a):
    user = tenant_a.user(Role.MENTOR)
    idp.signing_key = other_key()

    response = sign_in(client, idp, "sub-1", **verified(user.email))

    assert signed_in(client) is None
    assert "Попробуйте ещё раз" in page_after(client, response)


@pytest.mark.django_db
def test_a_provider_error_is_shown_and_the_state_spent(client, idp, tenant_a):
    response = client.get(START)
    callback = idp.authorize(response["Location"], "sub-1")
    state = callback.split("state=")[1]

    response = client.get(CALLBACK + f"?error=access_denied&state={state}")

    assert "Попробуйте ещё раз" in page_after(client, response)
    response = client.get(CALLBACK + callback)
    assert signed_in(client) is None


@pytest.mark.django_db
def test_a_provider_that_does_not_answer(client, idp):
    idp.up = False
    response = client.get(START)
    assert f"{NAME} сейчас не отвечает" in page_after(client, response)


@pytest.mark.django_db
def test_refusals_count_against_the_address_like_wrong_passwords(client, idp, settings, tenant_a):
    settings.LOGIN_TRIES_PER_ADDRESS = 2
    for n in range(2):
        sign_in(client, idp, f"s{n}", **verified(f"nobody{n}@example.ru"))

    response = client.get(START)

    assert "Слишком много неудачных попыток входа" in page_after(client, response)
    # The password login from the same address is held back as well: one counter.
    response = client.post(
        LOGIN, {"username": tenant_a.user(Role.MENTOR).email, "password": PASSWORD}
    )
    assert signed_in(client) is None


# The admin -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_stores_the_client_secret_encrypted_and_never_shows_it(admin_client, tenant_a):
    url = reverse("admin:accounts_identityprovider_add")
    data = {
        "organisation": tenant_a.organisation.pk,
        "name": "Вход школы",
        "issuer": ORG_ISSUER,
        "client_id": "c",
        "client_secret": "top-secret",
        "scopes": "openid email",
        "claims_mapping": '{"email": "mail"}',
        "enabled": "on",
    }
    assert admin_client.post(url, data).status_code == 302
    row = IdentityProvider.objects.get()
    assert "top-secret" not in row.client_secret_encrypted
    assert SecretBox.open(row.client_secret_encrypted) == "top-secret"

    change = reverse("admin:accounts_identityprovider_change", args=[row.pk])
    assert "top-secret" not in admin_client.get(change).content.decode()
    admin_client.post(change, {**data, "client_secret": "", "name": "Другое"})
    row.refresh_from_db()
    assert row.name == "Другое"
    assert SecretBox.open(row.client_secret_encrypted) == "top-secret"


@pytest.mark.django_db
def test_the_admin_refuses_an_unknown_claim_name(admin_client, tenant_a):
    response = admin_client.post(
        reverse("admin:accounts_identityprovider_add"),
        {
            "organisation": tenant_a.organisation.pk,
            "name": "Вход",
            "issuer": ORG_ISSUER,
            "client_id": "c",
            "scopes": "openid",
            "claims_mapping": '{"password": "x"}',
        },
    )
    assert response.status_code == 200
    assert not IdentityProvider.objects.exists()


@pytest.mark.django_db
def test_a_claims_mapping_reads_the_providers_own_names(client, idp, settings, tenant_a):
    settings.SSO_PROVIDER = {**settings.SSO_PROVIDER, "claims_mapping": {"email": "mail"}}
    user = tenant_a.user(Role.MENTOR)

    sign_in(client, idp, "sub-1", mail=user.email, email="other@example.ru", email_verified=True)

    assert signed_in(client) == str(user.pk)


@pytest.mark.django_db
def test_an_account_made_through_single_sign_on_can_get_a_password(
    client, idp, tenant_a, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(organisation=tenant_a.organisation)
    sign_in(client, idp, "n", start=invitation_start(invitation), given_name="А", family_name="Б")
    client.logout()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": invitation.email})

    assert [letter.to for letter in mail.outbox] == [[invitation.email]]


@pytest.mark.django_db
def test_an_account_without_password_nor_identity_still_gets_no_reset_letter(
    client, tenant_a, django_capture_on_commit_callbacks
):
    user = tenant_a.user(Role.MENTOR)
    user.set_unusable_password()
    user.save()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": user.email})

    assert mail.outbox == []
