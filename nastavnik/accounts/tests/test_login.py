"""Logging in, and the lock after too many wrong passwords (django-axes).

Axes watches real requests, so these tests post to the login page rather than call
`client.login`.
"""

from datetime import timedelta

import pytest
from axes.signals import user_locked_out
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.urls import reverse

from conftest import PASSWORD
from nastavnik.orgs.models import Role

LOGIN_URL = reverse("accounts:login")


def log_in(client, email, password):
    return client.post(LOGIN_URL, {"username": email, "password": password})


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def templates_of(response):
    return [t.name for t in response.templates]


@pytest.mark.django_db
def test_the_right_password_logs_in_whatever_the_case_of_the_email(client, tenant_a):
    user = tenant_a.user(Role.MENTOR)

    response = log_in(client, user.email.upper(), PASSWORD)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(user.pk)


@pytest.mark.django_db
def test_a_wrong_password_shows_the_usual_error_and_starts_no_session(client, tenant_a):
    user = tenant_a.user(Role.MENTOR)

    response = log_in(client, user.email, "not-the-password")

    assert response.status_code == 200
    form = response.context["form"]
    expected = AuthenticationForm.error_messages["invalid_login"] % {
        "username": form.username_field.verbose_name
    }
    assert form.non_field_errors() == [expected]
    assert expected in response.content.decode()
    assert logged_in_user_id(client) is None


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, tenant_a):
    user = tenant_a.user(Role.MENTOR)
    for _attempt in range(5):
        log_in(client, user.email, "guess")

    response = log_in(client, user.email, PASSWORD)

    assert response.status_code == 429
    assert "accounts/locked_out.html" in templates_of(response)
    assert response.context["cooloff_timedelta"] == timedelta(minutes=15)
    assert "15" in response.content.decode()
    assert logged_in_user_id(client) is None


@pytest.mark.django_db
def test_changing_the_case_of_the_email_does_not_buy_more_attempts(client, tenant_a):
    user = tenant_a.user(Role.MENTOR)
    local, domain = user.email.split("@")
    variants = {
        user.email.upper(),
        user.email.title(),
        user.email.capitalize(),
        f"{local}@{domain.upper()}",
        f" {local[0].upper()}{local[1:]}@{domain} ",
    }
    assert len(variants) == 5
    for variant in variants:
        log_in(client, variant, "guess")

    response = log_in(client, user.email, PASSWORD)

    assert response.status_code == 429
    assert logged_in_user_id(client) is None


@pytest.mark.django_db
def test_a_locked_account_does_not_lock_another_one_from_the_same_address(client, tenant_a):
    victim, colleague = tenant_a.user(Role.MENTOR), tenant_a.user(Role.CURATOR)
    for _attempt in range(5):
        log_in(client, victim.email, "guess")

    response = log_in(client, colleague.email, PASSWORD)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(colleague.pk)


@pytest.mark.django_db
def test_a_successful_login_starts_the_count_again(client, tenant_a):
    user = tenant_a.user(Role.MENTOR)
    for _attempt in range(4):
        log_in(client, user.email, "guess")
    assert log_in(client, user.email, PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))

    # Four more mistakes: eight in all, but only four since the last success.
    for _attempt in range(4):
        log_in(client, user.email, "guess")
    response = log_in(client, user.email, PASSWORD)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(user.pk)


@pytest.mark.django_db
def test_password_change_needs_the_current_password(client, tenant_a):
    user = tenant_a.user(Role.MENTOR)
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "wrong",
            "new_password1": "lilac-tram-orbit-52",
            "new_password2": "lilac-tram-orbit-52",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"] == [
        PasswordChangeForm.error_messages["password_incorrect"]
    ]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "lilac-tram-orbit-52",
            "new_password2": "lilac-tram-orbit-52",
        },
        follow=True,
    )

    assert "accounts/password_change_done.html" in templates_of(response)
    user.refresh_from_db()
    assert user.check_password("lilac-tram-orbit-52")


# --- Behind a proxy, and the looser limits (nastavnik.accounts.throttle) -----------------------

PROXY, CLIENT, OTHER_CLIENT, SPOOFED = "10.0.0.1", "203.0.113.9", "203.0.113.10", "198.51.100.66"


def log_in_via(client, email, password, remote_addr, forwarded=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN_URL, {"username": email, "password": password}, **extra)


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_lock_is_on_the_client_address_not_the_proxy(
    client, tenant_a, settings
):
    settings.TRUSTED_PROXIES = [PROXY]
    user = tenant_a.user(Role.MENTOR)
    locked_addresses = []

    def remember(sender, request, username, ip_address, **kwargs):
        locked_addresses.append(ip_address)

    user_locked_out.connect(remember)
    try:
        for _attempt in range(5):
            log_in_via(client, user.email, "guess", PROXY, forwarded=f"{SPOOFED}, {CLIENT}")
    finally:
        user_locked_out.disconnect(remember)

    assert locked_addresses == [CLIENT]
    assert log_in_via(client, user.email, PASSWORD, PROXY, forwarded=CLIENT).status_code == 429
    # Another client behind the same proxy is another address.
    response = log_in_via(client, user.email, PASSWORD, PROXY, forwarded=OTHER_CLIENT)
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_spoofed_header_from_an_untrusted_client_buys_no_fresh_attempts(
    client, tenant_a, settings
):
    settings.TRUSTED_PROXIES = [PROXY]
    user = tenant_a.user(Role.MENTOR)
    for attempt in range(5):
        log_in_via(client, user.email, "guess", CLIENT, forwarded=f"198.51.100.{attempt}")

    response = log_in_via(client, user.email, PASSWORD, CLIENT, forwarded="198.51.100.200")

    assert response.status_code == 429
    assert logged_in_user_id(client) is None


@pytest.mark.django_db
def test_guessing_one_account_from_many_addresses_is_stopped_per_account(
    client, tenant_a, settings
):
    settings.LOGIN_TRIES_PER_ACCOUNT = 6
    user = tenant_a.user(Role.MENTOR)
    for attempt in range(6):  # below axes' five per address, from three addresses
        log_in_via(client, user.email, "guess", f"203.0.113.{attempt // 2 + 1}")

    response = log_in_via(client, user.email, PASSWORD, "203.0.113.50")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Слишком много неудачных попыток входа. Попробуйте снова через 15 мин."
    ]
    assert logged_in_user_id(client) is None


@pytest.mark.django_db
def test_one_pupil_forgetting_a_password_locks_no_classmate_behind_the_same_address(
    client, tenant_a, settings
):
    settings.LOGIN_TRIES_PER_ADDRESS = 8
    school = "198.51.100.20"
    forgetful, classmate = tenant_a.user(Role.MENTOR), tenant_a.user(Role.MENTEE)
    for _attempt in range(7):
        log_in_via(client, forgetful.email, "guess", school)

    assert log_in_via(client, forgetful.email, PASSWORD, school).status_code == 429
    response = log_in_via(client, classmate.email, PASSWORD, school)
    assert response.status_code == 302, response.context["form"].errors
    assert logged_in_user_id(client) == str(classmate.pk)


@pytest.mark.django_db
def test_trying_many_accounts_from_one_address_is_stopped_per_address(client, tenant_a, settings):
    settings.LOGIN_TRIES_PER_ADDRESS = 4
    sprayer = "198.51.100.30"
    for role in (Role.MENTOR, Role.CURATOR, Role.MENTEE, Role.GUARDIAN):
        log_in_via(client, tenant_a.user(role).email, "guess", sprayer)
    target = tenant_a.user(Role.DIRECTOR)

    refused = log_in_via(client, target.email, PASSWORD, sprayer)
    assert refused.status_code == 200 and refused.context["form"].errors
    assert logged_in_user_id(client) is None
    # The same account from elsewhere is fine: the address, not the account, is held back.
    assert log_in_via(client, target.email, PASSWORD, "203.0.113.77").status_code == 302
