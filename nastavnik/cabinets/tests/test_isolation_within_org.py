"""Isolation inside one organisation: the pages of a pair's work and the personal cabinets.

`tests/test_isolation.py` proves that organisations do not see each other. Here everybody is
of the same school: every URL of the namespaces below is enumerated from the resolver and
opened, with the rows of one pair, by

- the mentor, the mentee and the mentee's parent of ANOTHER pair: 404 (or, where their role
  has no right to the page at all, 403 — decided before any row is looked at), and not a row
  changed;
- the pair's own mentor and mentee: the page opens.

The cabinets list only one's own rows: the other pair's names never appear.

Another app whose pages belong to a pair adds its namespace to NAMESPACES and, for a URL kwarg
of its own, a maker to ``PAIR_ROW_MAKERS`` in its ``tests/isolation.py``:
``PAIR_ROW_MAKERS = {"meeting_pk": lambda mentorship: <a row of that pair>.pk}``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import make_tenant
from nastavnik.core.access import declared_access
from nastavnik.core.tests.rows import table_rows
from nastavnik.core.tests.shared_rows import copied, rows_for_the_module
from nastavnik.mentorships.models import Mentorship
from nastavnik.orgs.policy import allows
from nastavnik.plans import services as plan_services
from nastavnik.plans.models import DevelopmentPlan
from nastavnik.plans.tests.data import Pair, two_pairs

NAMESPACES = ("plans", "cabinets", "meetings")

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: tuple[str, ...]
    callback: Callable

    @property
    def row_kwargs(self) -> tuple[str, ...]:
        return tuple(k for k in self.kwargs if k != "org_slug")

    @property
    def perm(self):
        return declared_access(self.callback)[1]


def _walk(patterns: list, namespace: str = "", kwargs: tuple[str, ...] = ()) -> Iterator[Route]:
    for entry in patterns:
        found = tuple(entry.pattern.converters) if hasattr(entry.pattern, "converters") else ()
        if isinstance(entry, URLResolver):
            child = entry.namespace or namespace
            yield from _walk(entry.url_patterns, child, kwargs + found)
        elif isinstance(entry, URLPattern) and entry.name and namespace in NAMESPACES:
            yield Route(f"{namespace}:{entry.name}", kwargs + found, entry.callback)


ROUTES = sorted(_walk(get_resolver().url_patterns), key=lambda r: r.name)


def _plan_item(mentorship: Mentorship) -> int:
    plan = DevelopmentPlan.objects.filter(mentorship=mentorship).first()
    if plan is None:
        plan = plan_services.plan_start(mentorship, by=None)
    item = plan.items.order_by("pk").first()
    item.evidence.save(f"plans/{mentorship.organisation_id}/evidence/x.pdf", ContentFile(PDF))
    return item.pk


def _pair_row_makers() -> dict[str, Callable[[Mentorship], int]]:
    makers: dict[str, Callable[[Mentorship], int]] = {
        "mentorship_pk": lambda mentorship: mentorship.pk,
        "plan_item_pk": _plan_item,
    }
    for namespace in NAMESPACES:
        try:
            module = importlib.import_module(f"nastavnik.{namespace}.tests.isolation")
        except ModuleNotFoundError:
            continue
        makers.update(getattr(module, "PAIR_ROW_MAKERS", {}))
    return makers


PAIR_ROW_MAKERS = _pair_row_makers()


def _mentor_only_routes() -> set[str]:
    """Pages of a pair that only its mentor (and the curator) use: declared by the app as
    ``MENTOR_ONLY_ROUTES`` in its ``tests/isolation.py``; the pair's mentee gets 403."""
    names: set[str] = set()
    for namespace in NAMESPACES:
        try:
            module = importlib.import_module(f"nastavnik.{namespace}.tests.isolation")
        except ModuleNotFoundError:
            continue
        names.update(getattr(module, "MENTOR_ONLY_ROUTES", ()))
    return names


MENTOR_ONLY_ROUTES = _mentor_only_routes()


def _snapshot() -> dict[str, list[tuple]]:
    return table_rows(
        m
        for m in apps.get_models()
        if m._meta.app_label not in {"sessions", "axes", "admin", "django_tasks_db"}
    )


@dataclass
class World:
    ours: Pair
    theirs: Pair
    rows: dict[str, int]

    def url(self, route: Route) -> str:
        org = self.ours.mentorship.organisation
        missing = [k for k in route.row_kwargs if k not in self.rows]
        assert not missing, f"{route.name}: declare PAIR_ROW_MAKERS for {missing}"
        return reverse(
            route.name, kwargs={"org_slug": org.slug, **{k: self.rows[k] for k in route.row_kwargs}}
        )


def _build_world() -> World:
    ours, theirs = two_pairs(make_tenant("school-a"))
    # Both pairs have plans, so a leak would have something to show.
    plan_services.plan_start(theirs.mentorship, by=None)
    rows = {kwarg: make(ours.mentorship) for kwarg, make in PAIR_ROW_MAKERS.items()}
    ours.mentorship.refresh_from_db()
    return World(ours, theirs, rows)


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker) -> Iterator[World]:
    # Built once for the module (some 250 tests); each test runs in a savepoint of it.
    with rows_for_the_module(django_db_blocker, _build_world) as built:
        yield built


@pytest.fixture
def world(built_world, db) -> World:
    return copied(built_world)


def test_the_namespaces_have_routes():
    assert {r.name.split(":")[0] for r in ROUTES} == set(NAMESPACES)
    assert all(declared_access(r.callback) for r in ROUTES)


def test_cabinet_addresses_name_no_row():
    assert [r.name for r in ROUTES if r.name.startswith("cabinets:") and r.row_kwargs] == []


ROW_ROUTES = [r for r in ROUTES if r.row_kwargs]
OUTSIDERS = ("mentor", "mentee", "guardian")


@pytest.mark.django_db
@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("route", ROW_ROUTES, ids=lambda r: r.name)
def test_people_of_another_pair_get_404_and_change_nothing(client, world, route, who):
    user = getattr(world.theirs, f"{who}_user")
    client.force_login(user)
    url = world.url(route)
    before = _snapshot()

    statuses = {
        "get": client.get(url).status_code,
        "post": client.post(url, {"text": "Чужая запись", "invitation": "1"}).status_code,
    }

    roles = user.memberships.values_list("role", flat=True)
    if allows(roles, route.perm):
        assert set(statuses.values()) <= {404, 405} and 404 in statuses.values(), statuses
    else:
        assert set(statuses.values()) <= {403, 405} and 403 in statuses.values(), statuses
    assert _snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("who", ("mentor", "mentee"))
@pytest.mark.parametrize("route", ROW_ROUTES, ids=lambda r: r.name)
def test_the_pairs_own_people_open_its_pages(client, world, route, who):
    client.force_login(getattr(world.ours, f"{who}_user"))
    url = world.url(route)
    if who == "mentee" and route.name in MENTOR_ONLY_ROUTES:
        assert client.get(url).status_code == 403
        return

    got = client.get(url).status_code
    if got == 405:  # a write: it answers a post, whatever the post decides
        got = client.post(url, {}).status_code
        assert got in {200, 302}, f"{route.name}: {got}"
    else:
        assert got == 200, f"{route.name}: {got}"


CABINETS = {
    "mentor": "cabinets:mentor",
    "mentee": "cabinets:mentee",
    "guardian": "cabinets:guardian",
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", CABINETS)
def test_a_cabinet_lists_only_ones_own_rows(client, world, who):
    client.force_login(getattr(world.ours, f"{who}_user"))

    content = client.get(
        reverse(CABINETS[who], kwargs={"org_slug": world.ours.mentorship.organisation.slug})
    ).content.decode()

    assert world.ours.mentee.last_name in content
    assert world.ours.mentor.last_name in content
    for person in (world.theirs.mentor, world.theirs.mentee, world.theirs.guardian):
        assert person.last_name not in content


@pytest.mark.parametrize("who", CABINETS)
def test_every_cabinet_route_is_covered(who):
    assert CABINETS[who] in {r.name for r in ROUTES}
