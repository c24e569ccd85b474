"""Self-match through its services: suggestions by the run's rules, one open request, the
mentor's answer in time, the curator's approval through the run's confirmation, the sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from nastavnik.consents.models import Purpose
from nastavnik.consents.services import consent_withdraw
from nastavnik.core import events
from nastavnik.matching import selfmatch, services
from nastavnik.matching.models import (
    SELFMATCH_MESSAGE_MAX,
    MatchingRun,
    SelfMatchRequest,
    SelfMatchStatus,
)
from nastavnik.matching.tests.data import mentor, snapshot
from nastavnik.matching.tests.selfmatch_data import selfmatch_world
from nastavnik.mentees.models import MenteeStatus
from nastavnik.mentorships.models import Mentorship
from nastavnik.orders.services import default_signatory
from nastavnik.people.validators import org_today


@pytest.fixture
def heard():
    """Every self-match event delivered, as (event, context)."""
    got: list[tuple[str, dict]] = []

    def listener(event, **context):
        got.append((event, context))

    names = [
        "selfmatch.requested",
        "selfmatch.answered",
        "selfmatch.expired",
        "selfmatch.reminder",
        "selfmatch.approved",
        "selfmatch.declined_by_curator",
        "selfmatch.closed",
    ]
    for name in names:
        events.subscribe(name, listener)
    yield got
    for name in names:
        events.unsubscribe(name, listener)


def _ask(w, mentee=None, mentor_pk=None, message="Помогите с ОГЭ по математике"):
    mentee = mentee or w.teen
    actor = mentee.person if mentee == w.teen else w.parent
    return selfmatch.request_create(
        mentee,
        mentor_pk if mentor_pk is not None else w.mentors[0].pk,
        message,
        actor=actor,
        by=None,
    )


def _approve(request):
    org = request.organisation
    today = org_today(org)
    return selfmatch.request_approve(
        request,
        order=services.OrderDetails("15-о", today, default_signatory(org)),
        started_on=today,
        planned_end=today + timedelta(days=200),
        by=None,
    )


def _refused(write, code):
    before = snapshot()
    requests = list(SelfMatchRequest.objects.order_by("pk").values_list())
    with pytest.raises(ValidationError) as caught:
        write()
    codes = (
        {e.code for e in caught.value.error_list} if hasattr(caught.value, "error_list") else set()
    )
    if hasattr(caught.value, "error_dict"):
        codes = {e.code for errors in caught.value.error_dict.values() for e in errors}
    assert code in codes
    assert snapshot() == before
    assert list(SelfMatchRequest.objects.order_by("pk").values_list()) == requests
    return caught.value


def test_suggestions_are_the_engines_admissible_mentors_with_reasons(tenant_a):
    w = selfmatch_world(tenant_a.organisation, mentors=4)
    found = selfmatch.suggestions_for(w.teen, org_today(w.org))
    assert len(found) == 3
    assert [s.points for s in found] == sorted((s.points for s in found), reverse=True)
    assert all(s.mentor in w.mentors for s in found)
    reasons = " ".join(found[0].reasons).lower()
    assert "математик" in reasons and "пн-вечер" in reasons, reasons


def test_a_mentor_who_did_not_agree_is_suggested_without_reasons(tenant_a):
    w = selfmatch_world(tenant_a.organisation, mentors=1)
    selfmatch.mentor_settings_save(w.mentors[0], paused=False, shows_reasons=False, by=None)
    (only,) = selfmatch.suggestions_for(w.teen, org_today(w.org))
    assert only.reasons == []


def test_paused_full_withdrawn_and_family_mentors_are_never_suggested(tenant_a):
    w = selfmatch_world(tenant_a.organisation, mentors=4)
    paused, withdrawn, sibling_mentor, kept = w.mentors
    selfmatch.mentor_settings_save(paused, paused=True, shows_reasons=True, by=None)
    consent = withdrawn.person.consents.get(purpose=Purpose.PARTICIPATION)
    consent_withdraw(consent, "Передумал", None)
    # The teen's own brother: one guardian for both.
    from nastavnik.people.tests.factories import GuardianLinkFactory, ParentFactory

    mum = ParentFactory(organisation=w.org)
    GuardianLinkFactory(guardian=mum, child=w.teen.person, organisation=w.org)
    GuardianLinkFactory(guardian=mum, child=sibling_mentor.person, organisation=w.org)
    found = selfmatch.suggestions_for(w.teen, org_today(w.org))
    assert [s.mentor for s in found] == [kept]


def test_requesting_asks_the_mentor_and_tells_who_must_know(
    tenant_a, heard, django_capture_on_commit_callbacks
):
    w = selfmatch_world(tenant_a.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        made = _ask(w, message="  Помогите с ОГЭ  ")
    assert made.status == SelfMatchStatus.PENDING and made.message == "Помогите с ОГЭ"
    assert made.mentor == w.mentors[0] and made.points > 0
    assert timedelta(days=4, hours=23) < made.answer_by - timezone.now() <= timedelta(days=5)
    assert heard == [("selfmatch.requested", {"request": made, "by": None, "for_self": True})]
    # While a request is open the mentee sees no more suggestions.
    assert selfmatch.suggestions_for(w.teen, org_today(w.org)) == []


def test_a_guardian_chooses_for_a_child_under_14_and_not_for_a_teen(tenant_a):
    w = selfmatch_world(tenant_a.organisation)
    _refused(
        lambda: selfmatch.request_create(
            w.child, w.mentors[0].pk, "Привет", actor=w.child.person, by=None
        ),
        "guardian_acts",
    )
    made = _ask(w, mentee=w.child)
    assert made.mentee == w.child
    # The parent of the child is nobody's guardian of the teen.
    _refused(
        lambda: selfmatch.request_create(
            w.teen, w.mentors[1].pk, "Привет", actor=w.parent, by=None
        ),
        "not_yours",
    )


def test_bad_requests_are_refused_and_change_nothing(tenant_a, tenant_b):
    w = selfmatch_world(tenant_a.organisation, mentors=4)
    other = selfmatch_world(tenant_b.organisation)
    _refused(lambda: _ask(w, message="   "), "message_empty")
    _refused(lambda: _ask(w, message="я" * (SELFMATCH_MESSAGE_MAX + 1)), "message_long")
    _refused(lambda: _ask(w, mentor_pk=other.mentors[0].pk), "not_suggested")
    _refused(lambda: _ask(w, mentor_pk="1; drop table"), "not_suggested")
    # The fourth mentor is admissible but below the three suggested.
    shown = {s.mentor.pk for s in selfmatch.suggestions_for(w.teen, org_today(w.org))}
    (hidden,) = [m for m in w.mentors if m.pk not in shown]
    _refused(lambda: _ask(w, mentor_pk=hidden.pk), "not_suggested")
    # Which three are suggested depends on the factories' random competencies: ask those.
    first, second = sorted(shown)[:2]
    _ask(w, mentor_pk=first)
    _refused(lambda: _ask(w, mentor_pk=second), "open_request")


def test_a_paused_mentor_cannot_be_asked(tenant_a):
    w = selfmatch_world(tenant_a.organisation)
    selfmatch.mentor_settings_save(w.mentors[0], paused=True, shows_reasons=True, by=None)
    _refused(lambda: _ask(w), "not_suggested")


def test_the_window_must_be_on_and_open(tenant_a):
    w = selfmatch_world(tenant_a.organisation)
    today = org_today(w.org)
    selfmatch.window_save(
        w.chosen,
        enabled=True,
        opens_on=today + timedelta(days=1),
        closes_on=today + timedelta(days=3),
        suggestions=3,
        answer_days=5,
        by=None,
    )
    assert selfmatch.suggestions_for(w.teen, today) == []
    _refused(lambda: _ask(w), "window_closed")
    selfmatch.window_save(
        w.chosen,
        enabled=False,
        opens_on=today,
        closes_on=today,
        suggestions=3,
        answer_days=5,
        by=None,
    )
    _refused(lambda: _ask(w), "not_enabled")


def test_window_settings_are_bounded(tenant_a):
    w = selfmatch_world(tenant_a.organisation)
    today = org_today(w.org)
    for values, code in (
        ({"opens_on": today, "closes_on": today - timedelta(days=1)}, "window_order"),
        ({"suggestions": 0}, "bounds"),
        ({"suggestions": 11}, "bounds"),
        ({"answer_days": 31}, "bounds"),
    ):
        given = {
            "enabled": True,
            "opens_on": today,
            "closes_on": today,
            "suggestions": 3,
            "answer_days": 5,
            **values,
        }
        _refused(lambda given=given: selfmatch.window_save(w.chosen, **given, by=None), code)


def test_the_mentor_answers_in_time_only(tenant_a, heard, django_capture_on_commit_callbacks):
    w = selfmatch_world(tenant_a.organisation)
    late = _ask(w)
    SelfMatchRequest.objects.filter(pk=late.pk).update(
        answer_by=timezone.now() - timedelta(minutes=1)
    )
    late.refresh_from_db()
    _refused(lambda: selfmatch.request_answer(late, accept=True, by=None), "expired")
    SelfMatchRequest.objects.filter(pk=late.pk).update(answer_by=timezone.now() + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        selfmatch.request_answer(late, accept=True, by=None)
    late.refresh_from_db()
    assert late.status == SelfMatchStatus.ACCEPTED and late.answered_at
    assert heard[-1][0] == "selfmatch.answered" and heard[-1][1]["accepted"] is True
    _refused(lambda: selfmatch.request_answer(late, accept=False, by=None), "not_pending")


def test_a_mentor_whose_place_is_promised_cannot_accept_another(tenant_a):
    w = selfmatch_world(tenant_a.organisation, mentors=1)
    first = _ask(w)
    selfmatch.request_answer(first, accept=True, by=None)
    # The mentor's only place is promised: no longer suggested, so a second mentee asks
    # nobody; a request made before the first was accepted cannot be accepted.
    assert selfmatch.suggestions_for(w.child, org_today(w.org)) == []
    second = SelfMatchRequest.objects.create(
        organisation=w.org,
        programme=w.programme,
        form=first.form,
        mentee=w.child,
        mentor=w.mentors[0],
        message="Привет",
        answer_by=timezone.now() + timedelta(days=2),
    )
    _refused(lambda: selfmatch.request_answer(second, accept=True, by=None), "mentor_full")


def test_a_declined_mentor_is_not_suggested_again(tenant_a):
    w = selfmatch_world(tenant_a.organisation)
    made = _ask(w)
    selfmatch.request_answer(made, accept=False, by=None)
    found = selfmatch.suggestions_for(w.teen, org_today(w.org))
    assert w.mentors[0] not in [s.mentor for s in found] and len(found) == 2


def test_approval_forms_the_pair_and_drafts_the_order(
    tenant_a, heard, django_capture_on_commit_callbacks
):
    w = selfmatch_world(tenant_a.organisation)
    made = _ask(w)
    _refused(lambda: _approve(made), "not_accepted")
    selfmatch.request_answer(made, accept=True, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        _approve(made)
    made.refresh_from_db()
    assert made.status == SelfMatchStatus.APPROVED
    pair = made.mentorship
    assert pair.mentor == w.mentors[0] and pair.mode == "selfmatch"
    assert pair.members.get().mentee == w.teen
    assert pair.pairs_order.kind == "pairs" and pair.pairs_order.title.startswith("О закреплении")
    w.teen.refresh_from_db()
    assert w.teen.status == MenteeStatus.PAIRED
    assert heard[-1][0] == "selfmatch.approved" and heard[-1][1]["order"] == pair.pairs_order
    # Twice is refused, and nothing more is made.
    _refused(lambda: _approve(made), "not_accepted")
    assert Mentorship.objects.count() == 1


def test_approval_is_refused_when_the_pair_became_inadmissible(tenant_a):
    w = selfmatch_world(tenant_a.organisation)
    made = _ask(w)
    selfmatch.request_answer(made, accept=True, by=None)
    consent = w.mentors[0].person.consents.get(purpose=Purpose.PARTICIPATION)
    consent_withdraw(consent, "Передумал", None)
    _refused(lambda: _approve(made), "no_longer_admissible")


def test_the_curator_declines_an_open_request_once(
    tenant_a, heard, django_capture_on_commit_callbacks
):
    w = selfmatch_world(tenant_a.organisation)
    made = _ask(w)
    with django_capture_on_commit_callbacks(execute=True):
        selfmatch.request_decline(made, by=None)
    made.refresh_from_db()
    assert made.status == SelfMatchStatus.OVERRIDDEN
    assert heard[-1][0] == "selfmatch.declined_by_curator"
    _refused(lambda: selfmatch.request_decline(made, by=None), "not_open")
    # The mentee may ask another mentor now.
    assert _ask(w, mentor_pk=w.mentors[1].pk).status == SelfMatchStatus.PENDING


def test_the_sweep_reminds_once_then_expires(tenant_a, heard, django_capture_on_commit_callbacks):
    w = selfmatch_world(tenant_a.organisation)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        made = _ask(w)
        assert selfmatch.requests_sweep(now) == {"reminded": 0, "expired": 0}
        soon = made.answer_by - timedelta(hours=12)
        assert selfmatch.requests_sweep(soon) == {"reminded": 1, "expired": 0}
        assert selfmatch.requests_sweep(soon) == {"reminded": 0, "expired": 0}
    with django_capture_on_commit_callbacks(execute=True):
        SelfMatchRequest.objects.filter(pk=made.pk).update(answer_by=now - timedelta(seconds=1))
        call_command("expire_selfmatch_requests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    made.refresh_from_db()
    assert made.status == SelfMatchStatus.EXPIRED
    assert [e for e, _c in heard] == [
        "selfmatch.requested",
        "selfmatch.reminder",
        "selfmatch.expired",
    ]
    _refused(lambda: selfmatch.request_answer(made, accept=True, by=None), "not_pending")


def test_a_run_keeps_accepted_self_matches_as_locks_and_matches_the_others(tenant_a):
    w = selfmatch_world(tenant_a.organisation, mentors=2)
    made = _ask(w)
    selfmatch.request_answer(made, accept=True, by=None)
    extra = mentor(w.programme, capacity=1, grade=11)
    assert extra
    run = services.run_start(w.programme, w.chosen.form, services.RunSettings(), by=None)
    locked = run.proposals.get(mentee=w.teen)
    assert locked.locked and locked.mentor == w.mentors[0]
    assert run.proposals.filter(mentee=w.child).exists()
    org = w.org
    today = org_today(org)
    services.run_confirm(
        run,
        order=services.OrderDetails("16-о", today, default_signatory(org)),
        started_on=today,
        planned_end=today + timedelta(days=200),
        by=None,
    )
    made.refresh_from_db()
    assert made.status == SelfMatchStatus.APPROVED and made.mentorship.matching_run == run
    assert MatchingRun.objects.get(pk=run.pk).status == "confirmed"
