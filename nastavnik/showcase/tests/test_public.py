"""The public mentoring page: exactly the consented mentors, read at request time; conditional
GET that is never stale; plain valid HTML without script; 404s for what is not public."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone

from nastavnik.cases.tests.data import (
    case,
    consent,
    consent_all,
    guardian_consent,
    mentor,
    pair,
    programme_of,
)
from nastavnik.consents.models import Consent, Purpose
from nastavnik.consents.services import consent_withdraw
from nastavnik.documents.render import docx_text
from nastavnik.mentors.models import Mentor, MentorStatus
from nastavnik.mentors.tests.factories import PortfolioItemFactory
from nastavnik.people.tests.factories import PersonFactory, StaffFactory
from nastavnik.programmes.models import ProgrammeStatus, SocialPartner
from nastavnik.showcase.models import Announcement, PublicPage
from nastavnik.showcase.tests.html import html_problems

pytestmark = pytest.mark.django_db


@dataclass
class Registry:
    shown: list[Mentor]
    absent: list[Mentor]
    withdrawn: Mentor


def staff(org, last_name):
    return StaffFactory(organisation=org, last_name=last_name, first_name="Ирина")


def open_page(org) -> PublicPage:
    return PublicPage.objects.create(
        organisation=org, enabled=True, intro="Наставничество в нашей школе.", contact="каб. 21"
    )


def page_url(org) -> str:
    return reverse("public_page:page", kwargs={"slug": org.slug})


def mentor_url(org, pk) -> str:
    return reverse("public_page:mentor", kwargs={"slug": org.slug, "mentor_id": pk})


@pytest.fixture
def registry(tenant_a, tenant_b) -> Registry:
    org = tenant_a.organisation
    open_page(org)
    programme = programme_of(org)
    consented = mentor(programme, staff(org, "Согласнова"))
    consent(consented.person)
    only_processing = mentor(programme, staff(org, "Обработкина"))
    consent(only_processing.person, Purpose.PROCESSING)
    withdrawn = mentor(programme, staff(org, "Отозвавшая"))
    consent(withdrawn.person)
    no_consent = mentor(programme, staff(org, "Молчанова"))
    student_with = mentor(programme, PersonFactory(organisation=org, last_name="Юнов", grade=10))
    guardian_consent(student_with.person)
    student_without = mentor(
        programme, PersonFactory(organisation=org, last_name="Несогласов", grade=10)
    )
    candidate = mentor(programme, staff(org, "Кандидатова"), MentorStatus.CANDIDATE)
    consent(candidate.person)
    theirs = mentor(programme_of(tenant_b.organisation), staff(tenant_b.organisation, "Чужова"))
    consent(theirs.person)
    return Registry(
        shown=[consented, student_with, withdrawn],
        absent=[only_processing, no_consent, student_without, candidate, theirs],
        withdrawn=withdrawn,
    )


def names(response) -> set[str]:
    return {m.person.last_name for m in response.context["mentors"]}


def withdraw(person, purpose=Purpose.PUBLICATION):
    consent_withdraw(
        Consent.objects.get(subject=person, purpose=purpose, withdrawn_at__isnull=True),
        "",
        None,
        require_reason=False,
    )


def test_the_registry_shows_exactly_the_registered_mentors_with_a_valid_consent(
    client, tenant_a, registry
):
    response = client.get(page_url(tenant_a.organisation))

    assert response.status_code == 200
    assert names(response) == {m.person.last_name for m in registry.shown}
    content = response.content.decode()
    for absent in registry.absent:
        assert absent.person.last_name not in content
    # The consent covers the last and the first name: no patronymic on the site.
    shown = registry.shown[0].person
    assert f"{shown.last_name} {shown.first_name}" in content
    assert shown.middle_name not in content


def test_a_withdrawn_consent_takes_the_mentor_off_at_once(client, tenant_a, registry):
    org = tenant_a.organisation
    mentor_page = mentor_url(org, registry.withdrawn.pk)
    assert client.get(mentor_page).status_code == 200

    withdraw(registry.withdrawn.person)

    assert registry.withdrawn.person.last_name not in names(client.get(page_url(org)))
    assert client.get(mentor_page).status_code == 404


def test_withdrawing_the_processing_consent_hides_the_mentor_too(client, tenant_a, registry):
    withdraw(registry.withdrawn.person, Purpose.PROCESSING)

    assert registry.withdrawn.person.last_name not in names(
        client.get(page_url(tenant_a.organisation))
    )


def test_a_minor_mentor_needs_the_guardians_consent(client, tenant_a, registry):
    org = tenant_a.organisation
    with_guardian = next(m for m in registry.shown if m.person.last_name == "Юнов")
    without = next(m for m in registry.absent if m.person.last_name == "Несогласов")

    assert client.get(mentor_url(org, with_guardian.pk)).status_code == 200
    assert client.get(mentor_url(org, without.pk)).status_code == 404


def test_mentor_pages_of_others_are_not_found(client, tenant_a, tenant_b, registry):
    org = tenant_a.organisation
    for absent in registry.absent:
        assert client.get(mentor_url(org, absent.pk)).status_code == 404, absent.person
    theirs = registry.absent[-1]
    open_page(tenant_b.organisation)
    assert client.get(mentor_url(tenant_b.organisation, theirs.pk)).status_code == 200
    assert client.get(mentor_url(tenant_b.organisation, registry.shown[0].pk)).status_code == 404


def test_the_portfolio_shows_published_items_only(client, tenant_a, registry):
    person = registry.shown[0].person
    PortfolioItemFactory(person=person, title="Диплом конкурса", published=True)
    PortfolioItemFactory(person=person, title="Черновая запись", published=False)

    content = client.get(mentor_url(tenant_a.organisation, registry.shown[0].pk)).content.decode()

    assert "Диплом конкурса" in content and "Черновая запись" not in content


def test_repeat_visits_get_304_and_a_withdrawal_changes_the_etag(client, tenant_a, registry):
    address = page_url(tenant_a.organisation)
    first = client.get(address)
    etag = first["ETag"]
    assert "public" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
    # The one page kept out of the site-wide no-store: it carries only consented data.
    assert "no-store" not in first["Cache-Control"]

    again = client.get(address, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert "no-cache" in again["Cache-Control"]
    assert "no-store" not in again["Cache-Control"]

    withdraw(registry.withdrawn.person)

    after = client.get(address, HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200
    assert after["ETag"] != etag
    assert registry.withdrawn.person.last_name not in after.content.decode()


@pytest.mark.parametrize(
    "change",
    [
        lambda org: Announcement.objects.create(
            organisation=org, title="Новое", starts_at=timezone.now() + timedelta(days=3)
        ),
        lambda org: SocialPartner.objects.filter(organisation=org).update(name="Новое имя"),
        lambda org: case(programme_of(org), without_names=True, published=True),
    ],
    ids=["announcement", "partner", "case"],
)
def test_any_change_of_what_the_page_shows_changes_the_etag(client, tenant_a, registry, change):
    org = tenant_a.organisation
    SocialPartner.objects.create(organisation=org, programme=programme_of(org), name="Вуз")
    etag = client.get(page_url(org))["ETag"]

    change(org)

    assert client.get(page_url(org), HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_pages_are_valid_html_without_script(client, tenant_a, registry):
    org = tenant_a.organisation
    mentorship = pair(programme_of(org))
    consent_all(mentorship)
    published = case(mentorship.programme, mentorship, published=True)
    Announcement.objects.create(
        organisation=org, title="Школа наставника", starts_at=timezone.now() + timedelta(days=1)
    )
    addresses = [
        page_url(org),
        mentor_url(org, registry.shown[0].pk),
        reverse("public_page:case", kwargs={"slug": org.slug, "case_id": published.pk}),
    ]
    for address in addresses:
        content = client.get(address).content.decode()
        assert html_problems(content) == [], address
        assert "<script" not in content.lower()


def test_closed_unknown_and_missing_pages_are_not_found(client, tenant_a, tenant_b, registry):
    assert client.get(page_url(tenant_b.organisation)).status_code == 404  # no settings row
    assert client.get("/mentoring/no-such-school/").status_code == 404
    PublicPage.objects.filter(organisation=tenant_a.organisation).update(enabled=False)
    assert client.get(page_url(tenant_a.organisation)).status_code == 404
    assert client.get(mentor_url(tenant_a.organisation, registry.shown[0].pk)).status_code == 404


def test_the_page_is_read_only(client, tenant_a, registry):
    assert client.post(page_url(tenant_a.organisation)).status_code == 405


def test_cases_show_names_only_while_everyone_consents(client, tenant_a, registry):
    org = tenant_a.organisation
    mentorship = pair(programme_of(org))
    consent_all(mentorship)
    published = case(mentorship.programme, mentorship, published=True)
    case(mentorship.programme, title="Черновой кейс")
    mentee = mentorship.members.get().mentee.person
    case_url = reverse("public_page:case", kwargs={"slug": org.slug, "case_id": published.pk})

    content = client.get(page_url(org)).content.decode()
    assert published.title in content and "Черновой кейс" not in content
    assert f"{mentee.first_name} {mentee.last_name[0]}." in client.get(case_url).content.decode()

    withdraw(mentee)

    after = client.get(case_url).content.decode()
    assert published.title in after
    assert mentee.first_name not in after
    assert mentorship.mentor.person.last_name not in after


def test_drafts_and_other_organisations_cases_are_not_found(client, tenant_a, tenant_b, registry):
    org = tenant_a.organisation
    draft = case(programme_of(org), without_names=True)
    theirs = case(programme_of(tenant_b.organisation), without_names=True, published=True)
    for found in (draft, theirs):
        address = reverse("public_page:case", kwargs={"slug": org.slug, "case_id": found.pk})
        assert client.get(address).status_code == 404


def test_upcoming_published_announcements_and_partners_without_contacts(client, tenant_a, registry):
    org = tenant_a.organisation
    now = timezone.now()
    Announcement.objects.create(organisation=org, title="Будущее", starts_at=now + timedelta(1))
    Announcement.objects.create(organisation=org, title="Прошедшее", starts_at=now - timedelta(3))
    Announcement.objects.create(
        organisation=org, title="Скрытое", starts_at=now + timedelta(2), published=False
    )
    SocialPartner.objects.create(
        organisation=org,
        programme=programme_of(org),
        name="Технопарк «Кванториум»",
        contribution="Наставники-инженеры",
        contact_person="Захаров Пётр Ильич",
        phone="+7 900 000-00-00",
    )

    content = client.get(page_url(org)).content.decode()

    assert "Будущее" in content
    assert "Прошедшее" not in content and "Скрытое" not in content
    assert "Технопарк «Кванториум»" in content and "Наставники-инженеры" in content
    assert "Захаров" not in content and "000-00-00" not in content


def test_documents_only_of_an_approved_programme_and_without_names(client, tenant_a, registry):
    org = tenant_a.organisation
    programme = programme_of(org)
    curator = StaffFactory(organisation=org, last_name="Кураторова", first_name="Анна")
    programme.curator = curator
    programme.save(update_fields=["curator", "updated_at"])
    docx = reverse("public_page:programme_docx", kwargs={"slug": org.slug})
    roadmap = reverse("public_page:roadmap_docx", kwargs={"slug": org.slug})
    assert client.get(docx).status_code == 404
    assert "programme.docx" not in client.get(page_url(org)).content.decode()

    programme.status = ProgrammeStatus.APPROVED
    programme.approved_on = timezone.localdate()
    programme.save(update_fields=["status", "approved_on", "updated_at"])

    assert "programme.docx" in client.get(page_url(org)).content.decode()
    response = client.get(docx)
    assert response.status_code == 200
    text = docx_text(BytesIO(b"".join(response.streaming_content)).getvalue())
    assert "Программа наставничества" in text or "программа наставничества" in text.lower()
    assert "Кураторова" not in text
    assert client.get(roadmap).status_code == 200


def test_the_page_costs_the_same_queries_for_one_mentor_and_for_many(
    client, tenant_a, django_assert_max_num_queries
):
    org = tenant_a.organisation
    open_page(org)
    programme = programme_of(org)
    first = mentor(programme)
    consent(first.person)
    PortfolioItemFactory(person=first.person, published=True)
    mentorship = pair(programme)
    consent_all(mentorship)
    case(programme, mentorship, published=True)
    with django_assert_max_num_queries(25) as one:
        client.get(page_url(org))

    for _ in range(5):
        more = mentor(programme)
        consent(more.person)
        PortfolioItemFactory(person=more.person, published=True)
        extra = pair(programme)
        consent_all(extra)
        case(programme, extra, published=True)

    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(page_url(org))
    etag = client.get(page_url(org))["ETag"]
    with django_assert_max_num_queries(3):
        assert client.get(page_url(org), HTTP_IF_NONE_MATCH=etag).status_code == 304
