"""`{{ mentorship|suspension }}`: the one derived answer (`mentorships.suspension`) for every
page that shows a pair or group — the curator's, the mentor's, the mentee's and the guardian's."""

from __future__ import annotations

from django import template

from nastavnik.mentorships.models import Mentorship
from nastavnik.mentorships.suspension import Suspension, suspension_of

register = template.Library()


@register.filter
def suspension(mentorship: Mentorship) -> Suspension:
    # Cached on the instance: a page asks several times about the same pair.
    cached = getattr(mentorship, "_suspension", None)
    if cached is None:
        cached = suspension_of(mentorship)
        mentorship._suspension = cached  # type: ignore[attr-defined]
    return cached


@register.filter
def suspended_member(suspension: Suspension, person_id: int) -> bool:
    return suspension.of(person_id)
