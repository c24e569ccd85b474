"""The vocabulary the bases of mentees and mentors, the questionnaires that fill them and
matching all share: request topics, weekly time slots, meeting formats and mentor categories.

One place, so that an answer in a questionnaire, a field on a profile and a criterion of the
matching engine mean the same thing. The stored values are what the matching engine compares
(`nastavnik.matching_engine.model`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class RequestTopic(models.TextChoices):
    """What a mentee asks for (DESIGN §3 stage 2; the goals of the forms in seed 000 §4)."""

    SUBJECT = "subject", _("Help with a school subject")
    EXAMS = "exams", _("Preparing for the OGE / EGE")
    ADAPTATION = "adaptation", _("Adapting to a new class or school")
    LEADERSHIP = "leadership", _("Leadership and organising skills")
    COMMUNICATION = "communication", _("Communication and confidence")
    CAREER = "career", _("Choosing a career")
    PROJECT = "project", _("A project or research work")
    COMPETITIONS = "competitions", _("Olympiads and competitions")
    CREATIVITY = "creativity", _("Creativity, sport, hobbies")
    DIGITAL = "digital", _("Digital skills")
    PROFESSIONAL_GROWTH = "professional_growth", _("Professional growth of a young teacher")
    METHODS = "methods", _("Teaching methods and lesson design")
    CLASSROOM = "classroom", _("Classroom management and work with parents")


class Weekday(models.TextChoices):
    MONDAY = "пн", _("Monday")
    TUESDAY = "вт", _("Tuesday")
    WEDNESDAY = "ср", _("Wednesday")
    THURSDAY = "чт", _("Thursday")
    FRIDAY = "пт", _("Friday")
    SATURDAY = "сб", _("Saturday")


class DayPart(models.TextChoices):
    MORNING = "утро", _("morning")
    AFTERNOON = "день", _("afternoon")
    EVENING = "вечер", _("evening")


def slot(weekday: str, part: str) -> str:
    """A weekly slot as stored and compared by matching: «пн-вечер»."""
    return f"{weekday}-{part}"


#: Every weekly slot, in order, with its label («Понедельник, вечер»), translated when shown.
SLOT_CHOICES: list[tuple[str, StrOrPromise]] = [
    (slot(day.value, part.value), format_lazy("{}, {}", day.label, part.label))
    for day in Weekday
    for part in DayPart
]
SLOTS: frozenset[str] = frozenset(value for value, _label in SLOT_CHOICES)


class MeetingFormat(models.TextChoices):
    # The values of nastavnik.matching_engine.model.MeetingFormat.
    IN_PERSON = "in_person", _("In person")
    REMOTE = "remote", _("Remotely")
    BOTH = "both", _("In person or remotely")


class MentorCategory(models.TextChoices):
    """Who may mentor (DESIGN §3 stage 3)."""

    STUDENT = "student", _("Student")
    STAFF = "staff", _("Teacher or staff member")
    PARENT = "parent", _("Parent")
    GRADUATE = "graduate", _("Graduate")
    EMPLOYER = "employer", _("Employee of a partner company")
    ENTREPRENEUR = "entrepreneur", _("Entrepreneur")
    UNIVERSITY_STUDENT = "university_student", _("University student")
    PARTNER = "partner", _("Representative of a partner organisation")


#: Categories of people who are not employees of the organisation and not its students: before
#: working with students they bring a certificate of no criminal record and medical documents
#: (DESIGN §4).
EXTERNAL_CATEGORIES: frozenset[str] = frozenset(
    {
        MentorCategory.PARENT,
        MentorCategory.GRADUATE,
        MentorCategory.EMPLOYER,
        MentorCategory.ENTREPRENEUR,
        MentorCategory.UNIVERSITY_STUDENT,
        MentorCategory.PARTNER,
    }
)


def split_list(text: str) -> list[str]:
    """«математика, физика; русский язык» → ['математика', 'физика', 'русский язык']."""
    parts = (part.strip() for chunk in text.split(";") for part in chunk.split(","))
    return [part for part in parts if part]
