"""`{% if org_ctx|can:"people.view" %}`: a template shows a link only to those who may follow it.

The one way templates ask about rights, so a link and the view behind it answer from the same
policy (`nastavnik.orgs.policy`) instead of each page passing flags or testing roles.
"""

from __future__ import annotations

from django import template

from nastavnik.core.access import OrgContext
from nastavnik.orgs.policy import Perm

register = template.Library()


@register.filter
def can(org_ctx: OrgContext | None, perm: str) -> bool:
    """Whether the reader holds `perm` (a `Perm` value) in the current organisation.

    An unknown name is a ValueError, not a silent False: a typo would hide a link for good.
    """
    wanted = Perm(perm)
    return org_ctx is not None and org_ctx.can(wanted)
