"""The demo's matching (stage 5): in October the curator ran matching for the form of the demo
mentee, set the demo mentor with the demo mentee, confirmed the run, and the director signed
the order fixing the pairs; the two mentees the run left without a mentor are on support. The
other student form still waits, so the curator can run, read, lock, run again and confirm live;
it already has one run in each mode, weighing the scores alone, which propose different pairs
(a mentee and a mentor named each other first after the group meeting: stable pairs them, the
best total score gives the mentor to a mentee who scores higher), so the comparison page shows
what the choice of mode means.

Built through the same services a curator's clicks go through, so the run, its explanations,
the pairs and the order are the real ones.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from nastavnik.accounts.models import User
from nastavnik.catalogue.models import MentoringKind
from nastavnik.demo.programme import _scan
from nastavnik.matching import services
from nastavnik.matching.models import MatchingMode, MatchingRun, Proposal, UnmatchedMentee
from nastavnik.matching.profiles import RunInputs, build_inputs
from nastavnik.matching_engine import Mode, RunOptions, Weights, run_matching
from nastavnik.matching_engine.model import PersonId
from nastavnik.mentees.models import Mentee, MenteeStatus
from nastavnik.mentors.models import Mentor
from nastavnik.mentorships.models import Mentorship
from nastavnik.mentorships.services import default_planned_end, mentorship_set_kind
from nastavnik.orders.services import default_signatory, order_next_number, order_sign
from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme, ProgrammeForm

logger = logging.getLogger(__name__)

#: The pairs were fixed in October (the roadmap's stage 5 runs from October to December).
ORDER_DAY = (10, 15)
#: Pairs of the run (in the order of their keys) the curator then gave another kind than the
#: form's default: one works remotely, one meets for short sessions before the olympiads.
OTHER_KINDS = {1: MentoringKind.VIRTUAL, 3: MentoringKind.FLASH}
#: How many mentees the confirmed run leaves on support, as the demo story tells.
LEFT_ALONE = 2
STUDENT_FORMS = ("teacher-student", "student-student", "student-pupil", "employer-pupil")


def _confirmed_form(programme: Programme, mentee: Mentee | None) -> ProgrammeForm | None:
    """The form of the demo mentee, else the first student form with mentees in the base."""
    chosen = {
        c.form.code: c
        for c in ProgrammeForm.objects.filter(programme=programme).select_related("form")
    }
    if mentee is not None and mentee.form is not None and mentee.form.code in chosen:
        return chosen[mentee.form.code]
    waiting = set(
        Mentee.objects.filter(programme=programme, status=MenteeStatus.IN_BASE).values_list(
            "form__code", flat=True
        )
    )
    return next(
        (chosen[code] for code in STUDENT_FORMS if code in chosen and code in waiting), None
    )


def _pair_the_demo_accounts(run: MatchingRun, mentee: Mentee | None, mentor: Mentor | None) -> None:
    if mentee is None or mentor is None:
        return
    if Proposal.objects.filter(run=run, mentee=mentee, mentor=mentor).exists():
        Proposal.objects.filter(run=run, mentee=mentee).update(locked=True)
        return
    try:
        services.mentee_assign(run, mentee, mentor, by=None)
    except ValidationError as error:
        # The bases decide: a demo that cannot pair them says why in the log, not in a crash.
        logger.info("demo: the demo mentor and mentee are not paired: %s", error.messages)


def _leave_two_alone(run: MatchingRun, keep: set[int]) -> None:
    """The story has two mentees left without a mentor: the curator gives the others a mentor
    with a free place (as she would by hand), or, if the run left fewer, rules out the weakest
    pairs (a pair she found unsuitable after talking to them)."""
    alone = list(UnmatchedMentee.objects.filter(run=run).select_related("mentee__person"))
    for unmatched in alone[LEFT_ALONE:]:
        for candidate in services.candidates_for(run, unmatched.mentee):
            if candidate.free > 0:
                services.mentee_assign(run, unmatched.mentee, candidate.mentor, by=None)
                break
    missing = LEFT_ALONE - UnmatchedMentee.objects.filter(run=run).count()
    weakest = (
        Proposal.objects.filter(run=run, locked=False)
        .exclude(mentee_id__in=keep)
        .select_related("mentee", "mentor")
        .order_by("score", "pk")[: max(0, missing)]
    )
    for proposal in list(weakest):
        services.proposal_exclude(proposal, by=None)


def _waiting_form(programme: Programme, confirmed: ProgrammeForm) -> ProgrammeForm | None:
    waiting = set(
        Mentee.objects.filter(programme=programme, status=MenteeStatus.IN_BASE).values_list(
            "form__code", flat=True
        )
    )
    return (
        ProgrammeForm.objects.filter(
            programme=programme, form__code__in=[c for c in STUDENT_FORMS if c in waiting]
        )
        .exclude(pk=confirmed.pk)
        .select_related("form")
        .order_by("pk")
        .first()
    )


#: The two runs of the waiting form weigh the scores alone: the named preferences then decide
#: only in stable mode, which is the difference the comparison page explains.
SCORES_ALONE = {**services.RunSettings().weight_map, "preferences": 0.0}


def _pairs(inputs: RunInputs, mode: Mode) -> set[tuple[PersonId, PersonId]]:
    result = run_matching(
        inputs.mentees,
        inputs.mentors,
        Weights(**SCORES_ALONE),
        inputs.constraints,
        RunOptions(mode=mode),
    )
    return {(a.mentee_id, a.mentor_id) for a in result.assignments}


def _named_each_other(inputs: RunInputs) -> tuple[PersonId, PersonId] | None:
    """A mentee and a mentor to name each other first after the group meeting so that the two
    modes part: stable pairs them, the best total score keeps the mentor for a mentee who
    scores higher with them. Tried on the engine alone, pair after pair, before anything is
    written."""
    optimal = _pairs(inputs, Mode.OPTIMAL)
    taken = {mentor for _, mentor in optimal}
    for mentor in inputs.mentors:
        if mentor.id not in taken:
            continue
        for mentee in inputs.mentees:
            if (mentee.id, mentor.id) in optimal:
                continue
            trial = replace(
                inputs,
                mentees=[
                    replace(p, preferences=(mentor.id,)) if p.id == mentee.id else p
                    for p in inputs.mentees
                ],
                mentors=[
                    replace(p, preferences=(mentee.id,)) if p.id == mentor.id else p
                    for p in inputs.mentors
                ],
            )
            if _pairs(trial, Mode.OPTIMAL) != _pairs(trial, Mode.STABLE):
                return mentee.id, mentor.id
    return None


def _runs_in_both_modes(
    programme: Programme, confirmed: ProgrammeForm, today: date, by: User | None
) -> None:
    chosen = _waiting_form(programme, confirmed)
    if chosen is None:
        return
    inputs = build_inputs(programme, chosen.form, today)
    if _pairs(inputs, Mode.OPTIMAL) == _pairs(inputs, Mode.STABLE):
        found = _named_each_other(inputs)
        if found is None:
            logger.info("demo: no pair found that sets the two modes apart")
            return
        mentee_person, mentor_person = found
        Mentee.objects.filter(programme=programme, person_id=mentee_person).update(
            preferences=[mentor_person]
        )
        Mentor.objects.filter(programme=programme, person_id=mentor_person).update(
            preferences=[mentee_person]
        )
    for mode in (MatchingMode.OPTIMAL, MatchingMode.STABLE):
        settings = services.RunSettings(mode=mode, weights=SCORES_ALONE)
        services.run_start(programme, chosen.form, settings, by=by)


def build_matching(programme: Programme, accounts: dict[str, Person], today: date) -> None:
    curator = accounts.get("curator")
    by = curator.user if curator is not None else None
    demo_mentee = (
        Mentee.objects.filter(programme=programme, person=accounts.get("mentee"))
        .select_related("form")
        .first()
    )
    demo_mentor = Mentor.objects.filter(programme=programme, person=accounts.get("mentor")).first()
    chosen = _confirmed_form(programme, demo_mentee)
    if chosen is None:
        return
    run = services.run_start(programme, chosen.form, services.RunSettings(), by=by)
    _pair_the_demo_accounts(run, demo_mentee, demo_mentor)
    _leave_two_alone(run, {demo_mentee.pk} if demo_mentee is not None else set())

    year_start = programme.academic_year.starts_on
    day = min(date(year_start.year, *ORDER_DAY), today)
    organisation = programme.organisation
    director = accounts.get("director")
    services.run_confirm(
        run,
        order=services.OrderDetails(
            number=order_next_number(organisation, day.year),
            date=day,
            signatory=director or default_signatory(organisation),
        ),
        started_on=day,
        planned_end=default_planned_end(day),
        by=by,
    )
    run.refresh_from_db()
    pairs = Mentorship.objects.filter(matching_run=run, is_group=False).order_by("pk")
    for number, pair in enumerate(pairs):
        if number in OTHER_KINDS:
            mentorship_set_kind(pair, kind=OTHER_KINDS[number], by=by)
    if run.order is not None:
        order_sign(
            run.order,
            ContentFile(_scan(), name="scan.pdf"),
            by=director.user if director is not None else None,
        )
    _runs_in_both_modes(programme, chosen, today, by)
