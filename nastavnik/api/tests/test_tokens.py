"""Creating and revoking tokens on the «API tokens» page, as a curator does."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.urls import reverse

from nastavnik.api.models import ApiToken
from nastavnik.audit.models import AuditAction, AuditEntry, AuditObject
from nastavnik.orgs.models import Role

pytestmark = pytest.mark.django_db

PAGE = reverse("api_tokens:list", kwargs={"org_slug": "school-a"})
FORM = {
    "name": "Электронный журнал",
    "days": "90",
    "scope_people": "write",
    "scope_mentees": "read",
}


def created_secret(page) -> str:
    return re.search(r'<code id="token-secret">(nst_[\w-]+)</code>', page.content.decode()).group(1)


def test_a_curator_creates_a_token_sees_it_once_and_it_is_kept_hashed(curator_client, tenant_a):
    page = curator_client.post(PAGE, FORM)

    assert page.status_code == 200
    secret = created_secret(page)
    assert "Скопируйте токен сейчас: он показывается только один раз." in page.content.decode()
    token = ApiToken.objects.get()
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(ApiToken.objects.values_list()))
    assert token.scopes == {"people": "write", "mentees": "read"}
    assert token.user == tenant_a.user(Role.CURATOR)
    assert secret not in curator_client.get(PAGE).content.decode()
    entry = AuditEntry.objects.get(object_type=AuditObject.API_TOKEN)
    assert entry.action == AuditAction.CREATE
    # The token works at once, for its organisation.
    answer = curator_client.get("/api/v1/o/school-a/people", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 200


def test_a_token_without_any_scope_is_not_created(curator_client):
    page = curator_client.post(PAGE, {"name": "Пустой", "days": "30"})

    assert page.status_code == 422
    assert (
        "Выберите хотя бы одну область, к которой у токена будет доступ." in page.content.decode()
    )
    assert not ApiToken.objects.exists()


def test_a_revoked_token_stops_working_and_the_revocation_is_logged(curator_client, tenant_a):
    secret = created_secret(curator_client.post(PAGE, FORM))
    token = ApiToken.objects.get()

    page = curator_client.post(
        reverse("api_tokens:revoke", kwargs={"org_slug": "school-a", "token_pk": token.pk})
    )

    assert page.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    answer = curator_client.get("/api/v1/o/school-a/people", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 401
    assert AuditEntry.objects.filter(
        object_type=AuditObject.API_TOKEN, action=AuditAction.REVOKE, object_id=token.pk
    ).exists()


def test_nobody_revokes_another_member_s_token(client, curator_client, tenant_a):
    curator_client.post(PAGE, FORM)
    token = ApiToken.objects.get()
    client.force_login(tenant_a.user(Role.DIRECTOR))

    page = client.post(
        reverse("api_tokens:revoke", kwargs={"org_slug": "school-a", "token_pk": token.pk})
    )

    assert page.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_mentee_has_no_token_page(client, tenant_a):
    client.force_login(tenant_a.user(Role.MENTEE))

    assert client.get(PAGE).status_code == 403
