"""Rows behind the case URLs, for the project-wide isolation test."""

from nastavnik.cases.tests.data import case, programme_of

ROW_MAKERS = {
    "case_pk": lambda org: case(programme_of(org), without_names=True, published=True).pk,
}
