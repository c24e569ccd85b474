"""Rows behind the order URLs, for the project-wide isolation test."""

from datetime import date

from django.core.files.base import ContentFile

from nastavnik.orders.kinds import OrderKind
from nastavnik.orders.models import Order, OrderStatus
from nastavnik.orgs.models import Organisation
from nastavnik.people.tests.factories import StaffFactory


def _order(org: Organisation) -> int:
    # Made directly rather than through order_create: the isolation test builds this row for
    # every one of its hundreds of cases, and rendering a document each time would dominate it.
    # A signed one with a document and a scan, so every download URL has a file to refuse.
    order = Order(
        organisation=org,
        kind=OrderKind.PROGRAMME_APPROVAL,
        number="1",
        number_key="1",
        year=2025,
        date=date(2025, 9, 1),
        title="Об утверждении программы наставничества",
        status=OrderStatus.SIGNED,
        signatory=StaffFactory(organisation=org, position="Директор"),
        signatory_position="Директор",
    )
    order.document.save(f"orders/{org.pk}/test.docx", ContentFile(b"PK"), save=False)
    order.scan.save(f"orders/{org.pk}/scan.pdf", ContentFile(b"%PDF-1.4"), save=False)
    order.save()
    return order.pk


ROW_MAKERS = {"order_pk": _order}
