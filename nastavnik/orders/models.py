"""The register of orders (приказы) of an organisation.

An order is prepared as a draft with a generated DOCX, printed, signed on paper by the
director, and then marked signed in the system with the signed scan attached. A signed order
is never changed or deleted: it is the organisation's record.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from nastavnik.core.tenancy import Authored, TenantModel, TenantQuerySet, account_link
from nastavnik.orders.kinds import OrderKind
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import Person


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")


class OrderQuerySet(TenantQuerySet["Order"]):
    def drafts(self) -> OrderQuerySet:
        return self.filter(status=OrderStatus.DRAFT)

    def signed(self) -> OrderQuerySet:
        return self.filter(status=OrderStatus.SIGNED)

    def about(self, subject: models.Model) -> OrderQuerySet:
        """Orders that name `subject` (a programme, a mentor …) among their subjects."""
        return self.filter(
            subjects__content_type=ContentType.objects.get_for_model(subject),
            subjects__object_id=subject.pk,
        )


class Order(Authored):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="orders")
    kind = models.CharField(_("kind"), max_length=32, choices=OrderKind.choices)
    number = models.CharField(_("number"), max_length=30)
    # The number as compared for uniqueness: case and spacing ignored («45-о» = «45-О»).
    number_key = models.CharField(max_length=30, editable=False)
    # Orders are numbered within a calendar year, as office work in Russia does.
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=500)
    status = models.CharField(
        _("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.DRAFT
    )
    # RESTRICT, not PROTECT: a signatory is never deleted from under an order, yet the order
    # goes with its organisation when the whole organisation is removed.
    signatory = models.ForeignKey(
        Person,
        on_delete=models.RESTRICT,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signatory_position = models.CharField(_("position of the signatory"), max_length=200)
    document = models.FileField(_("document"), blank=True)
    document_generated_at = models.DateTimeField(null=True, blank=True)
    scan = models.FileField(_("signed scan"), blank=True)
    signed_at = models.DateTimeField(_("marked signed at"), null=True, blank=True)
    signed_by = account_link()
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "number_key"], name="order_number_unique_per_year"
            )
        ]
        indexes = [models.Index(fields=["organisation", "year", "kind"])]

    def __str__(self) -> str:
        return f"№ {self.number} · {self.date:%d.%m.%Y}"

    @property
    def is_draft(self) -> bool:
        return self.status == OrderStatus.DRAFT

    @property
    def is_signed(self) -> bool:
        return self.status == OrderStatus.SIGNED

    def subject_pks(self, model: type[models.Model]) -> models.QuerySet[OrderSubject, int]:
        """The pks of the order's subjects that are rows of `model`."""
        return self.subjects.filter(
            content_type=ContentType.objects.get_for_model(model)
        ).values_list("object_id", flat=True)


class OrderSubject(TenantModel):
    """Something an order concerns: a programme, a mentor registry, a pair…"""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="subjects")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    # What the object was called when the order was made: the register keeps reading well
    # after the object is renamed or gone.
    label = models.CharField(max_length=300)

    class Meta:
        verbose_name = _("subject of an order")
        verbose_name_plural = _("subjects of orders")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "content_type", "object_id"], name="order_subject_unique"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.label
