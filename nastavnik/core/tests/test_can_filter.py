"""`org_ctx|can:"…"` answers from the policy, and a misspelt right fails loudly."""

import pytest
from django.template import Context, Template

from nastavnik.core.access import OrgContext
from nastavnik.orgs.models import Organisation, Role

TEMPLATE = '{% load access %}{% if org_ctx|can:"mentors.view" %}base{% else %}none{% endif %}'


def render(roles: set[str] | None, text: str = TEMPLATE) -> str:
    ctx = None if roles is None else OrgContext(Organisation(slug="s"), frozenset(roles))
    return Template(text).render(Context({"org_ctx": ctx}))


def test_curator_is_shown_the_mentor_base_and_a_mentor_is_not():
    assert render({Role.CURATOR}) == "base"
    assert render({Role.MENTOR}) == "none"
    assert render({Role.MENTOR, Role.COMMISSION_MEMBER}) == "base"


def test_outside_an_organisation_nothing_is_shown():
    assert render(None) == "none"


def test_an_unknown_right_is_an_error_not_a_hidden_link():
    with pytest.raises(ValueError):
        render({Role.CURATOR}, '{% load access %}{% if org_ctx|can:"mentor.view" %}x{% endif %}')
