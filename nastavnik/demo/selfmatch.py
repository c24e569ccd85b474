"""The demo's self-match: the curator opened it for a student form still waiting for its run
(two weeks from three days ago), the form's mentors let mentees see what they share with them,
and the login «chooser» is a mentee of that form of 14 or more with three mentors suggested.
The first of them is the login «chosen_mentor» and a guardian of the chooser the login
«chooser_guardian». The mentee asks, the mentor accepts from the notifications, the curator
approves on the form's self-match page and the order is drafted; the guardian is told."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from nastavnik.accounts.models import User
from nastavnik.matching import selfmatch
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentors.models import Mentor
from nastavnik.people.models import GuardianLink, Person
from nastavnik.programmes.models import Programme, ProgrammeForm

logger = logging.getLogger(__name__)

CHOOSER_EMAIL = "chooser@school5.demo"
CHOSEN_MENTOR_EMAIL = "chosen.mentor@school5.demo"
CHOOSER_GUARDIAN_EMAIL = "chooser.parent@school5.demo"
STUDENT_FORMS = ("student-student", "teacher-student", "student-pupil", "employer-pupil")
SUGGESTIONS = 3


def _student_forms(programme: Programme) -> list[ProgrammeForm]:
    """The student forms with mentees still in the base, most waiting first (the form whose
    run the curator has not confirmed yet comes first)."""
    counted = []
    for chosen in ProgrammeForm.objects.filter(
        programme=programme, form__code__in=STUDENT_FORMS
    ).select_related("form"):
        waiting = Mentee.objects.filter(
            programme=programme, form=chosen.form, status=MenteeStatus.IN_BASE
        ).count()
        if waiting:
            counted.append((-waiting, chosen.pk, chosen))
    return [chosen for _w, _pk, chosen in sorted(counted)]


def _chooser(programme: Programme, chosen: ProgrammeForm, today: date) -> tuple[Mentee, int] | None:
    """The mentee of 14 or more of the form with the most mentors suggested (three at best)."""
    best: tuple[Mentee, int] | None = None
    for entry in (
        Mentee.objects.filter(programme=programme, form=chosen.form, status=MenteeStatus.IN_BASE)
        .filter(person__user__isnull=True)
        .select_related("person", "programme__organisation", "form")
        .order_by("person__name_key", "pk")
    ):
        if not selfmatch.acts_for_self(entry, today):
            continue
        found = len(selfmatch.suggestions_for(entry, today))
        if best is None or found > best[1]:
            best = (entry, found)
        if found >= SUGGESTIONS:
            break
    return best


def _open(chosen: ProgrammeForm, today: date, *, enabled: bool) -> None:
    selfmatch.window_save(
        chosen,
        enabled=enabled,
        opens_on=today - timedelta(days=3),
        closes_on=today + timedelta(days=14),
        suggestions=SUGGESTIONS,
        answer_days=5,
        by=None,
    )


def build_selfmatch(programme: Programme, today: date) -> None:
    """Self-match opens on the first student form (most waiting first) where a mentee of 14 or
    more gets three suggestions; pupils of the primary forms are chosen for by a parent, so a
    form of only young pupils is passed over for the demo login."""
    user = User.objects.filter(email=CHOOSER_EMAIL).first()
    best: tuple[ProgrammeForm, Mentee, int] | None = None
    for chosen in _student_forms(programme):
        _open(chosen, today, enabled=True)
        for mentor in Mentor.objects.filter(programme=programme, forms=chosen.form):
            selfmatch.mentor_settings_save(mentor, paused=False, shows_reasons=True, by=None)
        found = _chooser(programme, chosen, today)
        if found is not None and (best is None or found[1] > best[2]):
            if best is not None:
                _open(best[0], today, enabled=False)
            best = (chosen, *found)
        else:
            _open(chosen, today, enabled=False)
        if best is not None and best[2] >= SUGGESTIONS:
            break
    if best is None or user is None:
        logger.info("demo: no mentee of 14 or more waits for a mentor; self-match stays off")
        return
    entry = best[1]
    entry.person.user = user
    entry.person.email = CHOOSER_EMAIL
    entry.person.save(update_fields=["user", "email"])
    user.first_name, user.last_name = entry.person.first_name, entry.person.last_name
    user.save(update_fields=["first_name", "last_name"])
    suggested = selfmatch.suggestions_for(entry, today)
    if suggested:
        _link(suggested[0].mentor.person, CHOSEN_MENTOR_EMAIL)
    link = GuardianLink.objects.filter(child=entry.person).select_related("guardian").first()
    if link is not None:
        _link(link.guardian, CHOOSER_GUARDIAN_EMAIL)


def _link(person: Person, email: str) -> None:
    """The demo login `email` becomes the account of `person` (unless it already has one)."""
    user = User.objects.filter(email=email).first()
    if user is None or person.user_id is not None:
        return
    person.user, person.email = user, email
    person.save(update_fields=["user", "email"])
    user.first_name, user.last_name = person.first_name, person.last_name
    user.save(update_fields=["first_name", "last_name"])
