"""Upload limits hold while the body arrives: a file over its limit is never read in full, the
form says how large it is and what is accepted, and nothing is saved.

The body is streamed from a generator that counts what the server reads, so «stopped early»
is measured, not assumed.
"""

from __future__ import annotations

import importlib
import inspect
import re
import select
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django import forms
from django.apps import apps
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import escape

from nastavnik.core.forms import UploadField
from nastavnik.core.uploads import REQUEST_ALLOWANCE, UPLOAD_MESSAGES
from nastavnik.mentors import services as mentor_services
from nastavnik.mentors.models import MentorDocument, PortfolioItem
from nastavnik.mentors.tests import data as mentor_data
from nastavnik.orgs.models import Role
from nastavnik.people.models import ImportJob
from nastavnik.people.transfer.tables import TABLE_MESSAGES

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
BOUNDARY = "----nastavnik-test-boundary"
PDF_HEAD = b"%PDF-1.4\n"


class CountingBody:
    """A request body made on demand: form fields, one file of `file_size` bytes, the end.

    `consumed` is how many bytes the server has read; nothing past it was ever made.
    """

    def __init__(self, fields: dict[str, str], file_field: str, file_name: str, file_size: int):
        head = "".join(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        )
        head += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{file_name}"\r\nContent-Type: application/pdf\r\n\r\n'
        )
        self.head = head.encode()
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.file_size = file_size
        self.length = len(self.head) + file_size + len(self.tail)
        self.consumed = 0
        self._chunks = self._generate()
        self._pending = b""

    def _generate(self) -> Iterator[bytes]:
        yield self.head
        yield PDF_HEAD
        left = self.file_size - len(PDF_HEAD)
        block = b"0" * (256 * 1024)
        while left > 0:
            yield block[: min(left, len(block))]
            left -= len(block)
        yield self.tail

    def read(self, size: int = -1) -> bytes:
        out = bytearray(self._pending)
        while size < 0 or len(out) < size:
            chunk = next(self._chunks, b"")
            if not chunk:
                break
            out += chunk
        if size >= 0:
            out, rest = out[:size], out[size:]
            self._pending = bytes(rest)
        else:
            self._pending = b""
        self.consumed += len(out)
        return bytes(out)

    def readline(self, size: int = -1) -> bytes:  # pragma: no cover - the parser reads blocks
        return self.read(size)


def stream_post(client, url: str, body: CountingBody):
    # The client sets a content type only with data of its own: the body is given as the
    # WSGI input, so the headers are given as they would arrive.
    return client.generic(
        "POST",
        url,
        **{
            "wsgi.input": body,
            "CONTENT_LENGTH": str(body.length),
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        },
    )


def stored_files(path: str = "") -> set[str]:
    folders, files = default_storage.listdir(path)
    found = {f"{path}/{name}" for name in files}
    for folder in folders:
        found |= stored_files(f"{path}/{folder}".lstrip("/"))
    return found


def file_errors(response, field: str) -> list:
    errors = response.context["form"].errors.as_data()
    assert field in errors, errors
    return errors[field]


@pytest.fixture
def curator(client, tenant_a):
    client.force_login(tenant_a.user(Role.CURATOR))
    return client


@pytest.fixture
def mentor(tenant_a):
    programme = mentor_data.programme(tenant_a.organisation)
    return mentor_services.mentor_add(
        programme, mentor_data.external(tenant_a.organisation), by=None
    )


def portfolio_url(mentor) -> str:
    return reverse("mentors:portfolio", kwargs={"org_slug": "school-a", "mentor_pk": mentor.pk})


def test_a_200_mb_portfolio_file_is_refused_before_its_first_megabyte_is_read(curator, mentor):
    body = CountingBody(
        {"action": "save", "kind": "case", "title": "Кейс"}, "file", "скан.pdf", 200 * MB
    )

    response = stream_post(curator, portfolio_url(mentor), body)

    assert response.status_code == 200
    assert body.consumed < MB, f"read {body.consumed} bytes of {body.length}"
    [error] = file_errors(response, "file")
    assert error.code == "too_large"
    assert error.message == UPLOAD_MESSAGES["size"]
    assert error.params == {"size": filesizeformat(body.length), "limit": filesizeformat(10 * MB)}
    assert escape(str(error.message) % error.params) in response.content.decode()
    assert not PortfolioItem.objects.exists()


def test_a_file_a_megabyte_over_the_scan_limit_is_stopped_and_nothing_is_stored(
    curator, mentor, settings
):
    settings.UPLOAD_MAX_BYTES = 2 * MB
    before = mentor_data.snapshot()
    files_before = stored_files()
    body = CountingBody(
        {"kind": "medical", "number": "7712345", "issued_on": "2026-09-01"},
        "scan",
        "книжка.pdf",
        3 * MB,
    )
    url = reverse("mentors:document_add", kwargs={"org_slug": "school-a", "mentor_pk": mentor.pk})

    response = stream_post(curator, url, body)

    assert body.consumed < 2 * MB
    [error] = file_errors(response, "scan")
    assert error.params["limit"] == filesizeformat(2 * MB)
    # The fields before the file arrived and are shown again as typed.
    assert response.context["form"]["number"].value() == "7712345"
    assert mentor_data.snapshot() == before
    assert not MentorDocument.objects.exists()
    assert stored_files() == files_before


def test_a_file_just_over_the_limit_keeps_the_fields_after_it_and_stores_nothing(
    curator, mentor, settings
):
    # Within the allowance the rest of the body is read (and the file's bytes thrown away), so
    # a field the browser sends after the file still arrives.
    settings.UPLOAD_MAX_BYTES = MB
    body = CountingBody({"action": "save", "kind": "case"}, "file", "скан.pdf", MB + 1000)
    body.tail = f'\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nКейс\r\n--{BOUNDARY}--\r\n'.encode()
    body.length = len(body.head) + body.file_size + len(body.tail)

    response = stream_post(curator, portfolio_url(mentor), body)

    assert body.consumed == body.length
    [error] = file_errors(response, "file")
    assert error.params == {"size": filesizeformat(MB + 1000), "limit": filesizeformat(MB)}
    assert response.context["form"]["title"].value() == "Кейс"
    assert not PortfolioItem.objects.exists()


def test_a_file_within_the_limit_is_saved_whole(curator, mentor, settings):
    settings.UPLOAD_MAX_BYTES = MB
    body = CountingBody({"action": "save", "kind": "case", "title": "Кейс"}, "file", "a.pdf", MB)

    response = stream_post(curator, portfolio_url(mentor), body)

    assert response.status_code == 302
    item = PortfolioItem.objects.get()
    assert item.file.size == MB


def test_the_import_has_its_own_larger_limit_and_its_own_words(curator, settings):
    settings.UPLOAD_MAX_BYTES = MB
    settings.PEOPLE_IMPORT_MAX_BYTES = 2 * MB
    url = reverse("people:import", kwargs={"org_slug": "school-a"})
    fits = CountingBody({"kind": "student"}, "file", "список.csv", int(1.5 * MB))
    too_big = CountingBody({"kind": "student"}, "file", "список.csv", 3 * MB)

    accepted = stream_post(curator, url, fits)
    refused = stream_post(curator, url, too_big)

    # A file larger than a scan reaches the import's reader (which finds it is no list).
    assert "too_large" not in [e.code for e in file_errors(accepted, "file")]
    assert too_big.consumed < MB
    [error] = file_errors(refused, "file")
    assert error.message == TABLE_MESSAGES["too_large"]
    assert error.params["limit"] == filesizeformat(2 * MB)
    assert not ImportJob.objects.exists()


def test_a_long_body_without_files_is_refused_before_it_is_read(curator, mentor):
    body = CountingBody({}, "file", "x", 0)
    response = curator.generic(
        "POST",
        portfolio_url(mentor),
        **{
            "wsgi.input": body,
            "CONTENT_LENGTH": str(200 * MB),
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
        },
    )

    assert response.status_code == 400
    assert body.consumed == 0
    assert not PortfolioItem.objects.exists()


def test_a_multipart_body_to_a_page_without_uploads_is_held_to_the_scan_limit(curator):
    body = CountingBody({"q": "x"}, "file", "x.pdf", 200 * MB)

    response = stream_post(curator, reverse("people:list", kwargs={"org_slug": "school-a"}), body)

    assert response.status_code < 500
    assert body.consumed < REQUEST_ALLOWANCE + MB


def _form_classes() -> Iterator[type[forms.BaseForm]]:
    for app in apps.get_app_configs():
        if not app.name.startswith("nastavnik."):
            continue
        for module_name in (f"{app.name}.forms", f"{app.name}.transfer.forms"):
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as error:
                if not module_name.startswith(str(error.name)):
                    raise
                continue
            for _name, value in inspect.getmembers(module, inspect.isclass):
                if issubclass(value, forms.BaseForm) and value.__module__ == module_name:
                    yield value


def test_every_upload_form_uses_the_upload_field():
    file_fields = {
        f"{form.__module__}.{form.__name__}.{name}": field
        for form in _form_classes()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.FileField)
    }

    assert len(file_fields) >= 8
    assert [name for name, f in file_fields.items() if not isinstance(f, UploadField)] == []


@pytest.mark.django_db(transaction=True)
def test_a_real_server_answers_a_200_mb_upload_before_it_is_sent(live_server, client, tenant_a):
    # Through a socket, as a browser sends it: the page with the message comes back while the
    # client is still sending, after the first few hundred kilobytes of 200 MB.
    mentor = mentor_services.mentor_add(
        mentor_data.programme(tenant_a.organisation),
        mentor_data.external(tenant_a.organisation),
        by=None,
    )
    client.force_login(tenant_a.user(Role.CURATOR))
    path = portfolio_url(mentor)
    page = client.get(path)
    cookies = f"sessionid={client.cookies['sessionid'].value}; csrftoken={client.cookies['csrftoken'].value}"
    body = CountingBody(
        {"csrfmiddlewaretoken": str(page.context["csrf_token"]), "action": "save", "kind": "case"},
        "file",
        "скан.pdf",
        200 * MB,
    )
    host, port = urlsplit(live_server.url).hostname, urlsplit(live_server.url).port
    sent = 0
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nCookie: {cookies}\r\n"
                f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
                f"Content-Length: {body.length}\r\n\r\n"
            ).encode()
        )
        while sent < body.length:
            if select.select([sock], [], [], 0)[0]:
                break  # the answer is there
            chunk = body.read(64 * 1024)
            sock.sendall(chunk)
            sent += len(chunk)
        answer = _read_response(sock)

    head, _, content = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head
    assert sent < 8 * MB, f"sent {sent} bytes before the answer"
    message = str(UPLOAD_MESSAGES["size"]) % {
        "size": filesizeformat(body.length),
        "limit": filesizeformat(10 * MB),
    }
    assert escape(message) in content.decode()
    assert not PortfolioItem.objects.exists()


def _read_response(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, rest = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"Content-Length: (\d+)", head, re.IGNORECASE).group(1))
    while len(rest) < length:
        more = sock.recv(65536)
        if not more:
            break
        rest += more
    return head + b"\r\n\r\n" + rest
