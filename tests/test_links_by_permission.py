"""A page shows only the links its reader may follow: for every role of the demo, every link on
every page the role reaches opens (no 403, no 404).

Links to the same view differ only in the row they name, and a row's access is checked by the
same code for each, so at most LINKS_PER_VIEW addresses of one view are followed per role.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from nastavnik.demo.tests.factories import demo_for_the_module
from tests.demo_walk import ROLES, links_in, logged_in, route_of, walk

LINKS_PER_VIEW = 3
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


demo = demo_for_the_module("demo")


@pytest.mark.parametrize("key", ROLES)
def test_every_link_a_role_is_shown_opens(demo, key):
    client = logged_in(key)
    followed: dict[str, int] = {}
    status: dict[str, int] = {}
    broken = []
    for page in walk(client):
        status[page.url] = page.status
        if not page.is_page:
            continue
        for link in links_in(page.document()):
            route = route_of(urlsplit(link).path)
            if route is None or link in status:
                if status.get(link) in {403, 404}:
                    broken.append(f"{page.url} → {link}: {status[link]}")
                continue
            if followed.get(route, 0) >= LINKS_PER_VIEW:
                continue
            followed[route] = followed.get(route, 0) + 1
            response = client.get(link)
            response.close()
            status[link] = response.status_code
            if response.status_code in {403, 404}:
                broken.append(f"{page.url} → {link}: {response.status_code}")
    assert not broken, "\n".join(sorted(set(broken)))
