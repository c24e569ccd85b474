"""The one way views fetch orders: within the current organisation, 404 for anything else."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from nastavnik.core.access import OrgContext
from nastavnik.orders.models import Order, OrderQuerySet


def orders_of(ctx: OrgContext) -> OrderQuerySet:
    return Order.objects.for_org(ctx.organisation)


def order_for(ctx: OrgContext, pk: int) -> Order:
    return get_object_or_404(
        orders_of(ctx).select_related("organisation", "signatory", "signed_by", "created_by"),
        pk=pk,
    )
