"""Writes to the register of orders. Every app that issues an order comes through here.

`order_create` is the reusable door: a kind (see `kinds.py`), the objects the order concerns,
its number, date and signatory. The document is generated from the data at once and again on
every change while the order is a draft; once signed, the order and its document are frozen.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nastavnik.accounts.models import User
from nastavnik.core.rules import rule_errors
from nastavnik.core.text import fold
from nastavnik.core.uploads import check_scan, delete_after_commit, scan_name
from nastavnik.orders.documents import render_order
from nastavnik.orders.kinds import OrderKind, spec_for
from nastavnik.orders.models import Order, OrderStatus, OrderSubject
from nastavnik.orgs.models import Organisation
from nastavnik.people.models import Person, PersonKind

logger = logging.getLogger(__name__)

NUMBER_MAX_LENGTH = 30
_NUMBER_RE = re.compile(r"[0-9A-Za-zА-Яа-яЁё][0-9A-Za-zА-Яа-яЁё\-/. ]*")
_LEADING_DIGITS = re.compile(r"^(\d+)(.*)$")

ORDER_MESSAGES = {
    "number_required": _("Enter the number of the order."),
    "number_format": _(
        "An order number is up to 30 characters: digits, letters, «-», «/» and «.», with at "
        "least one digit, for example «45-о»."
    ),
    "number_taken": _(
        "Order № %(number)s of %(year)s already exists: each order of a year needs its own number."
    ),
    "signatory": _("Choose a staff member of this organisation to sign the order."),
    "position": _("Enter the position of the person who signs the order."),
    "title": _("Enter the title of the order."),
    "signed": _("The order is signed: a signed order is kept as it is and cannot be changed."),
    "scan_required": _("Attach the scan of the signed order."),
}


_error = rule_errors(ORDER_MESSAGES)


def clean_number(number: str) -> str:
    number = " ".join((number or "").split())
    if not number:
        raise _error("number_required", "number")
    if (
        len(number) > NUMBER_MAX_LENGTH
        or not _NUMBER_RE.fullmatch(number)
        or not any(ch.isdigit() for ch in number)
    ):
        raise _error("number_format", "number")
    return number


def _check_number_free(
    organisation: Organisation, number: str, day: date, exclude_pk: int | None = None
) -> None:
    taken = Order.objects.filter(
        organisation=organisation, year=day.year, number_key=fold(number)
    ).exclude(pk=exclude_pk)
    if taken.exists():
        raise _error("number_taken", "number", number=number, year=day.year)


def _check_signatory(organisation: Organisation, signatory: Person | None, position: str) -> str:
    if (
        signatory is None
        or signatory.organisation_id != organisation.pk
        or signatory.kind != PersonKind.STAFF
    ):
        raise _error("signatory", "signatory")
    position = " ".join((position or signatory.position or "").split())
    if not position:
        raise _error("position", "signatory_position")
    return position


def _checked_details(
    organisation: Organisation,
    number: str,
    date: date,
    signatory: Person | None,
    signatory_position: str,
    title: str,
    exclude_pk: int | None = None,
) -> tuple[str, str, str]:
    """The number, the signatory's position and the title of a new or changed draft as they are
    stored (`exclude_pk`: the draft being changed, whose own number is not taken). All that is
    wrong is raised at once, so the form shows every error together."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        number = clean_number(number)
        _check_number_free(organisation, number, date, exclude_pk=exclude_pk)
    except ValidationError as error:
        errors.setdefault("number", []).extend(error.error_dict["number"])
    try:
        signatory_position = _check_signatory(organisation, signatory, signatory_position)
    except ValidationError as error:
        for field, items in error.error_dict.items():
            errors.setdefault(field, []).extend(items)
    title = " ".join((title or "").split())
    if not title:
        errors.setdefault("title", []).append(ValidationError(ORDER_MESSAGES["title"]))
    if errors:
        raise ValidationError(errors)
    return number, signatory_position, title


def order_next_number(organisation: Organisation, year: int) -> str:
    """The number after the highest of the year, with the same suffix («45-о» → «46-о»)."""
    best: tuple[int, str] | None = None
    for number in Order.objects.filter(organisation=organisation, year=year).values_list(
        "number", flat=True
    ):
        match = _LEADING_DIGITS.match(number)
        if match and (best is None or int(match.group(1)) > best[0]):
            best = (int(match.group(1)), match.group(2))
    if best is None:
        return "1"
    return f"{best[0] + 1}{best[1]}"


def default_signatory(organisation: Organisation) -> Person | None:
    """The director: the staff record of a director's account, else a staff member whose
    position is «Директор»."""
    staff = Person.objects.for_org(organisation).filter(kind=PersonKind.STAFF)
    by_account = staff.filter(
        user__memberships__organisation=organisation, user__memberships__role="director"
    ).first()
    if by_account is not None:
        return by_account
    # Compared in Python: SQLite folds the case of Latin letters only.
    for pk, position in staff.order_by("pk").values_list("pk", "position"):
        folded = fold(position)
        if folded == "директор" or folded.startswith("директор "):
            return staff.get(pk=pk)
    return None


@dataclass(frozen=True)
class OrderDetails:
    """The number, date and signatory of an order prepared together with the change it orders
    (pairs fixed, a mentor replaced, awards)."""

    number: str
    date: date
    signatory: Person | None
    signatory_position: str = ""


def order_defaults(organisation: Organisation, day: date) -> OrderDetails:
    """The next number of the year, the day, and the director as the signatory."""
    return OrderDetails(
        number=order_next_number(organisation, day.year),
        date=day,
        signatory=default_signatory(organisation),
    )


def _write_document(order: Order) -> None:
    """Render the order and store the document, replacing the previous one after commit."""
    content = render_order(order)
    previous = order.document.name
    order.document.save(
        f"orders/{order.organisation_id}/{uuid.uuid4().hex}.docx",
        ContentFile(content),
        save=False,
    )
    order.document_generated_at = timezone.now()
    order.save(update_fields=["document", "document_generated_at", "updated_at"])
    delete_after_commit(previous)


def _save_unique(order: Order, update_fields: list[str] | None = None) -> None:
    try:
        # A savepoint, so a number taken concurrently fails this call only.
        with transaction.atomic():
            order.save(update_fields=update_fields)
    except IntegrityError as error:
        raise _error("number_taken", "number", number=order.number, year=order.year) from error


@transaction.atomic
def order_create(
    organisation: Organisation,
    kind: str,
    *,
    number: str,
    date: date,
    signatory: Person | None,
    title: str,
    subjects: Sequence[models.Model] = (),
    signatory_position: str = "",
    by: User | None,
) -> Order:
    """A draft order of `kind` concerning `subjects` (rows of the same organisation), with its
    document generated from the data."""
    spec_for(kind)  # an unknown kind is a programming error, raised before anything is written
    for subject in subjects:
        if getattr(subject, "organisation_id", None) != organisation.pk:
            raise ValueError(f"{subject!r} does not belong to {organisation.slug}")
    number, signatory_position, title = _checked_details(
        organisation, number, date, signatory, signatory_position, title
    )

    order = Order(
        organisation=organisation,
        kind=OrderKind(kind),
        number=number,
        number_key=fold(number),
        year=date.year,
        date=date,
        title=title,
        signatory=signatory,
        signatory_position=signatory_position,
        created_by=by,
    )
    _save_unique(order)
    OrderSubject.objects.bulk_create(
        OrderSubject(
            organisation=organisation,
            order=order,
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
            label=str(subject)[:300],
        )
        for subject in subjects
    )
    _write_document(order)
    logger.info("order %s (%s) created in %s by %s", order.pk, kind, organisation.slug, by)
    return order


def order_draft(
    organisation: Organisation,
    kind: str,
    details: OrderDetails,
    *,
    title: str,
    subjects: Sequence[models.Model] = (),
    by: User | None,
) -> Order:
    """`order_create` with the number, date and signatory a page chose for the order of a
    change (`details`)."""
    return order_create(
        organisation,
        kind,
        number=details.number,
        date=details.date,
        signatory=details.signatory,
        signatory_position=details.signatory_position,
        title=title,
        subjects=subjects,
        by=by,
    )


def _locked_draft(order: Order) -> Order:
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.status != OrderStatus.DRAFT:
        raise _error("signed")
    return locked


@transaction.atomic
def order_update(
    order: Order,
    *,
    number: str,
    date: date,
    signatory: Person | None,
    title: str,
    signatory_position: str = "",
    by: User | None,
) -> Order:
    """Change a draft's number, date, title or signatory; the document is made again."""
    locked = _locked_draft(order)
    number, signatory_position, title = _checked_details(
        locked.organisation, number, date, signatory, signatory_position, title, locked.pk
    )
    locked.number, locked.number_key, locked.year = number, fold(number), date.year
    locked.date, locked.title = date, title
    locked.signatory, locked.signatory_position = signatory, signatory_position
    _save_unique(
        locked,
        update_fields=[
            "number",
            "number_key",
            "year",
            "date",
            "title",
            "signatory",
            "signatory_position",
            "updated_at",
        ],
    )
    _write_document(locked)
    logger.info("order %s updated by %s", locked.pk, by)
    return locked


@transaction.atomic
def order_regenerate(order: Order, by: User | None) -> Order:
    """Make a draft's document again from the current data (after the programme changed)."""
    locked = _locked_draft(order)
    _write_document(locked)
    logger.info("order %s regenerated by %s", locked.pk, by)
    return locked


@transaction.atomic
def order_delete(order: Order, by: User | None) -> None:
    locked = _locked_draft(order)
    document = locked.document.name
    locked.delete()
    delete_after_commit(document)
    logger.info("draft order %s deleted by %s", order.pk, by)


@transaction.atomic
def order_sign(order: Order, scan: object, by: User | None) -> Order:
    """Record that the director signed the order, with the scan of the signed paper.

    The kind's sign hook runs in the same transaction (the programme becomes approved); if it
    refuses, the order stays a draft.
    """
    locked = _locked_draft(order)
    if not scan:
        raise _error("scan_required", "scan")
    try:
        scan_type = check_scan(scan)  # type: ignore[arg-type]
    except ValidationError as error:
        raise ValidationError({"scan": error}) from error
    locked.status = OrderStatus.SIGNED
    locked.signed_at = timezone.now()
    locked.signed_by = by
    hook = spec_for(locked.kind).sign_hook()
    if hook is not None:
        hook(locked, by)
    locked.scan.save(
        scan_name(f"orders/{locked.organisation_id}/scans", scan_type),
        scan,  # type: ignore[arg-type]
        save=False,
    )
    locked.save(update_fields=["status", "signed_at", "signed_by", "scan", "updated_at"])
    logger.info("order %s signed by %s", locked.pk, by)
    return locked
