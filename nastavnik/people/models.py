from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nastavnik.core.dates import age_on
from nastavnik.core.tenancy import Authored, TenantModel, TenantQuerySet, account_link
from nastavnik.core.text import fold, initials
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


class PersonQuerySet(TenantQuerySet["Person"]):
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
        parts = (self.last_name, initials(self.first_name, self.middle_name))
        return " ".join(p for p in parts if p)

    @property
    def class_name(self) -> str:
        return f"{self.grade}{self.class_letter}" if self.grade else ""

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        return age_on(self.birth_date, day)

    @property
    def subject_list(self) -> list[str]:
        return [s.strip() for s in self.subjects.split(",") if s.strip()]


class GuardianRelation(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    GUARDIAN = "guardian", _("Guardian")
    TRUSTEE = "trustee", _("Trustee")
    OTHER = "other", _("Other legal representative")


class GuardianLink(TenantModel):
    """A legal guardian of a child in the same organisation."""

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


class ImportStatus(models.TextChoices):
    MAPPING = "mapping", _("Choosing columns")
    PREVIEWING = "previewing", _("Checking the file")
    PREVIEWED = "previewed", _("Waiting for confirmation")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


def _import_file_path(job: ImportJob, filename: str) -> str:
    # The uploaded name may itself be personal data («7А Иванова.xlsx»): keep it in the row only.
    return f"people-imports/{job.organisation_id}/{uuid.uuid4().hex}"


class ImportJob(Authored, TenantModel):
    """One upload of a people list, from the column mapping through the preview to the result.

    The file is kept only while the import needs it: it is deleted once the import ends in any
    way (done, failed, cancelled) and after `JOB_RETENTION_HOURS` at the latest.
    """

    confirmed_by = account_link()
    kind = models.CharField(_("category"), max_length=16, choices=PersonKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.MAPPING
    )
    file = models.FileField(upload_to=_import_file_path, blank=True)
    # What the preview found the import would write (JSON), so the import need not judge the
    # file again when the registry has not changed since.
    plan_file = models.FileField(upload_to=_import_file_path, blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(max_length=8)
    encoding = models.CharField(max_length=16, blank=True)
    delimiter = models.CharField(max_length=1, blank=True)
    header_row = models.PositiveIntegerField(default=1)
    # {"<column number>": "<import field>"}; columns not in it are ignored.
    mapping = models.JSONField(default=dict, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    skip_invalid = models.BooleanField(default=False)
    preview = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    # Messages are stored rendered, in the language of whoever uploaded the file.
    language = models.CharField(max_length=8, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # While the preview or the import runs: until when it counts as alive (core.jobs), and its
    # task in the queue when it runs in the background.
    lease_until = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("people import")
        verbose_name_plural = _("people imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.PREVIEWING, ImportStatus.IMPORTING)

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))
