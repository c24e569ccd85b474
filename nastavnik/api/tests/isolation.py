"""Rows behind the API token pages, for the project-wide isolation test (tests/test_isolation.py)."""

from nastavnik.api.tokens import token_create
from nastavnik.orgs.models import Role
from nastavnik.orgs.tests.factories import MembershipFactory


def _token(org) -> int:
    owner = MembershipFactory(organisation=org, role=Role.CURATOR).user
    return token_create(org, owner, name="Журнал", scopes={"people": "read"}, days=30)[0].pk


ROW_MAKERS = {"token_pk": _token}
