"""Whom a campaign is sent to, and whom a ranking question lets a respondent rank.

An audience is a named set of people of a programme: a class, the staff, the programme team, the
mentee candidates or the mentors of a form … The apps that own the sets implement them; they are
named here by dotted path so that the questionnaire engine imports no app it serves.

A resolver is ``(programme, params) -> PersonQuerySet`` of the programme's organisation only.
`params` holds what the audience needs: ``{"grade": 7, "class_letter": "Б"}`` for a class,
``{"form": <MentoringForm pk>}`` for the candidates of one form (absent: all forms).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from nastavnik.people.models import PersonQuerySet
    from nastavnik.programmes.models import Programme


@dataclass(frozen=True)
class Audience:
    label: Any
    resolver: str
    # The params the audience takes, for the campaign form.
    params: tuple[str, ...] = ()

    def people(self, programme: Programme, params: dict[str, Any]) -> PersonQuerySet:
        resolve: Callable[[Programme, dict[str, Any]], PersonQuerySet] = import_string(
            self.resolver
        )
        return resolve(programme, params)


AUDIENCES: dict[str, Audience] = {
    "class": Audience(
        _("Students of a class"),
        "nastavnik.questionnaires.groups.class_students",
        ("grade", "class_letter"),
    ),
    "staff": Audience(_("Teachers and staff"), "nastavnik.questionnaires.groups.staff"),
    "team": Audience(
        _("The curator and the programme team"), "nastavnik.questionnaires.groups.team"
    ),
    "mentees": Audience(
        _("Mentee candidates and mentees"), "nastavnik.mentees.audiences.mentees", ("form",)
    ),
    "mentors": Audience(
        _("Mentor candidates and mentors"), "nastavnik.mentors.audiences.mentors", ("form",)
    ),
}
