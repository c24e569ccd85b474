"""The one way views fetch plans and their items: through the pairs the user may work on
(`mentorships.access.workable`), so a mentor or a mentee of another pair gets 404 like an
outsider does."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from nastavnik.accounts.models import User
from nastavnik.core.access import OrgContext
from nastavnik.mentorships.access import workable
from nastavnik.plans.models import PlanItem


def plan_item_for(ctx: OrgContext, user: User, pk: int) -> PlanItem:
    return get_object_or_404(
        PlanItem.objects.for_org(ctx.organisation)
        .filter(plan__mentorship__in=workable(ctx, user).values("pk"))
        .select_related("plan__mentorship"),
        pk=pk,
    )
