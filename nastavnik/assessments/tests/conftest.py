"""What the assessments tests share: tenant A's programme of last year."""

import pytest

from nastavnik.mentees.tests.factories import programme_of, this_year


@pytest.fixture
def programme(tenant_a):
    """Tenant A's programme of last year: every day of its year is in the past."""
    return programme_of(tenant_a.organisation, this_year() - 1)
