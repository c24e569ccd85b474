"""The latest compliance count of each organisation, kept for the operators' pages.

Running every check of the registry costs an organisation a dozen queries and up to a second;
a region of 2,000 organisations cannot be counted while its operator waits. So each count is
kept when it is made — the organisation's dashboard and compliance page count it whenever
they are opened, and `manage.py count_compliance` counts every organisation once a day — and
the operator's pages read the kept figures, with the moment they were counted.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nastavnik.orgs.models import Organisation


class ComplianceTally(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    broken = models.PositiveIntegerField(_("rule breaches"))
    counted_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("compliance count")
        verbose_name_plural = _("compliance counts")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.broken}"
