"""The SWOT analysis of a programme year: the curator's conclusion from stage 1 of monitoring
(seed 000 §5.1: «По результатам опроса … будет предоставлен SWOT-анализ»).

One analysis per programme. Its items sit in four quadrants; each was either written by the
curator or accepted from a candidate the system offered from the data (`monitoring.swot`).
A candidate the curator discarded is remembered by its key, so it is not offered again.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nastavnik.core.tenancy import TenantModel, account_link
from nastavnik.programmes.models import Programme


class Quadrant(models.TextChoices):
    STRENGTHS = "S", _("Strengths")
    WEAKNESSES = "W", _("Weaknesses")
    OPPORTUNITIES = "O", _("Opportunities")
    THREATS = "T", _("Threats")


class ItemSource(models.TextChoices):
    CURATOR = "curator", _("Written by the curator")
    CANDIDATE = "candidate", _("Accepted from the data")


class SwotAnalysis(TenantModel):
    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="swot", verbose_name=_("programme")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = account_link()

    class Meta:
        verbose_name = _("SWOT analysis")
        verbose_name_plural = _("SWOT analyses")

    def __str__(self) -> str:
        return f"SWOT {self.programme_id}"


class SwotItem(TenantModel):
    analysis = models.ForeignKey(SwotAnalysis, on_delete=models.CASCADE, related_name="items")
    quadrant = models.CharField(_("quadrant"), max_length=1, choices=Quadrant.choices)
    text = models.TextField(_("text"))
    source = models.CharField(
        _("source"), max_length=12, choices=ItemSource.choices, default=ItemSource.CURATOR
    )
    # The candidate an accepted item came from: it is not offered again.
    candidate_key = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("SWOT item")
        verbose_name_plural = _("SWOT items")
        ordering = ["quadrant", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quadrant__in=["S", "W", "O", "T"]), name="swot_item_quadrant_known"
            ),
            models.UniqueConstraint(
                fields=["analysis", "candidate_key"],
                condition=~Q(candidate_key=""),
                name="swot_candidate_accepted_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quadrant}: {self.text[:40]}"


class SwotDiscard(TenantModel):
    """A candidate the curator set aside: remembered so that it is not offered again."""

    analysis = models.ForeignKey(SwotAnalysis, on_delete=models.CASCADE, related_name="discards")
    candidate_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "candidate_key"], name="swot_candidate_discarded_once"
            )
        ]

    def __str__(self) -> str:
        return self.candidate_key
