"""Region-scale matching through the application: the inputs come from the database (each
school's own mentors and the municipality's shared ones), and the proposals are written into
one run per school, each holding that school's mentees only."""

from __future__ import annotations

import pytest
from django.utils import timezone

from conftest import make_tenant
from nastavnik.matching.models import MatchingRun, Proposal, UnmatchedMentee
from nastavnik.matching.region import build_region_inputs, region_compute, region_write
from nastavnik.matching.tests.data import approved_programme, mentee
from nastavnik.matching.tests.test_sharing import _tenant, shared_mentor
from nastavnik.orgs.tests.factories import MunicipalityFactory
from nastavnik.programmes.tests.data import builtin_form

pytestmark = pytest.mark.django_db


def test_a_municipality_run_proposes_the_shared_mentor_to_another_school():
    town = MunicipalityFactory()
    home, host = _tenant("home-r", town), _tenant("host-r", town)
    shared = shared_mentor(home, capacity=1)
    not_shared = shared_mentor(home, capacity=1, share=False)
    pupil = mentee(approved_programme(host.organisation))
    far = make_tenant("far-r")
    far_pupil = mentee(approved_programme(far.organisation))
    orgs = [home.organisation, host.organisation, far.organisation]

    inputs = build_region_inputs(orgs, builtin_form("student-student"), timezone.localdate())
    assert {p.id for p in inputs.mentors} == {shared.person_id, not_shared.person_id}
    assert inputs.shared == 1
    written = region_write(inputs, region_compute(inputs), weights={})

    proposal = Proposal.objects.get(mentee=pupil)
    assert proposal.mentor == shared
    assert proposal.organisation == host.organisation
    assert proposal.run.organisation == host.organisation
    # The far school's pupil reaches no mentor: the shared one is another municipality's.
    assert UnmatchedMentee.objects.get(mentee=far_pupil).organisation == far.organisation
    assert written.proposals == 1
    assert set(MatchingRun.objects.values_list("organisation", flat=True)) == {
        host.organisation.pk,
        far.organisation.pk,
    }
