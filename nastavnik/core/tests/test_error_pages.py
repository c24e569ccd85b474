"""Russian error pages in the site's style, as production (DEBUG off) serves them."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path

from nastavnik.core.access import public_view


@public_view
def bad_request(request):
    raise SuspiciousOperation("forged")


@public_view
def forbidden(request):
    raise PermissionDenied


@public_view
def broken(request):
    raise RuntimeError("the view broke")


@public_view
def broken_database(request):
    from nastavnik.orgs.models import Organisation

    # No database in these tests (pytest-django refuses every query), as in an outage.
    Organisation.objects.exists()
    return None


urlpatterns = [
    path("bad/", bad_request),
    path("forbidden/", forbidden),
    path("broken/", broken),
    path("broken-database/", broken_database),
]


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("address", "status", "heading"),
    [
        ("/bad/", 400, "Неверный запрос"),
        ("/forbidden/", 403, "Доступ запрещён"),
        ("/no-such-page/", 404, "Страница не найдена"),
        ("/broken/", 500, "На сервере что-то пошло не так"),
    ],
)
def test_each_error_page_is_in_russian_and_in_the_site_style(production, address, status, heading):
    response = production.get(address)

    assert response.status_code == status
    content = response.content.decode()
    assert f"<h1>{heading}</h1>" in content
    assert '<html lang="ru">' in content
    assert "/static/nastavnik/app.css" in content
    assert f'<p class="error-code muted">{status}</p>' in content
    # No Django default, no English.
    assert "Not Found" not in content and "Server Error" not in content


def test_the_500_page_renders_without_the_database(production):
    response = production.get("/broken-database/")

    assert response.status_code == 500
    assert "На сервере что-то пошло не так" in response.content.decode()


@pytest.mark.django_db
def test_a_failed_csrf_check_shows_the_russian_page(settings):
    """A form posted without its token (an expired page, a forged post) is refused with the
    site's Russian 403 page, not Django's English «403 Forbidden»."""
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)

    response = client.post("/accounts/login/", {"username": "a@b.ru", "password": "x"})

    assert response.status_code == 403
    content = response.content.decode()
    assert '<html lang="ru">' in content and "/static/nastavnik/app.css" in content
    assert "Forbidden" not in content and "CSRF verification failed" not in content
