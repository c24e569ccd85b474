"""Rows behind the pairs' URLs, for the project-wide isolation test."""

from nastavnik.matching.tests.isolation import proposed_run

ROW_MAKERS = {
    "mentorship_pk": lambda org: proposed_run(org).mentorships.first().pk,
}
