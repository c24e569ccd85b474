"""What every organisation's own rows share: the organisation they belong to, and the one
filter that keeps a query inside it; and, for rows someone makes, who made them and when."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self, TypeVar

from django.conf import settings
from django.db import models
from django.shortcuts import get_object_or_404
from django.urls import reverse

if TYPE_CHECKING:
    from nastavnik.accounts.models import User
    from nastavnik.orgs.models import Organisation

M = TypeVar("M", bound=models.Model)


class TenantQuerySet(models.QuerySet[M]):
    """Rows that belong to one organisation; every org-scoped lookup starts with `for_org`."""

    def for_org(self, organisation: Organisation) -> Self:
        return self.filter(organisation=organisation)


def org_row(model: type[M], organisation: Organisation, pk: int, *related: str) -> M:
    """The organisation's row `pk` of `model` with its `related` rows, or 404: a pk of another
    organisation's row looks exactly like a missing one."""
    rows = model._default_manager.filter(organisation=organisation)
    return get_object_or_404(rows.select_related(*related) if related else rows, pk=pk)


class TenantModel(models.Model):
    """An organisation's own row. The field is the one the apps declared each for themselves
    (CASCADE, no reverse accessor), so inheriting it changes no column and no migration."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True


def account_link() -> models.ForeignKey[User | None, User | None]:
    """The account that did something to a row (added, decided, signed it …): kept empty when
    the account is deleted, no reverse accessor. The field the apps declared each for
    themselves, so using it changes no column and no migration."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )


class Authored(models.Model):
    """A row someone made: who (kept empty when the account is deleted, no reverse accessor)
    and when. The fields are those the apps declared each for themselves, so inheriting them
    changes no column and no migration."""

    created_by = account_link()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class _PagedRow(Protocol):
    page_url: ClassVar[str]
    page_pk: ClassVar[str]
    pk: Any

    @property
    def organisation(self) -> Organisation: ...


class OrgPage:
    """A row with a page of its own in its organisation's site: the URL named `page_url`,
    which takes the organisation's slug and the row's pk as `page_pk`."""

    page_url: ClassVar[str]
    page_pk: ClassVar[str]

    def get_absolute_url(self: _PagedRow) -> str:
        return reverse(
            self.page_url, kwargs={"org_slug": self.organisation.slug, self.page_pk: self.pk}
        )
