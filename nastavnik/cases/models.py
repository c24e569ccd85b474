"""The library of best-practice cases (stage 7, «кейсы лучших практик»).

A case tells how a mentoring pair or group met a problem: the situation, what was done, the
results and the lessons. It belongs to a programme and, when it grew out of one, to a pair or
group (`mentorship`), whose people it names.

Names are never stored in the case: they are read from the pair at the moment the case is shown,
and shown only while every person of the pair has a valid consent to publication (a minor's
comes from the legal guardian; `consents.rules` decides). A case may also be written
depersonalised (`without_names`): then nobody is named anywhere, and it may be published
without any consent. The text fields are the curator's own words and must not name people;
the form says so.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nastavnik.catalogue.models import MentoringForm, RoleModel
from nastavnik.core.tenancy import TenantModel, TenantQuerySet


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class CaseQuerySet(TenantQuerySet["Case"]):
    def published(self) -> CaseQuerySet:
        return self.filter(status=CaseStatus.PUBLISHED)


class Case(TenantModel):
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="cases",
        verbose_name=_("programme"),
    )
    # SET_NULL: a case outlives its pair; without the pair it names nobody.
    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("pair or group"),
    )
    form = models.ForeignKey(
        MentoringForm, on_delete=models.RESTRICT, related_name="+", verbose_name=_("form")
    )
    role_model = models.ForeignKey(
        RoleModel,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("role model"),
    )
    title = models.CharField(_("title"), max_length=300)
    situation = models.TextField(_("situation and problem"), blank=True)
    actions = models.TextField(_("what was done"), blank=True)
    results = models.TextField(_("results"), blank=True)
    lessons = models.TextField(_("lessons and advice"), blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=300, blank=True, help_text=_("Separated by commas.")
    )
    without_names = models.BooleanField(
        _("without names"),
        default=False,
        help_text=_(
            "Nobody of the pair is named, on the site or in the library; such a case may be "
            "published without consents."
        ),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    # The searched texts folded (lower case, ё as е): SQLite's LIKE folds Latin letters only,
    # so the library's search matches against this column on every database. Written by the
    # services with the texts it derives from.
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case of best practice")
        verbose_name_plural = _("cases of best practice")
        ordering = ["-published_at", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="case_published_has_date",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == CaseStatus.PUBLISHED

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]
