from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nastavnik.catalogue import english
from nastavnik.orgs.models import Organisation


class MentoringKind(models.TextChoices):
    """Orthogonal to the form: how the mentoring is done (teacher-mentoring model 2022–2023)."""

    TRADITIONAL = "traditional", _("Traditional (one to one)")
    GROUP = "group", _("Group")
    VIRTUAL = "virtual", _("Virtual (remote)")
    REVERSE = "reverse", _("Reverse")
    SITUATIONAL = "situational", _("Situational")
    FLASH = "flash", _("Speed (flash) mentoring")


# The same kinds as documents print them: Russian content, not interface text.
KIND_DOCUMENT_NAMES: dict[str, str] = {
    MentoringKind.TRADITIONAL: "Традиционное (один на один)",
    MentoringKind.GROUP: "Групповое",
    MentoringKind.VIRTUAL: "Виртуальное (дистанционное)",
    MentoringKind.REVERSE: "Реверсивное",
    MentoringKind.SITUATIONAL: "Ситуационное",
    MentoringKind.FLASH: "Скоростное (флеш-наставничество)",
}


class CatalogueQuerySet(models.QuerySet):
    def available_to(self, organisation: Organisation) -> CatalogueQuerySet:
        """Built-in entries and the organisation's own."""
        return self.filter(Q(organisation__isnull=True) | Q(organisation=organisation))


class MentoringForm(models.Model):
    """A mentoring form (ученик – ученик, учитель – учитель …). Built-in rows have no
    organisation; an organisation may add its own."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    goal = models.TextField(_("goal"))
    mentor_description = models.CharField(_("who mentors"), max_length=200, blank=True)
    mentee_description = models.CharField(_("who is mentored"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=100)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentoring form")
        verbose_name_plural = _("mentoring forms")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="form_unique_code_per_org"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(organisation__isnull=True), name="form_unique_builtin"
            ),
        ]

    def __str__(self) -> str:
        return self.shown_name

    @property
    def is_builtin(self) -> bool:
        return self.organisation_id is None

    # The texts in the reader's language (`english`): a built-in form reads in English when
    # the interface is English; an organisation's own form reads as entered.
    @property
    def shown_name(self) -> str:
        return english.form_text(self, "name")

    @property
    def shown_goal(self) -> str:
        return english.form_text(self, "goal")

    @property
    def shown_mentor_description(self) -> str:
        return english.form_text(self, "mentor_description")

    @property
    def shown_mentee_description(self) -> str:
        return english.form_text(self, "mentee_description")


class RoleModel(models.Model):
    """A variant of a form («успевающий – неуспевающий», «лидер – пассивный» …) with its goal."""

    form = models.ForeignKey(MentoringForm, on_delete=models.CASCADE, related_name="role_models")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=160)
    goal = models.TextField(_("goal"))
    order = models.PositiveSmallIntegerField(default=100)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("role model")
        verbose_name_plural = _("role models")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.shown_name

    @property
    def is_builtin(self) -> bool:
        return self.organisation_id is None

    @property
    def shown_name(self) -> str:
        return english.role_model_text(self, "name")

    @property
    def shown_goal(self) -> str:
        return english.role_model_text(self, "goal")
