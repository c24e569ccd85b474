"""Helpers the page tests of many apps share: the address of an app's page at the tenant
«school-a» (conftest's tenant A), logging one of the tenant's roles in, switching the interface
to English, a service's message as the page shows it and the messages a response carries; the
roles' cases of a test of who may read and who may edit."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from nastavnik.orgs.models import Role


def school_a_url(namespace: str) -> Callable[..., str]:
    """`url(name, **kwargs)`: the address of the app's page `namespace:name` at «school-a»."""

    def url(name: str, **kwargs: Any) -> str:
        return reverse(f"{namespace}:{name}", kwargs={"org_slug": "school-a", **kwargs})

    return url


def login(client: Any, tenant: Any, role: str) -> Any:
    client.force_login(tenant.user(role))
    return client


def in_english(client: Any) -> Any:
    """The reader switches the interface as a reader does: the language selector's form."""
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def messages_after(response: Any) -> list[str]:
    """The messages the request left for the page it sends the reader to, as text."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def messages_on(response: Any) -> list[str]:
    """The messages a rendered page shows, as text (none where no page was rendered)."""
    return [str(m) for m in response.context["messages"]] if response.context else []


def message_text(messages: Mapping[str, Any]) -> Callable[..., str]:
    """`msg(key, **params)`: the service's message under `key`, filled in with `params`."""

    def msg(key: str, **params: Any) -> str:
        return str(messages[key]) % params if params else str(messages[key])

    return msg


def who_reads_and_who_edits(
    *, editors: Collection[str], readers: Collection[str] = ()
) -> pytest.MarkDecorator:
    """Parametrizes a test with (role, view_status, edit_status), one case for each role of an
    organisation: 200 for those who may, 403 for the others. Editors read too."""
    return pytest.mark.parametrize(
        ("role", "view_status", "edit_status"),
        [
            (
                role,
                200 if role in editors or role in readers else 403,
                200 if role in editors else 403,
            )
            for role in Role
        ],
    )
