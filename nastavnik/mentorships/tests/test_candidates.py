"""The mentors offered to take a pair over: the engine's ranking for the pair's mentee, only
registered mentors of the form with a free place, those the engine rules out listed last."""

from __future__ import annotations

from nastavnik.matching.tests.data import approved_programme, mentor
from nastavnik.mentors.models import MentorStatus
from nastavnik.mentorships.candidates import replacement_candidates
from nastavnik.mentorships.tests.data import active_pair
from nastavnik.people.validators import org_today


def test_candidates_are_ranked_by_the_engine(tenant_a):
    programme = approved_programme(tenant_a.organisation)
    today = org_today(tenant_a.organisation)
    pair = active_pair(programme)
    close = mentor(programme)
    far = mentor(programme, competencies="Шахматы", subjects="", availability=["пн-вечер"])
    never_meets = mentor(programme, availability=["вс-утро"])
    full = mentor(programme, capacity=1)
    active_pair(programme, the_mentor=full)
    mentor(programme, status=MentorStatus.APPROVED)
    mentor(programme, forms=("teacher-teacher",))

    found = replacement_candidates(pair, today)

    assert [s.mentor for s in found] == [close, far, never_meets]
    assert found[0].points > found[1].points
    assert found[2].points is None and not found[2].suggested
    assert all(s.free >= 1 for s in found)


def test_a_group_is_offered_group_mentors_only(tenant_a):
    programme = approved_programme(tenant_a.organisation)
    group = active_pair(programme, mentees=2)
    leader = mentor(programme, leads_group=True, capacity=5)
    mentor(programme)

    found = replacement_candidates(group, org_today(tenant_a.organisation))

    assert [s.mentor for s in found] == [leader]
    assert found[0].suggested
