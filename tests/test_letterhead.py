"""The organisation's own letterhead blank: the director uploads a DOCX on the organisation's
page and every order printed afterwards starts with it; anything that is not a plain DOCX
(not an archive, macros, too large, a zip bomb) is refused in Russian and nothing is stored."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from docx import Document

from nastavnik.documents.render import docx_text
from nastavnik.orders.documents import render_order
from nastavnik.orders.models import Order
from nastavnik.orgs.models import Organisation, Role
from nastavnik.programmes.tests import data

pytestmark = pytest.mark.django_db

BLANK_TEXT = "МУНИЦИПАЛЬНОЕ АВТОНОМНОЕ ОБЩЕОБРАЗОВАТЕЛЬНОЕ УЧРЕЖДЕНИЕ — БЛАНК ШКОЛЫ"


def blank_docx() -> bytes:
    document = Document()
    document.add_paragraph(BLANK_TEXT)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def url(name="orgs:letterhead"):
    return reverse(name, kwargs={"org_slug": "school-a"})


def upload(client, content: bytes, name="бланк.docx"):
    return client.post(url(), {"blank": SimpleUploadedFile(name, content)})


def test_an_uploaded_blank_heads_the_orders_printed_afterwards(
    client, tenant_a, django_capture_on_commit_callbacks
):
    client.force_login(tenant_a.user(Role.DIRECTOR))

    response = upload(client, blank_docx())

    assert response.status_code == 302
    organisation = Organisation.objects.get(slug="school-a")
    assert organisation.letterhead.name.startswith(f"letterheads/{organisation.pk}/")
    order = data.approved_programme(organisation).approval_order
    lines = docx_text(render_order(order)).splitlines()
    # The blank first, then the order itself.
    assert lines.index(BLANK_TEXT) < lines.index("ПРИКАЗ")
    page = client.get(url("orgs:settings"))
    assert "Бланк загружен" in page.content.decode()

    stored = organisation.letterhead.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(), {"remove": "1"})

    assert response.status_code == 302
    assert not Organisation.objects.get(slug="school-a").letterhead
    assert BLANK_TEXT not in docx_text(render_order(Order.objects.get(pk=order.pk)))
    assert not default_storage.exists(stored)


def zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def with_part(name: str, content: bytes) -> bytes:
    """The good blank with one part added or replaced."""
    with zipfile.ZipFile(io.BytesIO(blank_docx())) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[name] = content
    return zip_of(parts)


def macro_content_types() -> bytes:
    with zipfile.ZipFile(io.BytesIO(blank_docx())) as archive:
        types = archive.read("[Content_Types].xml")
    return types.replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("бланк.docx", b"", "пуст"),
        ("бланк.docx", b"%PDF-1.7 not a docx", "Бланк должен быть документом Word (.docx)"),
        ("бланк.docx", zip_of({"a.txt": b"hello"}), "Бланк должен быть документом Word (.docx)"),
        ("бланк.docm", blank_docx(), "Бланк содержит макросы"),
        ("бланк.docx", with_part("word/vbaProject.bin", b"VBA"), "Бланк содержит макросы"),
        (
            "бланк.docx",
            with_part("[Content_Types].xml", macro_content_types()),
            "Бланк содержит макросы",
        ),
        # 20 MB of one letter pack into a few kilobytes: a zip bomb in miniature.
        ("бланк.docx", with_part("word/media/big.bin", b"a" * 20_000_000), "слишком много данных"),
        (
            "бланк.docx",
            with_part("word/document.xml", b"<not xml"),
            "Бланк должен быть документом Word (.docx)",
        ),
    ],
    ids=[
        "empty",
        "not-a-zip",
        "zip-without-document",
        "docm",
        "vba-project",
        "macro-type",
        "zip-bomb",
        "broken-xml",
    ],
)
def test_a_bad_blank_is_refused_and_nothing_is_stored(client, tenant_a, name, content, message):
    client.force_login(tenant_a.user(Role.DIRECTOR))

    response = upload(client, content, name)

    assert response.status_code == 400
    assert message in " ".join(response.context["letterhead_form"].errors["blank"])
    assert not Organisation.objects.get(slug="school-a").letterhead


@override_settings(LETTERHEAD_MAX_BYTES=4096)
def test_an_oversized_blank_is_refused(client, tenant_a):
    client.force_login(tenant_a.user(Role.DIRECTOR))

    response = upload(client, blank_docx())

    assert response.status_code == 400
    assert "принимаются бланки до 4,0" in " ".join(
        response.context["letterhead_form"].errors["blank"]
    )
    assert not Organisation.objects.get(slug="school-a").letterhead


def test_only_those_who_edit_the_organisation_upload_its_blank(client, tenant_a):
    client.force_login(tenant_a.user(Role.CURATOR))

    response = upload(client, blank_docx())

    assert response.status_code == 403
    assert not Organisation.objects.get(slug="school-a").letterhead
