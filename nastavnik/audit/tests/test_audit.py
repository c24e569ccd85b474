"""The audit log: changes of personal data through the people services and the pages, old → new,
and the page the curator and the director read."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst

from nastavnik.audit.models import AuditAction, AuditChannel, AuditEntry, AuditObject
from nastavnik.orgs.models import Role
from nastavnik.people.models import Gender, GuardianLink, Person
from nastavnik.people.services import guardian_link_add, guardian_link_remove, person_create
from nastavnik.people.tests.data import as_post, fio, person_data
from nastavnik.people.tests.factories import ParentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def log_url(org):
    return reverse("audit:log", kwargs={"org_slug": org.slug})


def test_an_update_through_the_edit_page_writes_old_and_new(client, tenant_a):
    person = PersonFactory(
        organisation=tenant_a.organisation,
        **fio("Иванов Пётр Сергеевич"),
        grade=6,
        class_letter="Б",
    )
    curator = tenant_a.user(Role.CURATOR)
    client.force_login(curator)
    data = person_data(last_name="Иванов", first_name="Пётр", birth_date=person.birth_date)

    response = client.post(
        reverse(
            "people:edit", kwargs={"org_slug": tenant_a.organisation.slug, "person_pk": person.pk}
        ),
        as_post({**data, "phone": "+7 912 345-67-89", "grade": 7}),
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert entry.actor == curator
    assert entry.channel == AuditChannel.WEB
    assert entry.person_id == person.pk
    assert entry.object_type == AuditObject.PERSON
    assert entry.changes["phone"] == ["", "+7 912 345-67-89"]
    assert entry.changes["grade"] == [6, 7]
    assert "last_name" not in entry.changes


def test_saving_without_changes_writes_nothing(tenant_a):
    from nastavnik.people.services import person_update

    person = PersonFactory(organisation=tenant_a.organisation)

    person_update(person, {}, by=None)

    assert not AuditEntry.objects.exists()


def test_creating_a_person_is_logged_with_the_values(tenant_a):
    curator = tenant_a.user(Role.CURATOR)

    person = person_create(tenant_a.organisation, person_data(), by=curator)

    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.CREATE and entry.object_id == person.pk
    assert entry.changes["last_name"] == [None, "Иванов"]
    assert entry.changes["birth_date"] == [None, person.birth_date.isoformat()]
    assert "email" not in entry.changes  # empty values are not news


def test_guardian_links_are_logged_both_ways(tenant_a):
    org = tenant_a.organisation
    child = PersonFactory(organisation=org)
    mother = ParentFactory(organisation=org, gender="f", last_name="Иванова")

    link = guardian_link_add(child, mother, "mother", by=None)
    guardian_link_remove(GuardianLink.objects.get(pk=link.pk), by=None)

    added, removed = AuditEntry.objects.order_by("pk")
    assert (added.action, removed.action) == (AuditAction.CREATE, AuditAction.DELETE)
    assert added.person_id == child.pk and added.related_person_id == mother.pk
    assert added.channel == AuditChannel.SYSTEM
    assert removed.changes == {"relation": ["mother", None]}


def test_a_failed_write_leaves_no_entry(tenant_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        person_create(tenant_a.organisation, person_data(last_name="123"), by=None)

    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("role", [Role.CURATOR, Role.DIRECTOR])
def test_the_log_page_shows_and_filters_entries(client, tenant_a, tenant_b, role):
    org = tenant_a.organisation
    first = person_create(org, person_data(), by=None)
    second = person_create(org, person_data(last_name="Смирнов"), by=None)
    from nastavnik.people.services import person_update

    person_update(first, {"phone": "+7 912 000-00-01"}, by=None)
    person_create(tenant_b.organisation, person_data(last_name="Чужой"), by=None)
    client.force_login(tenant_a.user(role))

    everything = client.get(log_url(org))
    updates = client.get(log_url(org), {"action": "update"})
    about_second = client.get(log_url(org), {"person": second.pk})
    by_day = client.get(log_url(org), {"since": "2000-01-01", "until": "2000-01-02"})

    assert everything.status_code == 200
    assert len(everything.context["rows"]) == 3  # never the other organisation's
    assert "Чужой" not in everything.content.decode()
    assert [e.action for e, _c in updates.context["rows"]] == ["update"]
    changes = updates.context["rows"][0][1]
    phone = capfirst(str(Person._meta.get_field("phone").verbose_name))
    assert [(str(c.field), c.old, c.new) for c in changes] == [(phone, "—", "+7 912 000-00-01")]
    assert [e.object_id for e, _c in about_second.context["rows"]] == [second.pk]
    assert about_second.context["person"] == second
    assert by_day.context["rows"] == []


def test_the_log_shows_choice_labels_and_field_names(client, tenant_a):
    from nastavnik.people.services import person_update

    person = PersonFactory(organisation=tenant_a.organisation, gender="m")
    person_update(
        person,
        {"gender": "f", "first_name": "Мария", "middle_name": "Петровна", "last_name": "Иванова"},
        by=None,
    )
    client.force_login(tenant_a.user(Role.CURATOR))

    page = client.get(log_url(tenant_a.organisation))

    changes = {str(c.field): (str(c.old), str(c.new)) for c in page.context["rows"][0][1]}
    gender = capfirst(str(Person._meta.get_field("gender").verbose_name))
    assert changes[gender] == (str(Gender.MALE.label), str(Gender.FEMALE.label))


def test_the_log_speaks_russian_about_every_kind_of_object(client, tenant_a):
    """Field names, choices, lists and moments of a mentee's and a meeting's entries read as
    words and the organisation's local time, not as model internals and UTC ISO strings."""
    org = tenant_a.organisation
    org.timezone = "Asia/Yekaterinburg"  # UTC+5
    org.save(update_fields=["timezone"])
    for object_type, changes in (
        (
            AuditObject.MENTEE,
            {"status": ["candidate", "in_base"], "request_text": ["", "Хочу в олимпиаду"]},
        ),
        (AuditObject.MEETING, {"starts_at": [None, "2026-10-01T09:00:00+00:00"]}),
    ):
        AuditEntry.objects.create(
            organisation=org,
            at=timezone.now(),
            channel=AuditChannel.SYSTEM,
            action=AuditAction.UPDATE,
            object_type=object_type,
            object_id=1,
            changes=changes,
        )
    client.force_login(tenant_a.user(Role.CURATOR))

    with translation.override("ru"):
        page = client.get(log_url(org), HTTP_ACCEPT_LANGUAGE="ru")
        text = page.content.decode()

    assert "request_text" not in text and "in_base" not in text and "starts_at" not in text
    assert "Запрос своими словами" in text
    assert "Кандидат → В базе" in text or "кандидат → в базе" in text.lower()
    assert "01.10.2026 14:00" in text  # 09:00 UTC is 14:00 in Yekaterinburg
    assert "2026-10-01T09" not in text


def test_a_bad_filter_is_shown_not_a_crash(client, tenant_a):
    client.force_login(tenant_a.user(Role.CURATOR))

    response = client.get(log_url(tenant_a.organisation), {"since": "31.02.2024", "action": "x"})

    assert response.status_code == 200
    assert response.context["filter"].errors


@pytest.mark.parametrize(
    "role", [Role.SPECIALIST, Role.MENTOR, Role.GUARDIAN, Role.COMMISSION_MEMBER]
)
def test_others_cannot_read_the_log(client, tenant_a, role):
    client.force_login(tenant_a.user(role))

    assert client.get(log_url(tenant_a.organisation)).status_code == 403


def test_dates_and_models_are_stored_as_plain_json():
    from nastavnik.audit.services import diff

    assert diff({"birth_date": date(2012, 5, 1)}, {"birth_date": date(2012, 5, 2)}) == {
        "birth_date": ["2012-05-01", "2012-05-02"]
    }
