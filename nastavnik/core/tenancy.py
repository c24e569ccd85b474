"""What every organisation's own rows share: the organisation they belong to, and the one
filter that keeps a query inside it; and, for rows someone makes, who made them and when."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self, TypeVar

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from nastavnik.orgs.models import Organisation

M = TypeVar("M", bound=models.Model)


class TenantQuerySet(models.QuerySet[M]):
    """Rows that belong to one organisation; every org-scoped lookup starts with `for_org`."""

    def for_org(self, organisation: Organisation) -> Self:
        return self.filter(organisation=organisation)


class TenantModel(models.Model):
    """An organisation's own row. The field is the one the apps declared each for themselves
    (CASCADE, no reverse accessor), so inheriting it changes no column and no migration."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True


class Authored(models.Model):
    """A row someone made: who (kept empty when the account is deleted, no reverse accessor)
    and when. The fields are those the apps declared each for themselves, so inheriting them
    changes no column and no migration."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
