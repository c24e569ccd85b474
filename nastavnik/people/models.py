from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nastavnik.core.text import fold
from nastavnik.orgs.models import Organisation


class PersonKind(models.TextChoices):
    STUDENT = "student", _("Student")
    STAFF = "staff", _("Staff member")
    PARENT = "parent", _("Parent / guardian")
    GRADUATE = "graduate", _("Graduate")
    EXTERNAL = "external", _("External person")


class Gender(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


class ExternalCategory(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    ENTREPRENEUR = "entrepreneur", _("Entrepreneur")
    UNIVERSITY_STUDENT = "university_student", _("University student")
    PARTNER = "partner", _("Representative of a partner organisation")


def person_name_key(last_name: str, first_name: str, middle_name: str = "") -> str:
    """The key two records of one person share: case, 'ё'/'е' and spacing ignored."""
    return fold(" ".join(part for part in (last_name, first_name, middle_name) if part))


class PersonQuerySet(models.QuerySet["Person"]):
    def for_org(self, organisation: Organisation) -> PersonQuerySet:
        return self.filter(organisation=organisation)

    def search(self, query: str) -> PersonQuerySet:
        """Every word of the query must occur in the full name (any order, any case)."""
        result = self
        for word in fold(query).split():
            result = result.filter(name_key__contains=word)
        return result

    def duplicates_of(
        self, organisation: Organisation, name_key: str, birth_date: date | None
    ) -> PersonQuerySet:
        return self.filter(organisation=organisation, name_key=name_key, birth_date=birth_date)


class Person(models.Model):
    """Anyone the programme knows: students, staff, parents, graduates, external people.

    Most never log in; `user` links the few who have an account.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    kind = models.CharField(_("category"), max_length=16, choices=PersonKind.choices)
    last_name = models.CharField(_("last name"), max_length=80)
    first_name = models.CharField(_("first name"), max_length=80)
    middle_name = models.CharField(_("patronymic"), max_length=80, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    # Students
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    class_letter = models.CharField(_("class letter"), max_length=2, blank=True)
    # Staff
    position = models.CharField(_("position"), max_length=120, blank=True)
    subjects = models.CharField(
        _("subjects"), max_length=300, blank=True, help_text=_("Separated by commas.")
    )
    experience_years = models.PositiveSmallIntegerField(
        _("years of experience"), null=True, blank=True
    )
    # Graduates
    graduation_year = models.PositiveSmallIntegerField(_("graduation year"), null=True, blank=True)
    # External people
    external_category = models.CharField(
        _("external category"), max_length=24, choices=ExternalCategory.choices, blank=True
    )
    workplace = models.CharField(_("place of work or study"), max_length=200, blank=True)

    notes = models.TextField(_("notes"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("account"),
    )
    # Folded full name: searched and matched in Python-normalised form on every database.
    name_key = models.CharField(max_length=250, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "middle_name", "pk"]
        indexes = [
            models.Index(fields=["organisation", "kind", "last_name"]),
            models.Index(fields=["organisation", "name_key", "birth_date"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(user__isnull=False),
                name="person_one_per_account_per_org",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        # A derived column, kept in step with the name it is derived from; not a business rule.
        self.name_key = person_name_key(self.last_name, self.first_name, self.middle_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_key"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def short_name(self) -> str:
        """'Иванова А. С.'"""
        initials = " ".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name} {initials}".strip()

    @property
    def class_name(self) -> str:
        return f"{self.grade}{self.class_letter}" if self.grade else ""

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def subject_list(self) -> list[str]:
        return [s.strip() for s in self.subjects.split(",") if s.strip()]


class GuardianRelation(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    GUARDIAN = "guardian", _("Guardian")
    TRUSTEE = "trustee", _("Trustee")
    OTHER = "other", _("Other legal representative")


class GuardianLink(models.Model):
    """A legal guardian of a child in the same organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="children_links")
    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="guardian_links")
    relation = models.CharField(_("relation"), max_length=16, choices=GuardianRelation.choices)

    class Meta:
        verbose_name = _("guardian link")
        verbose_name_plural = _("guardian links")
        constraints = [
            models.UniqueConstraint(fields=["guardian", "child"], name="guardian_link_unique"),
            models.CheckConstraint(
                condition=~models.Q(guardian=models.F("child")), name="guardian_not_child"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} → {self.child}"
