"""Rows behind the consents URLs, for the project-wide isolation test (tests/test_isolation.py)."""

from nastavnik.consents.tests.factories import ConsentFactory

ROW_MAKERS = {
    "consent_pk": lambda org: ConsentFactory(subject__organisation=org).pk,
}
