"""The demo's self-match: the curator opened it for the student form still waiting for its run
(two weeks from three days ago), the form's mentors let mentees see what they share with them,
and the login «chooser» is a mentee of that form of 14 or more with three mentors suggested.
The mentee asks one, the mentor (any mentor of the form, by the curator's hand in the demo)
accepts, the curator approves on the form's self-match page and the order is drafted."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from nastavnik.accounts.models import User
from nastavnik.matching import selfmatch
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentors.models import Mentor
from nastavnik.programmes.models import Programme, ProgrammeForm

logger = logging.getLogger(__name__)

CHOOSER_EMAIL = "chooser@school5.demo"
STUDENT_FORMS = ("student-student", "teacher-student", "student-pupil", "employer-pupil")


def _waiting_form(programme: Programme) -> ProgrammeForm | None:
    """The student form with the most mentees still in the base (the run the curator has not
    confirmed yet)."""
    best: tuple[int, ProgrammeForm] | None = None
    for chosen in ProgrammeForm.objects.filter(
        programme=programme, form__code__in=STUDENT_FORMS
    ).select_related("form"):
        waiting = Mentee.objects.filter(
            programme=programme, form=chosen.form, status=MenteeStatus.IN_BASE
        ).count()
        if waiting and (best is None or waiting > best[0]):
            best = (waiting, chosen)
    return best[1] if best else None


def build_selfmatch(programme: Programme, today: date) -> None:
    chosen = _waiting_form(programme)
    if chosen is None:
        logger.info("demo: no form waits for a mentor; self-match stays off")
        return
    window = selfmatch.window_save(
        chosen,
        enabled=True,
        opens_on=today - timedelta(days=3),
        closes_on=today + timedelta(days=14),
        suggestions=3,
        answer_days=5,
        by=None,
    )
    for mentor in Mentor.objects.filter(programme=programme, forms=chosen.form):
        selfmatch.mentor_settings_save(mentor, paused=False, shows_reasons=True, by=None)
    user = User.objects.filter(email=CHOOSER_EMAIL).first()
    if user is None:
        return
    for entry in (
        Mentee.objects.filter(programme=programme, form=chosen.form, status=MenteeStatus.IN_BASE)
        .filter(person__user__isnull=True)
        .select_related("person", "programme__organisation", "form")
        .order_by("person__name_key", "pk")
    ):
        if not selfmatch.acts_for_self(entry, today):
            continue
        if len(selfmatch.suggestions_for(entry, today)) < window.suggestions:
            continue
        entry.person.user = user
        entry.person.email = CHOOSER_EMAIL
        entry.person.save(update_fields=["user", "email"])
        user.first_name, user.last_name = entry.person.first_name, entry.person.last_name
        user.save(update_fields=["first_name", "last_name"])
        return
    logger.info("demo: no mentee of %s has three mentors to suggest", chosen.form.name)
