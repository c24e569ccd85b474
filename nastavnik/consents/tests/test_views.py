"""The consents pages as the curator, the director, a specialist and a guardian use them."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from docx import Document

from nastavnik.audit.models import AuditEntry
from nastavnik.consents.models import Consent, Method, Purpose
from nastavnik.consents.services import consent_withdraw
from nastavnik.consents.tests.conftest import give, pdf
from nastavnik.core.tests.pages import login
from nastavnik.core.uploads import UPLOAD_MESSAGES
from nastavnik.documents.render import docx_text
from nastavnik.orgs.models import Role
from nastavnik.people.tests.factories import PersonFactory
from tests.test_isolation import database_snapshot

pytestmark = pytest.mark.django_db


def url(name, family, **kwargs):
    return reverse(name, kwargs={"org_slug": family.org.slug, **kwargs})


def record_adults_processing(client, family, **change):
    """Posts the record page of the adult's consent to processing, signed by the adult, with
    `change` made to the form."""
    return client.post(
        url("consents:record", family, person_pk=family.adult.pk),
        {
            "purpose": "processing",
            "given_by": family.adult.pk,
            "given_on": family.today.isoformat(),
            "valid_until": (family.today + timedelta(days=90)).isoformat(),
            "scan": pdf(),
            **change,
        },
    )


# --- Recording a paper consent --------------------------------------------------------------


def test_the_curator_records_a_paper_consent_with_its_scan(client, tenant_a, family):
    login(client, tenant_a, Role.CURATOR)
    page = client.get(url("consents:record", family, person_pk=family.teen.pk))
    assert set(page.context["form"].fields) >= {"given_by", "authority_document", "minor_signed"}

    response = client.post(
        url("consents:record", family, person_pk=family.teen.pk),
        {
            "purpose": "participation",
            "given_by": family.teen_mother.pk,
            "authority_document": "свидетельство о рождении IV-АИ № 777777",
            "minor_signed": "on",
            "given_on": family.today.isoformat(),
            "valid_until": (family.today + timedelta(days=90)).isoformat(),
            "scan": pdf(),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == url("consents:person", family, person_pk=family.teen.pk)
    consent = Consent.objects.get()
    assert consent.recorded_by == tenant_a.user(Role.CURATOR)
    assert consent.minor_signed and consent.method == Method.PAPER
    scan = client.get(url("consents:scan", family, consent_pk=consent.pk))
    assert scan["Content-Type"] == "application/pdf"
    assert b"".join(scan.streaming_content if scan.streaming else [scan.content]).startswith(
        b"%PDF-"
    )


def test_the_record_form_for_an_adult_offers_only_the_adult(client, tenant_a, family):
    login(client, tenant_a, Role.CURATOR)

    page = client.get(url("consents:record", family, person_pk=family.adult.pk))

    form = page.context["form"]
    assert form.fields["given_by"].choices == [(family.adult.pk, family.adult.full_name)]
    assert "authority_document" not in form.fields and "minor_signed" not in form.fields


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"scan": pdf("скан.pdf", b"<html>not a pdf</html>")}, "scan", UPLOAD_MESSAGES["type"]),
        ({"given_by": "999999"}, "given_by", None),
        ({"purpose": "everything"}, "purpose", None),
        ({"given_on": "31.02.2024"}, "given_on", None),
    ],
)
def test_bad_input_on_the_record_page_writes_nothing(
    client, tenant_a, family, change, field, message
):
    login(client, tenant_a, Role.CURATOR)
    before = database_snapshot()

    response = record_adults_processing(client, family, **change)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert errors[field] == [str(message)]
    assert database_snapshot() == before


def test_a_second_consent_for_the_same_purpose_is_refused_on_the_page(client, tenant_a, family):
    give(family, family.adult, family.adult)
    login(client, tenant_a, Role.CURATOR)

    response = record_adults_processing(client, family)

    assert response.status_code == 200
    assert "purpose" in response.context["form"].errors
    assert Consent.objects.count() == 1


def test_a_minor_without_a_guardian_gets_a_way_to_add_one(client, tenant_a, family):
    orphan = PersonFactory(organisation=family.org)
    login(client, tenant_a, Role.CURATOR)

    page = client.get(url("consents:record", family, person_pk=orphan.pk))

    assert url("people:guardian_add", family, person_pk=orphan.pk) in page.content.decode()


# --- Withdrawal -----------------------------------------------------------------------------


def test_the_curator_withdraws_with_a_reason_and_twice_is_refused(client, tenant_a, family):
    consent = give(family, family.child, family.mother)
    login(client, tenant_a, Role.CURATOR)
    withdraw = url("consents:withdraw", family, consent_pk=consent.pk)

    empty = client.post(withdraw, {"reason": ""})
    assert "reason" in empty.context["form"].errors
    assert Consent.objects.get().withdrawn_at is None

    done = client.post(withdraw, {"reason": "Заявление матери от 1 марта"})
    assert done.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert consent.withdrawn_by == tenant_a.user(Role.CURATOR)

    twice = client.post(withdraw, {"reason": "Ещё раз"})
    assert twice.status_code == 200
    assert (
        twice.context["form"]
        .non_field_errors()[0]
        .startswith(str(_("This consent was already withdrawn on %(date)s.")).split("%")[0])
    )
    consent.refresh_from_db()
    assert consent.withdrawal_reason == "Заявление матери от 1 марта"


# --- The card, the lists, hiding -------------------------------------------------------------


def test_the_card_shows_the_state_of_each_consent(client, tenant_a, family):
    give(family, family.child, family.mother)
    login(client, tenant_a, Role.CURATOR)

    page = client.get(url("people:detail", family, person_pk=family.child.pk))

    status = page.context["consents"]
    assert [s.status for s in status.ordered] == ["valid", "missing", "missing", "missing"]
    content = page.content.decode()
    assert str(Purpose.PARTICIPATION.label) in content
    assert url("consents:person", family, person_pk=family.child.pk) in content


def test_the_people_list_shows_consent_status(client, tenant_a, family):
    give(family, family.child, family.mother)
    give(family, family.child, family.mother, Purpose.PARTICIPATION)
    give(family, family.teen, family.teen_mother, minor_signed=True)
    login(client, tenant_a, Role.CURATOR)

    page = client.get(url("people:list", family), {"kind": "student"})

    rows = {p.pk: (p.consent_processing, p.consent_participation) for p in page.context["page"]}
    assert rows[family.child.pk] == (True, True)
    assert rows[family.teen.pk] == (True, False)
    content = page.content.decode()
    assert str(_("Consent")) in content and str(_("partly")) in content


def test_after_withdrawal_the_data_are_hidden_from_everyone_but_the_register(
    client, tenant_a, family
):
    consent = give(family, family.child, family.mother)
    consent_withdraw(consent, "Заявление матери", by=None)

    # A specialist: no name on the card, no row in the list, no way to the register.
    login(client, tenant_a, Role.SPECIALIST)
    card = client.get(url("people:detail", family, person_pk=family.child.pk))
    listing = client.get(url("people:list", family), {"q": "Петров Илья"})
    assert card.status_code == 200
    assert family.child.full_name not in card.content.decode()
    assert family.child.birth_date.strftime("%d.%m.%Y") not in card.content.decode()
    assert str(_("Data hidden: consent withdrawn")) in card.content.decode()
    assert list(listing.context["page"]) == []
    # Nor as the guardian of anyone on the mother's card.
    mother_card = client.get(url("people:detail", family, person_pk=family.mother.pk))
    assert family.child.full_name not in mother_card.content.decode()
    assert client.get(url("consents:person", family, person_pk=family.child.pk)).status_code == 403

    # The curator: the card is hidden as well, but leads to the register, which shows it.
    login(client, tenant_a, Role.CURATOR)
    card = client.get(url("people:detail", family, person_pk=family.child.pk))
    register_entry = url("consents:person", family, person_pk=family.child.pk)
    assert family.child.full_name not in card.content.decode()
    assert register_entry in card.content.decode()
    entry = client.get(register_entry)
    assert family.child.full_name in entry.content.decode()
    register = client.get(url("consents:register", family), {"status": "withdrawn"})
    assert [c.subject for c, _status in register.context["rows"]] == [family.child]
    # Editing is refused.
    edit = client.get(url("people:edit", family, person_pk=family.child.pk))
    assert edit.status_code == 302


# --- The register and who lacks what --------------------------------------------------------


def test_the_register_filters_by_purpose_status_and_name(client, tenant_a, family):
    give(family, family.child, family.mother)
    give(family, family.child, family.mother, Purpose.PARTICIPATION)
    withdrawn = give(family, family.adult, family.adult)
    consent_withdraw(withdrawn, "Заявление", by=None)
    login(client, tenant_a, Role.DIRECTOR)

    def subjects(**params):
        page = client.get(url("consents:register", family), params)
        return sorted((c.subject.last_name, c.purpose) for c, _status in page.context["rows"])

    assert subjects(purpose="participation") == [("Петров", "participation")]
    assert subjects(status="valid") == [("Петров", "participation"), ("Петров", "processing")]
    assert subjects(status="withdrawn") == [("Орлова", "processing")]
    assert subjects(q="орлова") == [("Орлова", "processing")]
    assert subjects(method="electronic") == []


def test_who_lacks_which_consent(client, tenant_a, family):
    give(family, family.child, family.mother)
    give(family, family.child, family.mother, Purpose.PARTICIPATION)
    give(family, family.teen, family.teen_mother, minor_signed=True)
    login(client, tenant_a, Role.CURATOR)

    page = client.get(url("consents:missing", family))

    rows = {row["person"].pk: row for row in page.context["rows"]}
    assert family.child.pk not in rows
    assert rows[family.teen.pk]["missing"] == [Purpose.PARTICIPATION]
    assert rows[family.teen.pk]["signing"].minor_signs
    publication = client.get(url("consents:missing", family), {"purpose": "publication"})
    assert {r["person"].pk for r in publication.context["rows"]} == {
        family.child.pk,
        family.teen.pk,
    }


def test_bulk_printing_gives_one_docx_with_a_page_per_missing_consent(client, tenant_a, family):
    give(family, family.teen, family.teen_mother, minor_signed=True)
    login(client, tenant_a, Role.CURATOR)

    response = client.post(
        url("consents:missing_print", family), {"person": [family.child.pk, family.teen.pk]}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    text = docx_text(response.content)
    # Ilya lacks both consents, Maria lacks participation: three documents, three pages.
    assert text.count("СОГЛАСИЕ") == 3
    body = Document(BytesIO(response.content)).element.body.xml
    assert body.count('w:type="page"') == 2
    assert "являясь матерью несовершеннолетнего Петрова Ильи Андреевича" in text
    assert "являясь матерью несовершеннолетней Соколовой Марии Павловны" in text
    assert "Петрова Анна Сергеевна" in text
    assert "С согласием ознакомлена и согласна" in text  # Maria is 15


def test_bulk_printing_needs_a_choice_and_has_a_limit(client, tenant_a, family, monkeypatch):
    login(client, tenant_a, Role.CURATOR)

    nothing = client.post(url("consents:missing_print", family), {})
    assert nothing.status_code == 302

    monkeypatch.setattr("nastavnik.consents.views.MAX_BULK_DOCUMENTS", 2)
    too_many = client.post(url("consents:missing_print", family), {"all": "1"})
    assert too_many.status_code == 302
    everyone = client.post(url("consents:missing_print", family), {"all": "1", "grade": "9"})
    assert everyone.status_code == 200  # Maria alone: two forms


# --- Documents ------------------------------------------------------------------------------


def test_a_prefilled_adult_form(client, tenant_a, family):
    login(client, tenant_a, Role.CURATOR)

    response = client.get(
        url("consents:person_form", family, person_pk=family.adult.pk), {"purpose": "sharing"}
    )

    text = " ".join(docx_text(response.content).split())
    assert "Я, Орлова Елена Викторовна" in text
    assert "зарегистрированная по адресу" in text
    assert "паспорт серия ______ № __________" in text
    assert f"оператору — {family.org.name} (ИНН 6625024711), адрес: {family.org.address}" in text
    assert "на предоставление моих персональных данных другим организациям региона" in text
    assert "обрабатываются в целях" in text and "Перечень персональных данных:" in text
    assert "Порядок отзыва:" in text and "включительно" in text
    assert "«___» ____________ 20___ г. ____________ / Е. В. Орлова" in text
    assert "законного представителя" not in text


def test_a_copy_of_an_electronic_consent_says_how_it_was_signed(client, tenant_a, family):
    consent = give(family, family.child, family.mother)
    Consent.objects.filter(pk=consent.pk).update(
        method=Method.ELECTRONIC, signed_name="Петрова Анна Сергеевна", signed_ip="203.0.113.7"
    )
    login(client, tenant_a, Role.CURATOR)

    response = client.get(url("consents:document", family, consent_pk=consent.pk))

    text = " ".join(docx_text(response.content).split())
    assert "по одноразовой ссылке" in text and "203.0.113.7" in text
    assert "являясь матерью несовершеннолетнего Петрова Ильи Андреевича" in text


def test_an_unknown_purpose_for_a_form_is_404(client, tenant_a, family):
    login(client, tenant_a, Role.CURATOR)

    response = client.get(
        url("consents:person_form", family, person_pk=family.adult.pk), {"purpose": "all"}
    )

    assert response.status_code == 404


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.MENTOR, Role.MENTEE, Role.GUARDIAN])
def test_only_the_curator_and_the_director_open_the_consents_pages(client, tenant_a, family, role):
    consent = give(family, family.child, family.mother)
    login(client, tenant_a, role)
    before = database_snapshot()

    for name, kwargs in [
        ("consents:register", {}),
        ("consents:missing", {}),
        ("consents:person", {"person_pk": family.child.pk}),
        ("consents:detail", {"consent_pk": consent.pk}),
        ("consents:scan", {"consent_pk": consent.pk}),
        ("consents:withdraw", {"consent_pk": consent.pk}),
        ("audit:log", {}),
    ]:
        assert client.get(url(name, family, **kwargs)).status_code == 403, name
    assert (
        client.post(
            url("consents:withdraw", family, consent_pk=consent.pk), {"reason": "x"}
        ).status_code
        == 403
    )
    assert database_snapshot() == before


def test_the_guardian_withdraws_a_consent_in_her_cabinet(client, tenant_a, family):
    guardian_user = tenant_a.user(Role.GUARDIAN)
    family.mother.user = guardian_user
    family.mother.save()
    consent = give(family, family.child, family.mother)
    other = give(family, family.teen, family.teen_mother, minor_signed=True)
    client.force_login(guardian_user)

    dashboard = client.get(reverse("orgs:dashboard", kwargs={"org_slug": family.org.slug}))
    assert [c for c, _status in dashboard.context["own_consents"]] == [consent]
    withdraw_url = url("consents:withdraw_own", family, consent_pk=consent.pk)
    assert withdraw_url in dashboard.content.decode()

    # Another family's consent is not hers: 404, nothing changed.
    assert client.post(url("consents:withdraw_own", family, consent_pk=other.pk)).status_code == 404
    response = client.post(withdraw_url, {"reason": ""})

    assert response.status_code == 302
    consent.refresh_from_db()
    other.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == guardian_user
    assert other.withdrawn_at is None
    entry = AuditEntry.objects.get(action="withdraw")
    assert entry.actor == guardian_user and entry.person_id == family.child.pk


def test_with_two_guardians_the_page_asks_who_signs(client, tenant_a, family):
    """The father was added first; the curator still chooses the mother on the page and the
    form names her, not whoever came first."""
    from nastavnik.people.tests.factories import GuardianLinkFactory, ParentFactory

    father = ParentFactory(
        organisation=family.org, last_name="Петров", first_name="Андрей", gender="m"
    )
    father_link = GuardianLinkFactory(guardian=father, child=family.child, organisation=family.org)
    login(client, tenant_a, Role.CURATOR)

    page = client.get(url("consents:person", family, person_pk=family.child.pk)).content.decode()
    form_url = url("consents:person_form", family, person_pk=family.child.pk)
    assert f"guardian={family.link.pk}" in page and f"guardian={father_link.pk}" in page

    chosen = client.get(form_url, {"purpose": "processing", "guardian": family.link.pk})
    text = " ".join(docx_text(chosen.content).split())
    assert "Петрова Анна Сергеевна" in text and "Петров Андрей" not in text
