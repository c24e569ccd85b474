"""The pages of the demo each role reaches as a reader would: the navigation, then one or two
rows of every list it opens.

Shared by the walks that check what every page shows (links the reader may follow, English
texts) and by the browser walk (axe, a 390 px screen). The walk goes through the test client,
so it is quick; the browser then visits the same addresses.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.test import Client
from django.urls import Resolver404, resolve
from lxml import html

from nastavnik.demo.seed import LOGINS

#: The demo's accounts walked, by their key in `nastavnik.demo.seed.LOGINS`. The site admin's
#: pages are Django's admin, not ours.
ROLES = (
    "director",
    "curator",
    "specialist",
    "mentor",
    "mentee",
    "guardian",
    "commission",
    "teacher",
    "operator",
)
#: Rows opened from each list page; the rest of a list's rows are the same template.
DETAILS_PER_LIST = 2
#: Views never walked: they act on a GET (log out, switch language) or leave the site.
SKIPPED_VIEWS = frozenset({"set_language", "logout", "admin"})


def email_of(key: str) -> str:
    return next(login.email for login in LOGINS if login.key == key)


def logged_in(key: str, language: str = "ru") -> Client:
    from nastavnik.accounts.models import User

    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(User.objects.get(email=email_of(key)))
    return client


def route_of(path: str) -> str | None:
    """The view name of a path of this site, or None for what is not a page of ours."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name
    if match.namespaces and match.namespaces[0] == "admin":
        return None
    if name in SKIPPED_VIEWS or name.split(":")[-1] in SKIPPED_VIEWS:
        return None
    return name


def links_in(document: html.HtmlElement, *, within: str = "//body") -> list[str]:
    """The addresses of this site that the page's links lead to, in page order."""
    found = []
    for root in document.xpath(within):
        for href in root.xpath(".//a/@href"):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


@dataclass
class Walked:
    url: str
    route: str
    status: int
    content_type: str
    body: bytes = field(repr=False)

    @property
    def is_page(self) -> bool:
        return self.status == 200 and self.content_type.startswith("text/html")

    def document(self) -> html.HtmlElement:
        return html.fromstring(self.body)


def walk(client: Client, *, once_per_view: bool = False) -> Iterator[Walked]:
    """Every page reachable from the navigation, plus a few rows of each, each page once.

    The start is where logging in leads (the organisation's dashboard, or the region's);
    each page's navigation links are followed, and from every page so reached, the first
    DETAILS_PER_LIST links of its main part to views not yet seen. With `once_per_view`, a
    row is opened only for a view no page of the walk has opened yet: every view the reader
    reaches, each once (the navigation's pages all the same), for a quicker walk.
    """
    start = client.get("/", follow=True)
    first = start.request["PATH_INFO"]
    seen_urls: set[str] = set()
    seen_routes: set[str] = set()
    queue = [first]
    # Navigation pages first: their links lead to the rows.
    for url in links_in(html.fromstring(start.content), within="//nav | //header"):
        queue.append(url)
    level_two: list[str] = []
    opened: set[str] = set()  # the views of the rows queued
    for stage in (queue, level_two):
        for url in stage:
            if url in seen_urls:
                continue
            route = route_of(urlsplit(url).path)
            if route is None:
                continue
            seen_urls.add(url)
            response = client.get(url)
            # Downloads stream; only pages are read.
            body = b"" if response.streaming else response.content
            response.close()
            walked = Walked(
                url, route, response.status_code, response.get("Content-Type", ""), body
            )
            yield walked
            if stage is level_two or not walked.is_page:
                continue
            seen_routes.add(route)
            per_route: dict[str, int] = {}
            for link in links_in(walked.document(), within="//main"):
                target = route_of(urlsplit(link).path)
                if target is None or target in seen_routes or link in seen_urls:
                    continue
                if per_route.get(target, 0) >= DETAILS_PER_LIST:
                    continue
                if once_per_view and target in opened:
                    continue
                opened.add(target)
                per_route[target] = per_route.get(target, 0) + 1
                level_two.append(link)
