"""The matching workflow through its services: runs, the curator's changes, reruns, confirming,
and every bad input refused with a clear message and nothing changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext

from nastavnik.consents.models import Consent, Purpose
from nastavnik.documents.render import docx_text
from nastavnik.matching import services
from nastavnik.matching.models import Exclusion, MatchingRun, Proposal, RunStatus, UnmatchedMentee
from nastavnik.matching.services import OrderDetails, RunSettings
from nastavnik.matching.tests.data import (
    approved_programme,
    mentee,
    mentor,
    parent_of,
    role_model,
    snapshot,
    world,
)
from nastavnik.mentees.models import MenteeStatus
from nastavnik.mentorships.models import Mentorship, MentorshipMentee
from nastavnik.mentorships.services import latest_end
from nastavnik.orders.models import OrderStatus
from nastavnik.orders.services import default_signatory, order_sign
from nastavnik.people.validators import org_today
from nastavnik.programmes.models import RoadmapEvent
from nastavnik.programmes.tests.data import PDF, builtin_form

STUDENTS = "student-student"


def start(w, run_settings: RunSettings | None = None, **kwargs):
    return services.run_start(
        w.programme, builtin_form(STUDENTS), run_settings or RunSettings(), by=None, **kwargs
    )


def order_details(w, number: str = "77-о") -> OrderDetails:
    return OrderDetails(number=number, date=org_today(w.org), signatory=default_signatory(w.org))


def confirm(w, run, **kwargs):
    today = org_today(w.org)
    return services.run_confirm(
        run,
        order=kwargs.pop("order", order_details(w)),
        started_on=kwargs.pop("started_on", today),
        planned_end=kwargs.pop("planned_end", today + timedelta(days=200)),
        by=None,
        **kwargs,
    )


def refused(call, message: str, *parts: str) -> None:
    """The call is refused with `message` (translated as the UI shows it) naming `parts`, and
    writes nothing."""
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        call()
    text = " ".join(caught.value.messages)
    assert gettext(message).split("%")[0] in text, text
    for part in parts:
        assert part in text, text
    assert snapshot() == before


# --- Runs -------------------------------------------------------------------------------------


def test_a_run_proposes_pairs_and_explains_who_is_left_alone(tenant_a):
    w = world(tenant_a.organisation)

    run = start(w)

    assert run.status == RunStatus.PROPOSED
    assert run.number == 1
    proposals = list(run.proposals.all())
    assert len(proposals) == 2
    assert {p.mentor_id for p in proposals} == {m.pk for m in w.mentors}
    for proposal in proposals:
        criteria = proposal.breakdown["criteria"]
        # The explanation adds up to the score, criterion by criterion.
        assert sum(c["points"] for c in criteria.values()) == proposal.score
        assert "ОГЭ" in proposal.breakdown["terms"]
    [alone] = run.unmatched.all()
    assert alone.reason == "all_mentors_full"
    assert len(alone.details["closest"]) == 2
    assert alone.details["closest"][0]["taken_by"]
    assert run.summary["matched"] == 2 and run.summary["unmatched"] == 1
    assert run.inputs_fingerprint


def test_ranks_from_the_group_meeting_are_kept_and_stable_mode_certifies(tenant_a):
    w = world(tenant_a.organisation, mentees=2, mentors=2)
    first, _second = w.mentees
    a, b = w.mentors
    first.preferences = [b.person_id, a.person_id]
    first.save()
    b.preferences = [first.person_id]
    b.save()

    run = start(w, RunSettings(mode="stable", proposer="mentee"))

    pair = run.proposals.get(mentee=first)
    assert pair.mentor_id == b.pk
    assert (pair.mentee_rank, pair.mentor_rank) == (1, 1)
    assert run.summary["blocking_pairs"] == 0
    assert run.summary["mean_mentee_rank"] == 1


def test_runs_are_numbered_per_form(tenant_a):
    w = world(tenant_a.organisation)
    assert [start(w).number for _ in range(3)] == [1, 2, 3]


def test_mentors_in_the_registry_only_take_part_and_the_approved_are_explained(tenant_a):
    programme = approved_programme(tenant_a.organisation)
    mentor(programme, status="approved")
    mentor(programme, status="candidate")
    waiting = mentee(programme)

    run = services.run_start(programme, builtin_form(STUDENTS), RunSettings(), by=None)

    assert not run.proposals.exists()
    assert run.unmatched.get(mentee=waiting).reason == "no_eligible_mentor"
    assert run.summary["mentors"] == 1


def test_a_mentee_without_consent_is_left_out_and_says_why(tenant_a):
    w = world(tenant_a.organisation, mentees=1, mentors=1)
    without = mentee(w.programme, with_consent=False)

    run = start(w)

    assert run.unmatched.get(mentee=without).reason == "consent_missing"


def test_a_withdrawn_consent_keeps_the_person_out_of_the_run(tenant_a):
    w = world(tenant_a.organisation, mentees=2, mentors=1)
    gone = w.mentees[0]
    Consent.objects.filter(subject=gone.person, purpose=Purpose.PROCESSING).update(
        withdrawn_at=timezone.now()
    )

    run = start(w)

    assert not run.proposals.filter(mentee=gone).exists()
    assert not run.unmatched.filter(mentee=gone).exists()


def test_no_pairs_inside_one_family(tenant_a):
    programme = approved_programme(tenant_a.organisation)
    child = mentee(programme)
    parent = parent_of(child.person)
    mentor(programme, person=parent, category="parent", grade=None, forms=(STUDENTS,))

    run = services.run_start(programme, builtin_form(STUDENTS), RunSettings(), by=None)

    assert run.unmatched.get(mentee=child).reason == "rules_exclude_all"


def test_a_mentor_filled_by_active_pairs_stays_out_with_a_note(tenant_a):
    w = world(tenant_a.organisation, mentees=2, mentors=1)
    run = start(w)
    confirm(w, run)
    newcomer = mentee(w.programme)

    later = start(w)

    assert later.unmatched.get(mentee=newcomer).reason == "no_mentor_of_form"
    assert later.notes == [
        {"code": "mentors_full", "people": [w.mentors[0].person_id], "pairs": []}
    ]


def test_preferences_naming_people_outside_the_run_are_set_aside_with_a_note(tenant_a):
    w = world(tenant_a.organisation, mentees=1, mentors=1)
    outsider = mentor(w.programme, forms=("teacher-teacher",))
    w.mentees[0].preferences = [outsider.person_id, w.mentors[0].person_id]
    w.mentees[0].save()

    run = start(w)

    assert run.proposals.get().mentee_rank == 1
    assert run.notes == [
        {
            "code": "mentee_preferences_outside",
            "people": [],
            "pairs": [[w.mentees[0].person_id, outsider.person_id]],
        }
    ]


def test_a_group_mentor_takes_several_mentees_as_one_group(tenant_a):
    programme = approved_programme(tenant_a.organisation)
    leader = mentor(programme, leads_group=True, capacity=4)
    mentees = [mentee(programme) for _ in range(3)]
    run = services.run_start(programme, builtin_form(STUDENTS), RunSettings(), by=None)
    assert run.proposals.filter(mentor=leader).count() == 3

    confirm_world = type("W", (), {"org": tenant_a.organisation})
    services.run_confirm(
        run,
        order=order_details(confirm_world),
        started_on=org_today(tenant_a.organisation),
        planned_end=org_today(tenant_a.organisation) + timedelta(days=100),
        by=None,
    )

    [group] = Mentorship.objects.all()
    assert group.is_group
    assert set(group.members.values_list("mentee", flat=True)) == {m.pk for m in mentees}


# --- Bad input --------------------------------------------------------------------------------


def test_a_mentee_of_the_base_without_a_form_stops_the_run_by_name(tenant_a):
    w = world(tenant_a.organisation)
    formless = mentee(w.programme, form=None)

    refused(
        lambda: start(w),
        "These mentees of the base have no mentoring form: %(names)s. Choose a form for each "
        "of them in the mentee base, then start the run again.",
        formless.person.full_name,
    )


def test_weights_all_zero_are_refused(tenant_a):
    w = world(tenant_a.organisation)
    zero = {c: 0 for c in RunSettings().weight_map}

    refused(
        lambda: start(w, RunSettings(weights=zero)),
        "All weights are zero: give at least one criterion a weight above zero.",
    )


def test_negative_weights_are_refused_by_criterion(tenant_a):
    w = world(tenant_a.organisation)

    refused(
        lambda: start(w, RunSettings(weights={"subjects": -1})),
        "Weights must be zero or positive numbers; these are not: %(names)s.",
        gettext("Subjects"),
    )


def test_nothing_to_match_is_said_plainly(tenant_a):
    programme = approved_programme(tenant_a.organisation)
    mentor(programme)

    refused(
        lambda: services.run_start(programme, builtin_form(STUDENTS), RunSettings(), by=None),
        "There is nobody to match in the form «%(form)s»: no mentee of the base is waiting "
        "for a mentor.",
    )


def test_a_form_outside_the_programme_is_refused(tenant_a):
    w = world(tenant_a.organisation)

    refused(
        lambda: services.run_start(
            w.programme, builtin_form("employer-pupil"), RunSettings(), by=None
        ),
        "The form «%(form)s» is not one of the programme's forms.",
    )


# --- Locks, exclusions, swaps, reruns ----------------------------------------------------------


def test_a_rerun_keeps_the_locks_and_the_exclusions(tenant_a):
    w = world(tenant_a.organisation, mentees=3, mentors=2)
    run = start(w)
    kept, dropped = list(run.proposals.order_by("pk"))
    services.proposal_lock(kept, True, by=None)
    services.proposal_exclude(dropped, by=None)
    assert run.unmatched.filter(mentee=dropped.mentee, reason="pair_excluded").exists()

    again = start(w, source=run)

    assert again.source == run
    assert again.proposals.get(mentee=kept.mentee).mentor_id == kept.mentor_id
    assert again.proposals.get(mentee=kept.mentee).locked
    assert not again.proposals.filter(mentee=dropped.mentee, mentor=dropped.mentor).exists()
    assert Exclusion.objects.filter(
        run=again, mentee=dropped.mentee, mentor=dropped.mentor
    ).exists()


def test_a_lock_that_breaks_a_hard_rule_stops_the_rerun_by_name(tenant_a):
    w = world(tenant_a.organisation, mentees=1, mentors=1)
    run = start(w)
    pair = run.proposals.get()
    services.proposal_lock(pair, True, by=None)
    # The mentor leaves the registry meanwhile: the lock can no longer hold.
    w.mentors[0].status = "approved"
    w.mentors[0].save()

    refused(
        lambda: start(w, source=run),
        "In these locked pairs someone cannot take part now (a mentor not in the registry, "
        "a mentee who is not eligible): %(names)s.",
        w.mentees[0].person.full_name,
        w.mentors[0].person.full_name,
    )


def test_swapping_to_another_mentor_checks_places_and_locks_the_pair(tenant_a):
    w = world(tenant_a.organisation, mentees=2, mentors=3)
    run = start(w)
    proposals = {p.mentor_id: p for p in run.proposals.all()}
    free = next(m for m in w.mentors if m.pk not in proposals)
    pair = next(iter(proposals.values()))

    candidates = services.candidates_for(run, pair.mentee)
    assert {c.mentor.pk for c in candidates} == {m.pk for m in w.mentors}
    assert next(c for c in candidates if c.current).mentor.pk == pair.mentor_id

    services.mentee_assign(run, pair.mentee, free, by=None)

    pair.refresh_from_db()
    assert (pair.mentor_id, pair.locked, pair.swapped) == (free.pk, True, True)
    assert sum(c["points"] for c in pair.breakdown["criteria"].values()) == pair.score
    run.refresh_from_db()
    assert run.summary["edited"]


def test_swapping_to_a_mentor_without_a_free_place_is_refused(tenant_a):
    w = world(tenant_a.organisation, mentees=2, mentors=2)
    run = start(w)
    first, second = run.proposals.order_by("pk")

    refused(
        lambda: services.mentee_assign(run, first.mentee, second.mentor, by=None),
        "%(name)s has no free place left in this run",
        second.mentor.person.full_name,
    )


def test_swapping_to_a_relative_is_refused(tenant_a):
    w = world(tenant_a.organisation, mentees=1, mentors=1)
    child = w.mentees[0]
    parent = mentor(
        w.programme, person=parent_of(child.person), category="parent", forms=(STUDENTS,)
    )
    run = start(w)

    refused(
        lambda: services.mentee_assign(run, child, parent, by=None),
        "These pairs are of one family, and nobody mentors a relative: %(names)s.",
        child.person.full_name,
    )


def test_a_mentee_left_alone_can_be_given_a_mentor_with_a_free_place(tenant_a):
    w = world(tenant_a.organisation, mentees=2, mentors=1, capacity=1)
    spare = mentor(w.programme, capacity=1, availability=["сб-утро"])
    run = start(w)
    alone = run.unmatched.get()
    assert not run.proposals.filter(mentor=spare).exists()  # no common time with anyone

    services.mentee_assign(run, alone.mentee, spare, by=None)

    assert run.proposals.get(mentee=alone.mentee).mentor == spare
    assert not run.unmatched.exists()


def test_an_excluded_pair_is_not_chosen_again(tenant_a):
    w = world(tenant_a.organisation, mentees=1, mentors=1)
    run = start(w)
    pair = run.proposals.get()
    services.proposal_exclude(pair, by=None)

    refused(
        lambda: services.mentee_assign(run, pair.mentee, pair.mentor, by=None),
        "The pair %(mentee)s — %(mentor)s is excluded in this run.",
    )


# --- Confirming -------------------------------------------------------------------------------


def test_confirming_creates_the_pairs_the_order_and_marks_those_left_alone(tenant_a):
    w = world(tenant_a.organisation)
    run = start(w)
    pairs = {p.mentee_id: p for p in run.proposals.all()}
    alone = run.unmatched.get().mentee

    confirm(w, run)

    run.refresh_from_db()
    assert run.status == RunStatus.CONFIRMED and run.confirmed_at
    mentorships = list(Mentorship.objects.filter(matching_run=run))
    assert len(mentorships) == 2
    for made in mentorships:
        assert not made.is_group
        assert made.mode == "optimal" and made.weights == run.weights
        assert made.pairs_order == run.order
        member = made.members.get()
        assert member.active and member.score == pairs[member.mentee_id].score
        member.mentee.refresh_from_db()
        assert member.mentee.status == MenteeStatus.PAIRED
    alone.refresh_from_db()
    assert alone.support_needed and alone.status == MenteeStatus.IN_BASE
    order = run.order
    assert order.kind == "pairs" and order.status == OrderStatus.DRAFT
    text = docx_text(order.document.read())
    assert "О закреплении наставнических пар (групп)" in text
    assert "СОСТАВ НАСТАВНИЧЕСКИХ ПАР (ГРУПП)" in text
    for made in mentorships:
        assert made.mentor.person.full_name in text
        assert made.members.get().mentee.person.full_name in text
    assert "не закреплённых за наставниками (1 чел.)" in text
    assert "«Ученик – ученик»" in text
    assert RoadmapEvent.objects.get(programme=w.programme, template_code="matching").done_on


def test_signing_the_order_marks_the_roadmap_step_done(tenant_a):
    w = world(tenant_a.organisation)
    run = start(w)
    confirm(w, run)
    run.refresh_from_db()

    order_sign(run.order, ContentFile(PDF, name="scan.pdf"), by=None)

    event = RoadmapEvent.objects.get(programme=w.programme, template_code="pairs_order")
    assert event.done_on and run.order.number in event.done_note


def test_confirming_twice_is_refused(tenant_a):
    w = world(tenant_a.organisation)
    run = start(w)
    confirm(w, run)

    refused(
        lambda: confirm(w, MatchingRun.objects.get(pk=run.pk), order=order_details(w, "78-о")),
        "The run is already confirmed: its pairs exist and the order is made.",
    )


def test_a_stale_run_is_refused_and_offers_a_rerun(tenant_a):
    w = world(tenant_a.organisation)
    run = start(w)
    w.mentees[0].request_text = "Хочу заниматься робототехникой"
    w.mentees[0].save()

    refused(
        lambda: confirm(w, run),
        "The bases changed since this run was made (new or changed mentees or mentors, "
        "consents, pairs formed meanwhile): run it again and confirm the new run.",
    )
    assert services.run_is_stale(run)


def test_confirming_one_run_supersedes_the_others_of_the_form(tenant_a):
    w = world(tenant_a.organisation)
    first, second = start(w), start(w)

    confirm(w, second)

    first.refresh_from_db()
    assert first.status == RunStatus.SUPERSEDED
    refused(
        lambda: confirm(w, first, order=order_details(w, "79-о")),
        "The run is %(status)s: only a proposed run can be changed or confirmed.",
    )


def test_a_mentorship_lasts_at_most_a_year(tenant_a):
    w = world(tenant_a.organisation)
    run = start(w)
    today = org_today(w.org)

    refused(
        lambda: confirm(w, run, started_on=today, planned_end=latest_end(today) + timedelta(1)),
        "A mentorship lasts at most one year: the planned end can be %(latest)s at the latest.",
    )
    confirm(w, run, started_on=today, planned_end=latest_end(today))
    assert Mentorship.objects.filter(planned_end=latest_end(today)).count() == 2


def test_the_database_refuses_a_term_over_a_year_too(tenant_a):
    from django.db import IntegrityError, transaction

    w = world(tenant_a.organisation, mentees=1, mentors=1)
    confirm(w, start(w))
    made = Mentorship.objects.get()
    made.planned_end = made.started_on + timedelta(days=400)
    with pytest.raises(IntegrityError), transaction.atomic():
        made.save()


def test_a_run_for_those_left_alone_keeps_the_existing_pairs(tenant_a):
    w = world(tenant_a.organisation, mentees=3, mentors=2, capacity=1)
    run = start(w)
    confirm(w, run)
    alone = run.unmatched.get().mentee
    newcomer = mentee(w.programme)
    mentor(w.programme, capacity=1)

    later = start(w, RunSettings(only_unmatched=True))

    assert later.only_unmatched
    assert set(later.proposals.values_list("mentee", flat=True)) == {alone.pk}
    assert not later.unmatched.filter(mentee=newcomer).exists()
    confirm(w, later, order=order_details(w, "80-о"))
    assert MentorshipMentee.objects.filter(active=True).count() == 3
    alone.refresh_from_db()
    assert alone.status == MenteeStatus.PAIRED and not alone.support_needed


def test_the_unmatched_without_consent_are_not_marked(tenant_a):
    w = world(tenant_a.organisation, mentees=1, mentors=1)
    without = mentee(w.programme, with_consent=False)
    run = start(w)

    confirm(w, run)

    without.refresh_from_db()
    assert not without.support_needed
    assert UnmatchedMentee.objects.filter(run=run, mentee=without).exists()


def test_a_deleted_draft_order_can_be_made_again(tenant_a):
    from nastavnik.orders.services import order_delete

    w = world(tenant_a.organisation)
    run = start(w)
    confirm(w, run)
    run.refresh_from_db()
    order_delete(run.order, by=None)
    run.refresh_from_db()
    assert run.order is None

    made = services.run_order_create(run, order_details(w, "81-о"), by=None)

    assert set(Mentorship.objects.values_list("pairs_order", flat=True)) == {made.pk}
    refused(
        lambda: services.run_order_create(run, order_details(w, "82-о"), by=None),
        "The run already has its order (№ %(number)s).",
    )


def test_changes_to_a_confirmed_run_are_refused(tenant_a):
    w = world(tenant_a.organisation)
    run = start(w)
    confirm(w, run)
    pair = Proposal.objects.filter(run=run).first()

    refused(
        lambda: services.proposal_lock(pair, True, by=None),
        "The run is already confirmed: its pairs exist and the order is made.",
    )
    refused(
        lambda: services.proposal_exclude(pair, by=None),
        "The run is already confirmed: its pairs exist and the order is made.",
    )


def test_role_model_rule_is_set_aside_without_any_mentor_mark(tenant_a):
    w = world(tenant_a.organisation, mentees=1, mentors=1)
    seeker = w.mentees[0]
    seeker.role_model = role_model("Успевающий – неуспевающий")
    seeker.results = "3.2"
    seeker.save()

    run = start(w)

    assert run.proposals.filter(mentee=seeker).exists()
    assert run.notes == [
        {
            "code": "results_rule_unchecked",
            "people": [],
            "pairs": [],
            "words": ["Успевающий – неуспевающий"],
        }
    ]


def test_with_a_mentor_mark_the_results_rule_holds(tenant_a):
    from decimal import Decimal

    from nastavnik.assessments.models import Measure, Parameter, Phase

    w = world(tenant_a.organisation, mentees=1, mentors=2)
    seeker = w.mentees[0]
    seeker.role_model = role_model("Успевающий – неуспевающий")
    seeker.results = Decimal("4.5")
    seeker.save()
    weaker, stronger = w.mentors
    marks = Parameter.objects.get(code="academic_results", organisation__isnull=True)
    for the_mentor, value in ((weaker, "3.9"), (stronger, "4.8")):
        Measure.objects.create(
            organisation=w.org,
            programme=w.programme,
            person=the_mentor.person,
            parameter=marks,
            phase=Phase.ENTRY,
            value=Decimal(value),
            measured_on=org_today(w.org),
        )

    run = start(w)

    assert run.proposals.get(mentee=seeker).mentor == stronger
    assert [c.mentor for c in services.candidates_for(run, seeker)] == [stronger]
    assert run.notes == []


# --- Large runs in the background ---------------------------------------------------------------


def test_a_large_run_goes_to_the_task_queue(tenant_a, settings, django_capture_on_commit_callbacks):
    settings.MATCHING_INLINE_MENTEES = 2
    w = world(tenant_a.organisation)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        run = start(w)
    assert run.status == RunStatus.RUNNING and not run.proposals.exists()

    for callback in queued:
        callback()  # the test settings run the task at once
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED
    assert run.proposals.count() == 2 and run.unmatched.count() == 1


def test_a_background_run_the_engine_refuses_fails_with_the_message(
    tenant_a, settings, django_capture_on_commit_callbacks
):
    w = world(tenant_a.organisation, mentees=1, mentors=1)
    run = start(w)
    services.proposal_lock(run.proposals.get(), True, by=None)
    # The two turn out to be family: the lock breaks a rule only the engine's index checks.
    from nastavnik.people.tests.factories import GuardianLinkFactory

    GuardianLinkFactory(guardian=w.mentors[0].person, child=w.mentees[0].person, organisation=w.org)
    settings.MATCHING_INLINE_MENTEES = 0

    with django_capture_on_commit_callbacks(execute=True):
        again = start(w, source=run)

    again.refresh_from_db()
    assert again.status == RunStatus.FAILED
    assert w.mentees[0].person.full_name in again.error
    assert (
        gettext("These pairs are of one family, and nobody mentors a relative: %(names)s.").split(
            "%"
        )[0]
        in again.error
    )


def test_locks_of_people_paired_meanwhile_are_dropped_with_a_note(tenant_a):
    w = world(tenant_a.organisation, mentees=2, mentors=2, capacity=2)
    run = start(w)
    kept = run.proposals.first()
    services.proposal_lock(kept, True, by=None)
    confirm(w, run)
    mentee(w.programme)

    again = start(w, source=run)

    assert again.status == RunStatus.PROPOSED
    assert {
        "code": "locks_dropped",
        "people": [],
        "pairs": [[kept.mentee.person_id, kept.mentor.person_id]],
    } in again.notes
