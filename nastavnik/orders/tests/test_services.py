"""The register of orders through its services: numbering, drafts, signing with a scan."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat

from nastavnik.core.uploads import UPLOAD_MESSAGES
from nastavnik.documents.render import docx_text
from nastavnik.orders import services
from nastavnik.orders.documents import place_of
from nastavnik.orders.kinds import OrderKind
from nastavnik.orders.models import Order, OrderStatus, OrderSubject
from nastavnik.orders.services import ORDER_MESSAGES
from nastavnik.orgs.tests.factories import OrganisationFactory
from nastavnik.people.tests.factories import StaffFactory
from nastavnik.programmes.models import ProgrammeStatus
from nastavnik.programmes.tests import data

pytestmark = pytest.mark.django_db


def messages_of(error, field):
    return [str(message) for message in error.value.message_dict[field]]


def scan(content=data.PDF, name="scan.pdf"):
    return ContentFile(content, name=name)


@pytest.fixture
def programme(org):
    return data.programme(org)


@pytest.fixture
def director(org):
    return data.director(org)


def make_order(programme, director, number="12-о", day=date(2025, 9, 2)):
    return services.order_create(
        programme.organisation,
        OrderKind.CURATOR_APPOINTMENT,
        number=number,
        date=day,
        signatory=director,
        title="О назначении куратора программы наставничества",
        subjects=[programme],
        by=None,
    )


# --- Creating ---------------------------------------------------------------------------------


def test_a_new_order_is_a_draft_with_its_document_and_subjects(programme, director):
    order = make_order(programme, director)

    assert order.status == OrderStatus.DRAFT
    assert order.year == 2025
    assert order.signatory_position == "Директор"
    assert [s.target for s in order.subjects.all()] == [programme]
    assert OrderSubject.objects.get(order=order).label == str(programme)
    with default_storage.open(order.document.name) as stored:
        text = docx_text(stored.read())
    assert "№ 12-о" in text
    assert "Назначить куратором программы наставничества на 2025/2026 учебный год" in text


@pytest.mark.parametrize("taken", ["12-о", "12-О", " 12-о ", "12-O".replace("O", "О")])
def test_an_order_number_already_used_in_the_year_is_refused(programme, director, taken):
    make_order(programme, director, number="12-о")
    before = Order.objects.count()

    with pytest.raises(ValidationError) as error:
        make_order(programme, director, number=taken, day=date(2025, 12, 1))

    assert messages_of(error, "number") == [
        str(ORDER_MESSAGES["number_taken"]) % {"number": taken.strip(), "year": 2025}
    ]
    assert Order.objects.count() == before


def test_the_same_number_is_free_in_another_year_and_in_another_organisation(
    programme, director, tenant_b
):
    make_order(programme, director, number="1")
    next_year = make_order(programme, director, number="1", day=date(2026, 1, 10))
    other = data.programme(tenant_b.organisation)
    elsewhere = make_order(other, data.director(tenant_b.organisation), number="1")

    assert next_year.year == 2026
    assert elsewhere.organisation == tenant_b.organisation


@pytest.mark.parametrize("number", ["", "   ", "№", "-о", "x" * 31 + "1", "12<script>"])
def test_a_malformed_number_is_refused(programme, director, number):
    with pytest.raises(ValidationError) as error:
        make_order(programme, director, number=number)

    expected = "number_required" if not number.strip() else "number_format"
    assert messages_of(error, "number") == [str(ORDER_MESSAGES[expected])]
    assert not Order.objects.exists()


def test_the_signatory_must_be_staff_of_the_organisation(programme, tenant_b):
    stranger = StaffFactory(organisation=tenant_b.organisation, position="Директор")

    with pytest.raises(ValidationError) as error:
        make_order(programme, stranger)

    assert messages_of(error, "signatory") == [str(ORDER_MESSAGES["signatory"])]
    assert not Order.objects.exists()


def test_a_subject_of_another_organisation_is_a_programming_error(programme, director, tenant_b):
    other = data.programme(tenant_b.organisation)
    with pytest.raises(ValueError, match="does not belong"):
        services.order_create(
            programme.organisation,
            OrderKind.CURATOR_APPOINTMENT,
            number="1",
            date=date(2025, 9, 1),
            signatory=director,
            title="Т",
            subjects=[other],
            by=None,
        )
    assert not Order.objects.exists()


def test_a_kind_without_a_template_is_a_programming_error(programme, director):
    with pytest.raises(LookupError):
        services.order_create(
            programme.organisation,
            "no_such_kind",
            number="1",
            date=date(2025, 9, 1),
            signatory=director,
            title="О награждении",
            by=None,
        )
    assert not Order.objects.exists()


def test_next_number_follows_the_highest_of_the_year_with_its_suffix(programme, director):
    org = programme.organisation
    assert services.order_next_number(org, 2025) == "1"
    make_order(programme, director, number="9-о")
    make_order(programme, director, number="45-о", day=date(2025, 10, 1))
    make_order(programme, director, number="7", day=date(2025, 11, 1))

    assert services.order_next_number(org, 2025) == "46-о"
    assert services.order_next_number(org, 2026) == "1"


def test_default_signatory_is_the_director(org, tenant_a):
    assert services.default_signatory(org) is None
    by_position = data.director(org)
    assert services.default_signatory(org) == by_position
    with_account = StaffFactory(
        organisation=org, position="Директор", user=tenant_a.user("director")
    )
    assert services.default_signatory(org) == with_account


# --- Drafts -----------------------------------------------------------------------------------


def test_updating_a_draft_makes_the_document_again(
    programme, director, django_capture_on_commit_callbacks
):
    order = make_order(programme, director)
    first = order.document.name

    with django_capture_on_commit_callbacks(execute=True):
        services.order_update(
            order,
            number="13-о",
            date=date(2025, 9, 5),
            signatory=director,
            signatory_position="И. о. директора",
            title="О назначении куратора",
            by=None,
        )

    order.refresh_from_db()
    assert order.number == "13-о"
    assert order.document.name != first
    assert not default_storage.exists(first)
    with default_storage.open(order.document.name) as stored:
        text = docx_text(stored.read())
    assert "И. о. директора" in text
    assert "«05» сентября 2025 г." in text


def test_update_to_a_taken_number_changes_nothing(programme, director):
    make_order(programme, director, number="1")
    order = make_order(programme, director, number="2")

    with pytest.raises(ValidationError) as error:
        services.order_update(
            order,
            number="1",
            date=order.date,
            signatory=director,
            title=order.title,
            by=None,
        )

    assert "number" in error.value.message_dict
    order.refresh_from_db()
    assert order.number == "2"


def test_a_signed_order_cannot_be_changed_regenerated_or_deleted(programme, director):
    order = make_order(programme, director)
    services.order_sign(order, scan(), by=None)
    document = order.document.name

    for attempt in (
        lambda: services.order_update(
            order, number="99", date=order.date, signatory=director, title="Т", by=None
        ),
        lambda: services.order_regenerate(order, by=None),
        lambda: services.order_delete(order, by=None),
    ):
        with pytest.raises(ValidationError) as error:
            attempt()
        assert error.value.messages == [str(ORDER_MESSAGES["signed"])]

    order.refresh_from_db()
    assert (order.number, order.document.name, order.status) == ("12-о", document, "signed")


def test_deleting_a_draft_removes_its_document(
    programme, director, django_capture_on_commit_callbacks
):
    order = make_order(programme, director)
    document = order.document.name

    with django_capture_on_commit_callbacks(execute=True):
        services.order_delete(order, by=None)

    assert not Order.objects.exists()
    assert not default_storage.exists(document)


# --- Signing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "extension"),
    [(data.PDF, "pdf"), (data.PNG, "png"), (data.JPEG, "jpg")],
)
def test_signing_stores_the_scan_by_what_it_is(programme, director, content, extension):
    order = make_order(programme, director)

    # The name claims a JPEG whatever the content: the content decides.
    services.order_sign(order, scan(content, name="скан.jpg"), by=None)

    order.refresh_from_db()
    assert order.status == OrderStatus.SIGNED
    assert order.signed_at is not None
    assert order.scan.name.endswith(f".{extension}")
    assert "скан" not in order.scan.name


@pytest.mark.parametrize(
    ("content", "name", "key"),
    [
        (b"MZ\x90\x00 an executable", "scan.pdf", "type"),
        (b"PK\x03\x04 a docx is not a scan", "scan.pdf", "type"),
        (b"<html>%PDF-</html>", "scan.pdf", "type"),
        (b"", "scan.pdf", "empty"),
    ],
)
def test_signing_refuses_what_is_not_a_scan(programme, director, content, name, key):
    order = make_order(programme, director)

    with pytest.raises(ValidationError) as error:
        services.order_sign(order, scan(content, name), by=None)

    assert messages_of(error, "scan") == [str(UPLOAD_MESSAGES[key])]
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT
    assert not order.scan


def test_signing_refuses_a_scan_over_the_limit(programme, director, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    order = make_order(programme, director)

    big = data.PDF + b"0" * 2000

    with pytest.raises(ValidationError) as error:
        services.order_sign(order, scan(big), by=None)

    assert messages_of(error, "scan") == [
        str(UPLOAD_MESSAGES["size"])
        % {"size": filesizeformat(len(big)), "limit": filesizeformat(1024)}
    ]
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT


def test_signing_without_a_scan_is_refused(programme, director):
    order = make_order(programme, director)
    with pytest.raises(ValidationError) as error:
        services.order_sign(order, None, by=None)
    assert messages_of(error, "scan") == [str(ORDER_MESSAGES["scan_required"])]


def test_signing_twice_is_refused(programme, director):
    order = make_order(programme, director)
    services.order_sign(order, scan(), by=None)
    with pytest.raises(ValidationError):
        services.order_sign(order, scan(), by=None)


def test_signing_the_approving_order_approves_the_programme(programme, director):
    order = data.services.programme_approval_order_create(
        programme, number="1", date=date(2025, 9, 1), signatory=director, by=None
    )
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.DRAFT

    services.order_sign(order, scan(), by=None)

    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.APPROVED
    assert programme.approval_order == order
    assert programme.approved_on == date(2025, 9, 1)
    step = programme.events.get(template_code="approve_programme")
    assert (step.done_on, step.done_note) == (date(2025, 9, 1), "Приказ от 01.09.2025 № 1")


# --- Place of issue ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "place"),
    [
        ("623100, Свердловская область, г. Первоуральск, ул. Школьная, д. 5", "г. Первоуральск"),
        ("623140, Свердловская обл., пос. Билимбай, ул. Красноармейская, д. 2", "пос. Билимбай"),
        ("г.Казань, ул. Баумана, 1", "г.Казань"),
        ("ул. Ленина, д. 1", ""),
        ("", ""),
    ],
)
def test_place_of_issue_is_read_from_the_address(address, place):
    assert place_of(OrganisationFactory.build(address=address)) == place
