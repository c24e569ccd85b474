"""Schemathesis against the live schema: requests generated from /api/v1/openapi.json are sent
to the Django application through WSGI, with a token of the organisation, and every response
must be no server error and conform to the schema (status, content type, headers, body).

NASTAVNIK_API_FUZZ_EXAMPLES sets the examples per operation. The default, 25, is a sample for
`make test`: about 1,700 requests in 25 s of CPU (100 sent 3,100 in about two minutes);
CI sets 500 (about 11,600 requests) in a step of its own (.ci/run: api_fuzz).
With the examples set, the run fails if it sent fewer than NASTAVNIK_API_FUZZ_MIN_REQUESTS
(10,000 unless given): the promise is a number of requests, not of examples.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import make_tenant
from nastavnik.api.models import Access, Area
from nastavnik.api.tokens import token_create
from nastavnik.orgs.models import RegionalOperator, Role
from nastavnik.orgs.tests.factories import UserFactory
from tests.test_isolation import ROW_MAKERS

EXAMPLES = int(os.environ.get("NASTAVNIK_API_FUZZ_EXAMPLES", "25"))
REQUIRED = int(
    os.environ.get(
        "NASTAVNIK_API_FUZZ_MIN_REQUESTS",
        "10000" if "NASTAVNIK_API_FUZZ_EXAMPLES" in os.environ else "0",
    )
)
SLUG = "fuzz-school"
# Every request is counted, to prove the run's size.
SENT: list[int] = []
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module", autouse=True)
def _count_reported(request):
    yield
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\nschemathesis: {len(SENT)} generated requests sent")
    assert len(SENT) >= REQUIRED, f"{len(SENT)} generated requests sent, {REQUIRED} required"


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request):
    # Schemathesis 4.32 reads `node._nodeid`, which pytest 9 no longer has (it keeps `_id`):
    # given here so its pytest integration runs; it only names the sub-tests in reports.
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@pytest.fixture(autouse=True)
def _connection_kept_between_requests():
    # Schemathesis calls the WSGI application itself, not through Django's test client, which
    # would keep the test's connection: Django closes old connections as each request starts
    # and ends, and on PostgreSQL that closes the test's transaction under the next request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(db):
    tenant = make_tenant(SLUG)
    rows = {kwarg: make(tenant.organisation) for kwarg, make in ROW_MAKERS.items()}
    secret = token_create(
        tenant.organisation,
        tenant.user(Role.CURATOR),
        name="fuzz",
        scopes={area.value: Access.WRITE for area in Area},
        days=30,
    )[1]
    # The regional operations are called with an operator's token of the school's municipality.
    operator = UserFactory()
    RegionalOperator.objects.create(
        user=operator,
        region=tenant.organisation.municipality.region,
        municipality=tenant.organisation.municipality,
    )
    regional = token_create(None, operator, name="fuzz", scopes={}, days=30)[1]
    return {"rows": rows, "secret": secret, "regional": regional}


@pytest.fixture
def api_schema(fuzz_world):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.slow
@override_settings(API_RATE_PER_MINUTE=10**9, ALLOWED_HOSTS=["*"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_generated_requests_get_no_server_error_and_conform(case, fuzz_world):
    case.path_parameters = case.path_parameters or {}
    case.path_parameters["org_slug"] = SLUG
    for name, value in list(case.path_parameters.items()):
        # Half the generated row numbers are replaced by a real row, so the operations are
        # exercised on data too, not only on 404s.
        if name in fuzz_world["rows"] and isinstance(value, int) and value % 2 == 0:
            case.path_parameters[name] = fuzz_world["rows"][name]
    SENT.append(1)
    secret = fuzz_world["regional" if "{org_slug}" not in case.path else "secret"]
    case.call_and_validate(
        headers={"Authorization": f"Bearer {secret}"},
        # A request the schema allows may still break a rule of the registry (an age for the
        # grade): 422 with the reason is its right answer, so the acceptance of schema-valid
        # data is not among the checks; everything about the response itself is.
        checks=CHECKS,
    )
