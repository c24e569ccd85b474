from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nastavnik.catalogue import english
from nastavnik.catalogue.english import FormField, RoleModelField
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


class CatalogueEntry(models.Model):
    """What forms and role models share: built in (no organisation) or an organisation's own,
    and their texts in the reader's language (`english`): a built-in entry reads in English
    when the interface is English; an organisation's own reads as entered."""

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.shown_name

    @property
    def is_builtin(self) -> bool:
        return self.organisation_id is None  # type: ignore[attr-defined]

    def _shown(self, field: RoleModelField) -> str:
        raise NotImplementedError

    @property
    def shown_name(self) -> str:
        return self._shown("name")

    @property
    def shown_goal(self) -> str:
        return self._shown("goal")


class MentoringForm(CatalogueEntry):
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

    def _shown(self, field: FormField) -> str:
        return english.form_text(self, field)

    @property
    def shown_mentor_description(self) -> str:
        return self._shown("mentor_description")

    @property
    def shown_mentee_description(self) -> str:
        return self._shown("mentee_description")


class RoleModel(CatalogueEntry):
    """A variant of a form («успевающий – неуспевающий», «лидер – пассивный» …) with its goal."""

    form = models.ForeignKey(MentoringForm, on_delete=models.CASCADE, related_name="role_models")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=160)
    goal = models.TextField(_("goal"))
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("role model")
        verbose_name_plural = _("role models")
        ordering = ["order", "name"]

    def _shown(self, field: RoleModelField) -> str:
        return english.role_model_text(self, field)
