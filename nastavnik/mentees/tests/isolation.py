"""Rows behind the mentee URLs, for the project-wide isolation test."""

from nastavnik.mentees.tests.factories import MenteeFactory, student

ROW_MAKERS = {
    "mentee_pk": lambda org: MenteeFactory(person=student(org)).pk,
}
