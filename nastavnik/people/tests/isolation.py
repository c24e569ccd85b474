"""Rows behind the people URLs, for the project-wide isolation test (tests/test_isolation.py)."""

from nastavnik.people.tests.factories import GuardianLinkFactory, ImportJobFactory, PersonFactory

ROW_MAKERS = {
    "person_pk": lambda org: PersonFactory(organisation=org).pk,
    "link_pk": lambda org: GuardianLinkFactory(guardian__organisation=org).pk,
    "job_pk": lambda org: ImportJobFactory(organisation=org).pk,
}
