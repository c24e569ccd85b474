"""The entry and exit assessment of participants: stage 2 of monitoring (seed 000 §5.2,
DESIGN §5). Each parameter is measured twice per participant and programme — before the
mentoring («вход») and after it («выход») — so its change can be shown and tested.

Built-in parameters (no organisation) come from the methodology (`builtin.py`, loaded by a data
migration); an organisation may add its own.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from nastavnik.core.tenancy import TenantModel, TenantQuerySet, account_link
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import Person
from nastavnik.programmes.models import Programme


class ParameterQuerySet(models.QuerySet["Parameter"]):
    def available_to(self, organisation: Organisation | int) -> ParameterQuerySet:
        """Built-in parameters and the organisation's own."""
        return self.filter(Q(organisation__isnull=True) | Q(organisation=organisation))


class Parameter(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The key questionnaires name it by: a question feeding "assessment.<code>".
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=160)
    scale_min = models.DecimalField(_("lowest value"), max_digits=7, decimal_places=2)
    scale_max = models.DecimalField(_("highest value"), max_digits=7, decimal_places=2)
    # Digits after the decimal point a value may have: 0 for whole numbers.
    decimals = models.PositiveSmallIntegerField(_("decimal places"), default=0)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = ParameterQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment parameter")
        verbose_name_plural = _("assessment parameters")
        ordering = ["order", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="parameter_unique_code_per_org"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(organisation__isnull=True),
                name="parameter_unique_builtin_code",
            ),
            models.CheckConstraint(
                condition=Q(scale_min__lt=models.F("scale_max")), name="parameter_scale_ordered"
            ),
            models.CheckConstraint(condition=Q(decimals__lte=2), name="parameter_decimals_0_2"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.organisation_id is None

    @property
    def step(self) -> Decimal:
        """The smallest step of a value: 1, 0.1 or 0.01."""
        return Decimal(1).scaleb(-self.decimals)

    @property
    def scale_label(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.show(self.scale_min)} – {self.show(self.scale_max)}{unit}"

    def show(self, value: Decimal | None) -> str:
        """A value with the parameter's own number of decimals, as the language writes it:
        «7», «4,25»."""
        if value is None:
            return ""
        return number_format(value.quantize(self.step), decimal_pos=self.decimals)


def improved(change: Decimal | None, higher_is_better: bool) -> bool:
    """Whether a parameter's change from entry to exit is for the better: a rise where higher
    is better, a fall where lower is. No change is neither better nor worse."""
    if not change:
        return False
    return (change > 0) == higher_is_better


def worsened(change: Decimal | None, higher_is_better: bool) -> bool:
    return bool(change) and not improved(change, higher_is_better)


class EntryAndExit:
    """A participant's values of a parameter at entry and at exit (either may be missing),
    and what their change says. A class that mixes it in has `entry`, `exit` and
    `higher_is_better`."""

    entry: Decimal | None
    exit: Decimal | None

    @property
    def higher_is_better(self) -> bool:
        raise NotImplementedError

    @property
    def change(self) -> Decimal | None:
        if self.entry is None or self.exit is None:
            return None
        return self.exit - self.entry

    @property
    def better(self) -> bool:
        return improved(self.change, self.higher_is_better)

    @property
    def worse(self) -> bool:
        return worsened(self.change, self.higher_is_better)


class Phase(models.TextChoices):
    ENTRY = "entry", _("Entry")
    EXIT = "exit", _("Exit")


class MeasureSource(models.TextChoices):
    MANUAL = "manual", _("Typed in")
    QUESTIONNAIRE = "questionnaire", _("From a questionnaire")


class MeasureQuerySet(TenantQuerySet["Measure"]):
    """An organisation's measures."""


class Measure(TenantModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="measures")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="measures")
    # RESTRICT: a parameter with measures stays as long as they do.
    parameter = models.ForeignKey(
        Parameter, on_delete=models.RESTRICT, related_name="measures", verbose_name=_("parameter")
    )
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices)
    value = models.DecimalField(_("value"), max_digits=7, decimal_places=2)
    measured_on = models.DateField(_("measured on"))
    source = models.CharField(
        _("source"), max_length=16, choices=MeasureSource.choices, default=MeasureSource.MANUAL
    )
    recorded_by = account_link()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["measured_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "person", "parameter", "phase"],
                name="measure_once_a_phase",
            )
        ]
        indexes = [models.Index(fields=["organisation", "programme", "parameter", "phase"])]

    def __str__(self) -> str:
        return f"{self.parameter_id} {self.phase} {self.value}"

    @property
    def value_text(self) -> str:
        return self.parameter.show(self.value)
