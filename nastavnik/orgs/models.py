from __future__ import annotations

import zoneinfo
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    # For hints only: accounts' models import this module.
    from nastavnik.accounts.models import User


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(tz)s"), params={"tz": value})


class Region(models.Model):
    """A federal subject of Russia (регион)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.CharField(_("code"), max_length=8, unique=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="municipality_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", _("School")
    COLLEGE = "college", _("College")
    TECHNOPARK = "technopark", _("Children's technopark")
    ADDITIONAL = "additional", _("Additional education")


class Organisation(models.Model):
    """The tenant: every row of the programme belongs to one organisation."""

    name = models.CharField(_("full name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=120)
    slug = models.SlugField(_("address in the system"), max_length=60, unique=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=OrganisationKind.choices, default=OrganisationKind.SCHOOL
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("municipality"),
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Moscow", validators=[validate_timezone]
    )
    inn = models.CharField(_("INN"), max_length=12, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # The organisation's own letterhead (a DOCX checked by orgs.letterhead), heading its orders.
    letterhead = models.FileField(_("letterhead blank"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name


class AcademicYear(models.Model):
    """1 September to 31 August, named by the year it starts in."""

    start_year = models.PositiveSmallIntegerField(
        _("start year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )

    class Meta:
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        ordering = ["-start_year"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.start_year}/{self.start_year + 1}"

    @property
    def starts_on(self) -> date:
        return date(self.start_year, 9, 1)

    @property
    def ends_on(self) -> date:
        return date(self.start_year + 1, 8, 31)

    @staticmethod
    def start_year_for(day: date) -> int:
        return day.year if day.month >= 9 else day.year - 1

    @classmethod
    def containing(cls, day: date) -> AcademicYear:
        year, _created = cls.objects.get_or_create(start_year=cls.start_year_for(day))
        return year


class Role(models.TextChoices):
    DIRECTOR = "director", _("Director")
    CURATOR = "curator", _("Curator")
    SPECIALIST = "specialist", _("Specialist")
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")
    GUARDIAN = "guardian", _("Legal guardian")
    COMMISSION_MEMBER = "commission_member", _("Commission member")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def for_user(self, user: User) -> MembershipQuerySet:
        return self.filter(user=user, organisation__isnull=False)


class Membership(models.Model):
    """An account's role in an organisation. One account may hold several roles."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class RegionalOperator(models.Model):
    """Sees aggregated figures of the organisations of a region or one municipality; never
    personal data."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="regional_roles"
    )
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="operators")
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="operators",
        help_text=_("Leave empty to cover the whole region."),
    )

    class Meta:
        verbose_name = _("regional operator")
        verbose_name_plural = _("regional operators")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region", "municipality"], name="regional_operator_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.municipality or self.region}"

    def organisations(self) -> models.QuerySet[Organisation]:
        if self.municipality_id:
            return Organisation.objects.filter(municipality_id=self.municipality_id)
        return Organisation.objects.filter(municipality__region_id=self.region_id)
