"""Who is in the shared mentor base: the one rule, read by the shared base's pages and steps
(`sharing`), by a run that includes shared mentors (`profiles`) and by a region's run
(`region`). Kept apart from them so that none imports another for it.

A mentor is shared when in the registry of an approved programme, agreed to be offered
(`Mentor.share_with_others`, set by the home curator at the mentor's word), and with valid
consents to participation and to sharing the profile; the data of a person who withdrew the
processing consent are never shown. The scope is the municipality: the engine's shared blocks
are the municipality's (seed 004, stage 3), and a mentor travels to a school of the town, not
across the region.
"""

from __future__ import annotations

from datetime import date

from nastavnik.consents.models import Purpose
from nastavnik.consents.rules import hidden_q, valid_consent_q
from nastavnik.mentors.models import Mentor, MentorQuerySet, MentorStatus
from nastavnik.orgs.models import Organisation
from nastavnik.programmes.models import ProgrammeStatus


def shareable_mentors(on: date) -> MentorQuerySet:
    """Mentors any organisation of their municipality may be offered on `on`."""
    return (
        Mentor.objects.filter(
            share_with_others=True,
            status=MentorStatus.REGISTERED,
            programme__status=ProgrammeStatus.APPROVED,
        )
        .exclude(hidden_q(on, ref="person"))
        .filter(valid_consent_q(Purpose.PARTICIPATION, on, ref="person"))
        .filter(valid_consent_q(Purpose.SHARING, on, ref="person"))
    )


def shared_mentors_for(organisation: Organisation, on: date) -> MentorQuerySet:
    """The other organisations' shared mentors the organisation may find and ask for."""
    return (
        shareable_mentors(on)
        .filter(organisation__municipality_id=organisation.municipality_id)
        .exclude(organisation_id=organisation.pk)
    )
