"""Every form of the project, posted with what a careless or hostile user can type: 0 server errors.

The URL patterns are enumerated from the resolver (as in test_isolation), each page is opened
as a member who may use it (the curator where the curator may, else the director, else the
first role that may), and every ``<form method="post">`` on it is sent back as the browser
would send it, with ONE field changed at a time to:

- an integer no database can hold (``99999999999999999999``),
- an empty value,
- a 10,000-character string,
- the id of a row of another organisation (for fields that name rows).

Every answer must be below 500 and raise nothing; a post with a foreign id must neither change
a row of the other organisation nor link one of ours to it. Forms sent by GET (filters) get the
same values in their query string. Each post runs in a savepoint that is rolled back, so the
pages stay as the world made them. Fields are sampled deterministically (sorted names, at most
FIELDS_PER_FORM) so the crawl stays under three minutes on a loaded machine.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve
from lxml import html

from conftest import make_tenant
from nastavnik.core.access import declared_access
from nastavnik.core.tests.rows import table_rows
from nastavnik.orgs.models import Role
from nastavnik.orgs.policy import allows
from nastavnik.people.tests.factories import PersonFactory
from tests.test_isolation import ORG_ROUTES, ROW_MAKERS, VOLATILE_APPS, Route, _url

pytestmark = pytest.mark.slow

HUGE = "99999999999999999999"
JUNK = "1; x\u0000'<>"
LONG = "Я" * 10_000
FIELDS_PER_FORM = 6
# Roles tried in this order; the first the view lets in opens the page.
ROLE_ORDER = [
    Role.CURATOR,
    Role.DIRECTOR,
    *[r for r in Role.values if r not in {"curator", "director"}],
]

Snapshot = dict[str, dict[Any, tuple]]


def _models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label not in VOLATILE_APPS
    ]


def snapshot() -> Snapshot:
    # Rows as stored, in the order of values_list(): the primary key first.
    return {label: {row[0]: row for row in rows} for label, rows in table_rows(_models()).items()}


def _foreign_key_columns() -> dict[str, list[tuple[int, str]]]:
    """For each model, the positions in `values_list()` of its foreign keys and whom they name."""
    columns = {}
    for model in _models():
        columns[model._meta.label] = [
            (i, f.related_model._meta.label)
            for i, f in enumerate(model._meta.concrete_fields)
            if f.is_relation and f.related_model is not None
        ]
    return columns


@dataclass
class CrawlWorld:
    slug: str
    rows: dict[str, int]
    users: dict[str, Any]
    foreign: set[tuple[str, Any]]  # (model label, pk) of the other organisation's rows
    foreign_pks: dict[str, list[Any]]  # model label -> the other organisation's pks
    fk_columns: dict[str, list[tuple[int, str]]]
    pristine: Snapshot


@dataclass
class Tally:
    pages: int = 0
    forms: int = 0
    posts: int = 0
    gets: int = 0
    errors: list[str] = field(default_factory=list)


TALLY = Tally()


@pytest.fixture(scope="module")
def crawl_world(django_db_setup, django_db_blocker) -> Iterator[CrawlWorld]:
    with django_db_blocker.unblock(), transaction.atomic():
        a = make_tenant("school-a")
        rows = {kwarg: make(a.organisation) for kwarg, make in ROW_MAKERS.items()}
        PersonFactory.create_batch(2, organisation=a.organisation)
        ours = {(label, pk) for label, table in snapshot().items() for pk in table}
        b = make_tenant("school-b")
        for make in ROW_MAKERS.values():
            make(b.organisation)
        foreign = {(label, pk) for label, table in snapshot().items() for pk in table} - ours
        foreign_pks: dict[str, list[Any]] = {}
        for label, pk in sorted(foreign, key=str):
            foreign_pks.setdefault(label, []).append(pk)
        yield CrawlWorld(
            "school-a", rows, a.users, foreign, foreign_pks, _foreign_key_columns(), snapshot()
        )
        transaction.set_rollback(True)
    print(
        f"\nform crawl: {TALLY.pages} pages, {TALLY.forms} forms, {TALLY.posts} posts, "
        f"{TALLY.gets} filter queries, {len(TALLY.errors)} server errors"
    )


def _role_for(route: Route) -> str | None:
    perm = declared_access(route.callback)[1]
    return next((role for role in ROLE_ORDER if perm is None or allows([role], perm)), None)


# --- What the browser sends -------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # "text", "select", "multiple", "checkbox", "radio", "hidden", "textarea", "file"
    values: list[str]  # what the browser would send as it is


@dataclass
class PageForm:
    action: str
    method: str
    multipart: bool
    fields: list[Field]

    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.fields:
            if f.kind == "file" or not f.values:
                continue
            out.setdefault(f.name, [])
            out[f.name].extend(f.values)
        return out


def _fields_of(form: html.FormElement) -> list[Field]:
    found: dict[str, Field] = {}
    submit_taken = False
    for element in form.iter("input", "select", "textarea", "button"):
        name = element.get("name")
        if not name or element.get("disabled") is not None:
            continue
        tag = element.tag
        kind = (element.get("type") or ("submit" if tag == "button" else "text")).lower()
        if tag == "select":
            options = element.findall(".//option")
            chosen = [
                o.get("value", o.text or "") for o in options if o.get("selected") is not None
            ]
            multiple = element.get("multiple") is not None
            if not chosen and options and not multiple:
                chosen = [options[0].get("value", options[0].text or "")]
            entry = found.setdefault(name, Field(name, "multiple" if multiple else "select", []))
            entry.values.extend(chosen)
        elif tag == "textarea":
            found.setdefault(name, Field(name, "textarea", [])).values.append(element.text or "")
        elif kind in {"submit", "image"}:
            # The browser sends the button it was submitted with: the first one.
            if not submit_taken:
                found.setdefault(name, Field(name, "submit", [])).values.append(
                    element.get("value", "")
                )
                submit_taken = True
        elif kind in {"checkbox", "radio"}:
            entry = found.setdefault(name, Field(name, kind, []))
            if element.get("checked") is not None:
                entry.values.append(element.get("value", "on"))
        elif kind in {"reset", "button"}:
            continue
        else:
            found.setdefault(name, Field(name, kind, [])).values.append(element.get("value", ""))
    return list(found.values())


def forms_of(page: str, url: str) -> list[PageForm]:
    tree = html.fromstring(page)
    result = []
    for form in tree.forms:
        action = form.get("action") or url
        if urlsplit(action).netloc:
            continue  # not ours
        if action.startswith("?"):
            action = urlsplit(url).path + action
        result.append(
            PageForm(
                action=action,
                method=(form.get("method") or "get").lower(),
                multipart="multipart" in (form.get("enctype") or ""),
                fields=_fields_of(form),
            )
        )
    return result


def _django_fields(response) -> dict[str, forms.Field]:
    """Fields of the Django forms the page was rendered with, by their HTML name."""
    fields: dict[str, forms.Field] = {}
    contexts = response.context or []
    seen: set[int] = set()
    for context in contexts if isinstance(contexts, list) else [contexts]:
        for value in context.flatten().values():
            for form in _forms_in(value):
                if id(form) in seen:
                    continue
                seen.add(id(form))
                for name, django_field in form.fields.items():
                    fields.setdefault(form.add_prefix(name), django_field)
    return fields


def _forms_in(value: Any) -> Iterator[forms.BaseForm]:
    if isinstance(value, forms.BaseForm):
        yield value
    elif isinstance(value, forms.BaseFormSet):
        yield from value.forms
        yield value.management_form
    elif hasattr(value, "form") and isinstance(value.form, forms.BaseForm):
        yield value.form  # a django-filter FilterSet


def _model_of(django_field: forms.Field | None) -> type[models.Model] | None:
    queryset = getattr(django_field, "queryset", None)
    return queryset.model if queryset is not None else None


# --- The mutations ----------------------------------------------------------------------------


def mutations(page_form: PageForm, django_fields: dict[str, forms.Field], world: CrawlWorld):
    """(description, data) pairs: the form as sent, with one field changed."""
    base = page_form.data()
    candidates = sorted(
        (f for f in page_form.fields if f.kind not in {"file", "submit"}),
        key=lambda f: f.name,
    )
    if len(candidates) > FIELDS_PER_FORM:
        # Fields that name rows first: they are where a 500 or a leak hides.
        candidates.sort(key=lambda f: (_model_of(django_fields.get(f.name)) is None, f.name))
        candidates = candidates[:FIELDS_PER_FORM]
    for f in candidates:
        if f.name == "csrfmiddlewaretoken":
            continue
        for label, value in (("huge", HUGE), ("empty", ""), ("long", LONG)):
            yield f"{f.name}={label}", {**base, f.name: [value]}, False
        model = _model_of(django_fields.get(f.name))
        foreign = world.foreign_pks.get(model._meta.label, []) if model else []
        if not foreign and _looks_like_id(f):
            foreign = [
                pk
                for label, pk in sorted(world.foreign, key=str)
                if label.startswith("people.Person")
            ][:1]
        if foreign:
            yield f"{f.name}=foreign", {**base, f.name: [str(foreign[0])]}, True


def _looks_like_id(f: Field) -> bool:
    return bool(f.values) and all(v.isdigit() for v in f.values)


def _changed(before: Snapshot, after: Snapshot) -> Iterator[tuple[str, Any, tuple | None]]:
    for label, rows in after.items():
        old = before.get(label, {})
        for pk, row in rows.items():
            if old.get(pk) != row:
                yield label, pk, row
        for pk in old.keys() - rows.keys():
            yield label, pk, None


def _foreign_touched(before: Snapshot, after: Snapshot, world: CrawlWorld) -> list[str]:
    problems = []
    for label, pk, row in _changed(before, after):
        if (label, pk) in world.foreign:
            problems.append(f"{label} #{pk} of the other organisation changed")
            continue
        for index, target in world.fk_columns.get(label, []):
            if row is not None and (target, row[index]) in world.foreign:
                problems.append(f"{label} #{pk} now names {target} #{row[index]}")
    return problems


# --- The crawl --------------------------------------------------------------------------------


def _send(client, method: str, url: str, data: dict[str, Any]):
    try:
        response = (client.post if method == "post" else client.get)(url, data)
    except Exception as error:
        return None, f"{type(error).__name__}: {error}"
    if response.status_code >= 500:
        return response, f"status {response.status_code}"
    return response, None


def _wrote(queries: CaptureQueriesContext) -> bool:
    return any(
        q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        for q in queries.captured_queries
    )


def _same_site(url: str) -> bool:
    try:
        resolve(urlsplit(url).path)
    except Resolver404:
        return False
    return True


def _query_parameters() -> list[str]:
    """Every query-string parameter a view reads, found in the source so a new one is tried
    the day it is added."""
    names: set[str] = set()
    for path in Path(settings.BASE_DIR, "nastavnik").rglob("*.py"):
        names.update(
            re.findall(r"request\.GET(?:\.get|\.getlist)?[\(\[]\"(\w+)\"", path.read_text())
        )
    return sorted(names)


QUERY_PARAMETERS = _query_parameters()


def _opened(client, world, route: Route):
    """The role that may open the route (skipped if none), its address and the page."""
    role = _role_for(route)
    if role is None:
        pytest.skip("no role may open it")
    client.force_login(world.users[role])
    url = _url(route, world.slug, world.rows)
    page, error = _send(client, "get", url, {})
    assert error is None, f"GET {url}: {error}"
    return role, url, page


CRAWLED = [r for r in ORG_ROUTES if not r.name.endswith(("_file", "_scan", "export"))]


@pytest.mark.django_db
@pytest.mark.parametrize("route", CRAWLED, ids=lambda r: r.name)
def test_every_form_survives_hostile_values(client, crawl_world, route):
    started = time.monotonic()
    role, url, page = _opened(client, crawl_world, route)
    if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
        return
    TALLY.pages += 1
    errors = []
    for value in (HUGE, JUNK):
        _response, error = _send(client, "get", url, dict.fromkeys(QUERY_PARAMETERS, value))
        TALLY.gets += 1
        if error:
            errors.append(f"GET {url} with every query parameter = {value!r}: {error}")
    django_fields = _django_fields(page)
    for page_form in forms_of(page.content.decode(), url):
        if not _same_site(page_form.action):
            continue
        TALLY.forms += 1
        for description, data, is_foreign in mutations(page_form, django_fields, crawl_world):
            with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                _response, error = _send(client, page_form.method, page_form.action, data)
                if page_form.method == "post":
                    TALLY.posts += 1
                else:
                    TALLY.gets += 1
                if error:
                    errors.append(
                        f"{page_form.method.upper()} {page_form.action} {description}: {error}"
                    )
                elif is_foreign and _wrote(queries):
                    # Everything is rolled back after each post, so the world as built is
                    # what the database held before this one.
                    touched = _foreign_touched(crawl_world.pristine, snapshot(), crawl_world)
                    errors.extend(f"{page_form.action} {description}: {t}" for t in touched)
                transaction.set_rollback(True)
            # A post may log the user out (the logout form): log in again for the next one.
            if SESSION_KEY not in client.session:
                client.force_login(crawl_world.users[role])
    TALLY.errors.extend(errors)
    assert errors == [], "\n".join(errors)
    assert time.monotonic() - started < 60, f"{route.name} alone took too long"


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ORG_ROUTES if r.row_kwargs], ids=lambda r: r.name)
def test_an_impossible_id_in_any_address_is_not_found(client, crawl_world, route):
    role = _role_for(route)
    if role is None:
        pytest.skip("no role may open it")
    client.force_login(crawl_world.users[role])
    for pk in (int(HUGE), 2**63):
        url = _url(route, crawl_world.slug, dict.fromkeys(route.row_kwargs, pk))
        for method in ("get", "post"):
            with transaction.atomic():
                response, error = _send(client, method, url, {})
                transaction.set_rollback(True)
            assert error is None, f"{method.upper()} {url}: {error}"
            assert response.status_code in {404, 405}, f"{method.upper()} {url}"
