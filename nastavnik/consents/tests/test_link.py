"""The electronic path: the curator issues a one-time link, the guardian (no account) opens it,
reads, confirms. Expired, reused, replaced and forged links change nothing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import make_tenant
from nastavnik.audit.models import AuditChannel, AuditEntry
from nastavnik.consents.models import Consent, ConsentLink, Method, Purpose, hash_token
from nastavnik.consents.rules import may_use
from nastavnik.consents.services import MESSAGES, consent_link_issue
from nastavnik.orgs.models import Role
from tests.test_isolation import database_snapshot

pytestmark = pytest.mark.django_db

CONFIRM = {"agreed": "on", "authority_document": "свидетельство о рождении IV-АИ № 512345"}


def issue(family, subject=None, addressee=None, purposes=(Purpose.PROCESSING,), **kwargs):
    return consent_link_issue(
        subject or family.child,
        addressee or family.mother,
        list(purposes),
        by=None,
        base_url="http://testserver/",
        **kwargs,
    )


def path_of(issued):
    return issued.url.removeprefix("http://testserver")


def token_of(issued):
    return path_of(issued).rstrip("/").rsplit("/", 1)[-1]


def test_a_guardian_confirms_through_the_link_without_an_account(client, family):
    issued = issue(family, purposes=(Purpose.PROCESSING, Purpose.PARTICIPATION))

    page = client.get(path_of(issued))

    assert page.status_code == 200
    content = page.content.decode()
    # The pre-filled text: the guardian, the child in the genitive, the operator, the term.
    assert "Петрова Анна Сергеевна" in content
    assert "Петрова Ильи Андреевича" in content
    assert family.org.name in content
    assert "ИНН 6625024711" in content
    assert "Порядок отзыва" in content
    assert page["Cache-Control"].startswith("max-age=0")

    response = client.post(
        path_of(issued),
        {
            **CONFIRM,
            "purposes": [Purpose.PROCESSING, Purpose.PARTICIPATION],
            "signed_name": "  петрова анна  сергеевна ",
        },
        HTTP_USER_AGENT="Mozilla/5.0 Test",
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 200
    assert [c.get_purpose_display() for c in response.context["consents"]] == [
        Purpose.PROCESSING.label,
        Purpose.PARTICIPATION.label,
    ]
    consents = Consent.objects.filter(subject=family.child)
    assert consents.count() == 2
    for consent in consents:
        assert consent.method == Method.ELECTRONIC
        assert consent.given_by == family.mother
        assert consent.given_on == family.today
        assert consent.signed_ip == "203.0.113.7"
        assert consent.signed_user_agent == "Mozilla/5.0 Test"
        assert consent.signed_name == "петрова анна  сергеевна"
        assert consent.authority_document.startswith("свидетельство")
        assert consent.recorded_by is None
    assert may_use(family.child, Purpose.PARTICIPATION)
    assert ConsentLink.objects.get().used_at is not None
    entries = AuditEntry.objects.filter(object_type="consent")
    assert {e.channel for e in entries} == {AuditChannel.LINK}


def test_only_the_ticked_consents_are_given(client, family):
    issued = issue(family, purposes=(Purpose.PROCESSING, Purpose.PUBLICATION))

    client.post(
        path_of(issued),
        {**CONFIRM, "purposes": [Purpose.PROCESSING], "signed_name": "Петрова Анна Сергеевна"},
    )

    assert list(Consent.objects.values_list("purpose", flat=True)) == [Purpose.PROCESSING]


def test_only_a_hash_of_the_token_is_stored(family):
    issued = issue(family)
    token = token_of(issued)

    link = ConsentLink.objects.get()
    assert link.token_hash == hash_token(token)
    values = [str(v) for v in ConsentLink.objects.values_list().get()]
    assert not any(token in value for value in values)
    assert len(token) >= 40


def test_the_link_is_sent_by_email_after_the_commit(family, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        issued = issue(family, send=True)

    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["anna.petrova@example.ru"]
    assert issued.url in letter.body
    assert issued.link.sent_to == "anna.petrova@example.ru"


def test_sending_to_someone_without_an_email_is_refused(family):
    with pytest.raises(ValidationError) as error:
        issue(family, subject=family.teen, addressee=family.teen_mother, send=True)

    assert error.value.error_dict["send"][0].code == "no_email"
    assert not ConsentLink.objects.exists()


def test_a_link_for_a_minor_goes_to_a_guardian_only(family):
    for addressee in (family.child, family.teen_mother):
        with pytest.raises(ValidationError) as error:
            issue(family, addressee=addressee)
        assert error.value.error_dict["addressee"][0].code == "minor_guardian"
    assert not ConsentLink.objects.exists()


def test_a_link_is_refused_for_a_purpose_already_consented(client, family):
    issued = issue(family)
    client.post(
        path_of(issued),
        {**CONFIRM, "purposes": ["processing"], "signed_name": "Петрова Анна Сергеевна"},
    )

    with pytest.raises(ValidationError) as error:
        issue(family)

    assert error.value.error_dict["purpose"][0].code == "duplicate"


def test_an_adult_confirms_for_themselves(client, family):
    issued = issue(family, subject=family.adult, addressee=family.adult)

    response = client.post(
        path_of(issued),
        {"agreed": "on", "purposes": ["processing"], "signed_name": "Орлова Елена Викторовна"},
    )

    assert response.status_code == 200
    consent = Consent.objects.get()
    assert consent.given_by == family.adult
    assert consent.authority_document == ""


def test_from_14_the_child_types_their_own_name_too(client, family):
    issued = issue(family, subject=family.teen, addressee=family.teen_mother)
    data = {**CONFIRM, "purposes": ["processing"], "signed_name": "Соколова Ольга Ивановна"}

    refused = client.post(path_of(issued), {**data, "minor_signed_name": "Соколова Ольга Ивановна"})

    assert refused.status_code == 200
    assert "minor_signed_name" in refused.context["form"].errors
    assert not Consent.objects.exists()

    client.post(path_of(issued), {**data, "minor_signed_name": "Соколова Мария Павловна"})

    consent = Consent.objects.get()
    assert consent.minor_signed is True
    assert consent.minor_signed_name == "Соколова Мария Павловна"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"signed_name": "Иванова Анна Сергеевна"}, "signed_name"),
        ({"signed_name": ""}, "signed_name"),
        ({"agreed": ""}, "agreed"),
        ({"purposes": []}, "purposes"),
        ({"purposes": ["sharing"]}, "purposes"),
        ({"authority_document": ""}, "authority_document"),
    ],
)
def test_bad_confirmations_record_nothing_and_keep_the_link(client, family, data, field):
    issued = issue(family)
    before = database_snapshot()

    response = client.post(
        path_of(issued),
        {**CONFIRM, "purposes": ["processing"], "signed_name": "Петрова Анна Сергеевна", **data},
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert database_snapshot() == before
    assert ConsentLink.objects.get().used_at is None


def test_a_wrong_name_says_which_name_to_type(client, family):
    issued = issue(family)

    response = client.post(
        path_of(issued), {**CONFIRM, "purposes": ["processing"], "signed_name": "Анна"}
    )

    expected = str(MESSAGES["signed_name"] % {"name": "Петрова Анна Сергеевна"})
    assert response.context["form"].errors["signed_name"] == [expected]


def test_a_used_link_cannot_be_reused(client, family):
    issued = issue(family, purposes=(Purpose.PROCESSING, Purpose.PUBLICATION))
    data = {**CONFIRM, "purposes": ["processing"], "signed_name": "Петрова Анна Сергеевна"}
    client.post(path_of(issued), data)
    before = database_snapshot()

    page = client.get(path_of(issued))
    again = client.post(path_of(issued), {**data, "purposes": ["publication"]})

    assert page.status_code == again.status_code == 410
    assert again.context["state"] == "used"
    assert database_snapshot() == before
    assert Consent.objects.count() == 1


def test_an_expired_link_changes_nothing(client, family):
    issued = issue(family)
    ConsentLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    before = database_snapshot()

    page = client.get(path_of(issued))
    post = client.post(
        path_of(issued),
        {**CONFIRM, "purposes": ["processing"], "signed_name": "Петрова Анна Сергеевна"},
    )

    assert page.status_code == post.status_code == 410
    assert post.context["state"] == "expired"
    assert database_snapshot() == before


def test_the_link_expires_after_the_configured_days(family, settings):
    settings.CONSENT_LINK_TTL_DAYS = 3
    issued = issue(family)

    lifetime = issued.link.expires_at - issued.link.created_at
    assert lifetime == timedelta(days=3)


def test_a_new_link_replaces_the_old_one(client, family):
    old = issue(family)
    new = issue(family, purposes=(Purpose.PROCESSING, Purpose.PARTICIPATION))

    response = client.post(
        path_of(old),
        {**CONFIRM, "purposes": ["processing"], "signed_name": "Петрова Анна Сергеевна"},
    )

    assert response.status_code == 410
    assert response.context["state"] == "revoked"
    assert not Consent.objects.exists()
    assert client.get(path_of(new)).status_code == 200


@pytest.mark.parametrize(
    "token",
    ["forged-token-of-the-right-length-0123456789abcdef", "x", "%00", "a" * 300],
)
def test_a_forged_link_shows_a_clear_page_and_changes_nothing(client, family, token):
    issue(family)
    before = database_snapshot()
    url = reverse("consent_public:confirm", kwargs={"token": token})

    page = client.get(url)
    post = client.post(
        url, {**CONFIRM, "purposes": ["processing"], "signed_name": "Петрова Анна Сергеевна"}
    )

    assert page.status_code == post.status_code == 404
    assert page.context["state"] == "not_found"
    assert database_snapshot() == before


def test_the_token_hash_is_not_a_token(client, family):
    issued = issue(family)
    hashed = ConsentLink.objects.get().token_hash

    assert (
        client.get(reverse("consent_public:confirm", kwargs={"token": hashed})).status_code == 404
    )
    assert client.get(path_of(issued)).status_code == 200


def test_a_link_of_another_organisation_is_just_a_link(client, family):
    """The link names its organisation itself: being a member elsewhere changes nothing."""
    other = make_tenant("school-b")
    client.force_login(other.user(Role.CURATOR))
    issued = issue(family)

    response = client.post(
        path_of(issued),
        {**CONFIRM, "purposes": ["processing"], "signed_name": "Петрова Анна Сергеевна"},
    )

    assert response.status_code == 200
    assert Consent.objects.get().organisation == family.org


def test_the_curator_issues_and_prints_the_link_through_the_page(client, family, curator):
    client.force_login(curator)
    url = reverse(
        "consents:link_issue", kwargs={"org_slug": family.org.slug, "person_pk": family.child.pk}
    )

    form = client.get(url)
    response = client.post(
        url,
        {
            "addressee": family.mother.pk,
            "purposes": ["processing", "participation"],
            "valid_until": (family.today + timedelta(days=100)).isoformat(),
            "authority_document": "свидетельство о рождении IV-АИ № 512345",
        },
    )

    assert form.status_code == 200
    assert response.status_code == 200
    link_url = response.context["url"]
    assert link_url.startswith("http://testserver/consent/")
    assert link_url in response.content.decode()
    link = ConsentLink.objects.get()
    assert link.created_by == curator
    assert link.purposes == ["processing", "participation"]
    assert AuditEntry.objects.filter(object_type="consent_link").count() == 1


def test_the_issue_page_refuses_a_stranger_as_addressee(client, family, curator):
    client.force_login(curator)
    url = reverse(
        "consents:link_issue", kwargs={"org_slug": family.org.slug, "person_pk": family.child.pk}
    )

    response = client.post(
        url,
        {
            "addressee": family.teen_mother.pk,
            "purposes": ["processing"],
            "valid_until": (family.today + timedelta(days=100)).isoformat(),
        },
    )

    assert response.status_code == 200
    assert "addressee" in response.context["form"].errors
    assert not ConsentLink.objects.exists()


@pytest.mark.parametrize(
    ("remote_addr", "forwarded", "recorded"),
    [
        # From a trusted proxy: the client it saw, not what the client claimed before it.
        ("10.0.0.1", "198.51.100.66, 203.0.113.9", "203.0.113.9"),
        # Straight from a client: its own claim is ignored.
        ("203.0.113.9", "198.51.100.66", "203.0.113.9"),
    ],
)
def test_the_consent_and_its_audit_entry_record_the_client_address(
    client, family, settings, remote_addr, forwarded, recorded
):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    issued = issue(family)

    client.post(
        path_of(issued),
        {**CONFIRM, "purposes": [Purpose.PROCESSING], "signed_name": "Петрова Анна Сергеевна"},
        REMOTE_ADDR=remote_addr,
        HTTP_X_FORWARDED_FOR=forwarded,
    )

    assert Consent.objects.get().signed_ip == recorded
    entry = AuditEntry.objects.get(object_type="consent")
    assert entry.ip == recorded


def test_work_without_a_request_records_no_address(family):
    issue(family)

    assert AuditEntry.objects.get(object_type="consent_link").ip is None


def test_depersonalising_removes_the_address_a_link_was_confirmed_from(client, family):
    from nastavnik.audit.services import audit_scrub_person

    issued = issue(family)
    client.post(
        path_of(issued),
        {**CONFIRM, "purposes": [Purpose.PROCESSING], "signed_name": "Петрова Анна Сергеевна"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert AuditEntry.objects.get(object_type="consent").ip == "203.0.113.9"

    audit_scrub_person(family.child)

    assert AuditEntry.objects.get(object_type="consent").ip is None
