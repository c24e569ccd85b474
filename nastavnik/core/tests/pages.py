"""Helpers the page tests of many apps share: the address of an app's page at the tenant
«school-a» (conftest's tenant A), logging one of the tenant's roles in, and a service's message
as the page shows it; the roles' cases of a test of who may read and who may edit."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

import pytest
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
