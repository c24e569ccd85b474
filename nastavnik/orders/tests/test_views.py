"""The register of orders through the browser: who sees and signs, edits of drafts, downloads."""

from datetime import date
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nastavnik.core.tests.pages import school_a_url
from nastavnik.core.uploads import UPLOAD_MESSAGES
from nastavnik.orders.kinds import OrderKind
from nastavnik.orders.models import Order, OrderStatus
from nastavnik.orders.services import ORDER_MESSAGES
from nastavnik.orders.tests.test_services import make_order
from nastavnik.orders.views import PDF_UNAVAILABLE
from nastavnik.orgs.models import Role
from nastavnik.programmes.models import Programme
from nastavnik.programmes.tests import data

pytestmark = pytest.mark.django_db


url = school_a_url("orders")


@pytest.fixture
def draft(tenant_a):
    programme = data.programme(tenant_a.organisation)
    return data.services.programme_approval_order_create(
        programme,
        number="45-о",
        date=date(2025, 9, 2),
        signatory=data.director(tenant_a.organisation),
        by=None,
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.DIRECTOR, 200),
        (Role.CURATOR, 200),
        (Role.SPECIALIST, 403),
        (Role.MENTOR, 403),
        (Role.COMMISSION_MEMBER, 403),
        (Role.MENTEE, 403),
        (Role.GUARDIAN, 403),
    ],
)
def test_the_register_is_for_the_director_and_the_curator(client, tenant_a, draft, role, status):
    client.force_login(tenant_a.user(role))
    assert client.get(url("list")).status_code == status
    assert client.get(url("detail", order_pk=draft.pk)).status_code == status
    assert client.get(url("document", order_pk=draft.pk)).status_code == status


def test_only_the_director_is_offered_signing(client, tenant_a, draft):
    client.force_login(tenant_a.user(Role.CURATOR))
    assert client.get(url("detail", order_pk=draft.pk)).context["sign_form"] is None
    assert client.get(url("sign", order_pk=draft.pk)).status_code == 403

    client.force_login(tenant_a.user(Role.DIRECTOR))
    assert client.get(url("detail", order_pk=draft.pk)).context["sign_form"] is not None


@pytest.mark.parametrize(
    ("content", "key"), [(b"MZ\x90\x00 program", "type"), (b"\x00\x00\x00 ftypheic", "type")]
)
def test_signing_with_something_that_is_not_a_scan_shows_why(client, tenant_a, draft, content, key):
    client.force_login(tenant_a.user(Role.DIRECTOR))

    response = client.post(
        url("sign", order_pk=draft.pk), {"scan": SimpleUploadedFile("скан.pdf", content)}
    )

    assert response.status_code == 200
    assert [str(e) for e in response.context["form"].errors["scan"]] == [str(UPLOAD_MESSAGES[key])]
    draft.refresh_from_db()
    assert draft.status == OrderStatus.DRAFT
    assert not draft.scan


def test_signing_without_a_file_shows_why(client, tenant_a, draft):
    client.force_login(tenant_a.user(Role.DIRECTOR))
    response = client.post(url("sign", order_pk=draft.pk), {})
    assert [str(e) for e in response.context["form"].errors["scan"]] == [
        str(ORDER_MESSAGES["scan_required"])
    ]


def test_signed_order_offers_its_scan_and_refuses_edits(client, tenant_a, draft):
    client.force_login(tenant_a.user(Role.DIRECTOR))
    client.post(url("sign", order_pk=draft.pk), {"scan": SimpleUploadedFile("x.png", data.PNG)})

    scan = client.get(url("scan", order_pk=draft.pk))
    assert scan["Content-Type"] == "image/png"
    assert unquote(scan["Content-Disposition"]).endswith("Приказ № 45-о от 02.09.2025 (скан).png")
    response = client.post(
        url("edit", order_pk=draft.pk),
        {"number": "99", "date": "2025-09-02", "title": "Т", "signatory": draft.signatory_id},
    )
    assert response.status_code == 302
    client.post(url("delete", order_pk=draft.pk))
    draft.refresh_from_db()
    assert (draft.number, draft.status) == ("45-о", OrderStatus.SIGNED)


def test_editing_a_draft_to_a_number_already_used_shows_why(client, tenant_a, draft):
    make_order(Programme.objects.get(), draft.signatory, "46-о", date(2025, 9, 3))
    client.force_login(tenant_a.user(Role.CURATOR))

    response = client.post(
        url("edit", order_pk=draft.pk),
        {
            "number": "46-О",
            "date": "2025-12-30",
            "title": draft.title,
            "signatory": draft.signatory_id,
        },
    )

    assert [str(e) for e in response.context["form"].errors["number"]] == [
        str(ORDER_MESSAGES["number_taken"]) % {"number": "46-О", "year": 2025}
    ]
    draft.refresh_from_db()
    assert draft.number == "45-о"


def test_a_draft_is_deleted_by_the_curator(client, tenant_a, draft):
    client.force_login(tenant_a.user(Role.CURATOR))
    response = client.post(url("delete", order_pk=draft.pk))
    assert response["Location"] == url("list")
    assert not Order.objects.exists()


def test_document_downloads_as_docx_named_after_the_order(client, tenant_a, draft):
    client.force_login(tenant_a.user(Role.CURATOR))
    response = client.get(url("document", order_pk=draft.pk))
    assert "wordprocessingml" in response["Content-Type"]
    assert unquote(response["Content-Disposition"]).endswith("Приказ № 45-о от 02.09.2025.docx")


def test_pdf_without_libreoffice_explains_and_goes_back(client, tenant_a, draft, settings):
    settings.SOFFICE_PATH = "/nowhere/soffice"
    client.force_login(tenant_a.user(Role.CURATOR))

    response = client.get(url("pdf", order_pk=draft.pk), follow=True)

    assert response.redirect_chain[-1][0] == url("detail", order_pk=draft.pk)
    assert [str(m) for m in response.context["messages"]] == [str(PDF_UNAVAILABLE)]


def test_register_filters_by_year_kind_and_status(client, tenant_a, draft):
    signed = make_order(Programme.objects.get(), draft.signatory, "3", date(2026, 1, 12))
    client.force_login(tenant_a.user(Role.CURATOR))

    def shown(**query):
        return list(client.get(url("list"), query).context["orders"])

    assert shown() == [signed, draft]
    assert shown(year="2025") == [draft]
    assert shown(kind=OrderKind.CURATOR_APPOINTMENT) == [signed]
    assert shown(status="signed") == []
    assert client.get(url("list")).context["years"] == [2026, 2025]


@pytest.mark.parametrize("rows", [1, 3])
def test_register_queries_do_not_grow(client, tenant_a, django_assert_num_queries, rows):
    programme = data.programme(tenant_a.organisation)
    director = data.director(tenant_a.organisation)
    for number in range(rows):
        make_order(programme, director, str(number + 1), date(2025, 9, 1 + number))
    client.force_login(tenant_a.user(Role.CURATOR))
    with django_assert_num_queries(7):
        response = client.get(url("list"))
    assert len(response.context["orders"]) == rows
