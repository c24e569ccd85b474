"""Writes of consents: recording a paper consent, the one-time link (issue and confirm),
withdrawal and depersonalisation. Views, commands and tests all come through here.

Each function is atomic, checks everything before it writes, raises ValidationError (per field
where it can) with nothing changed, and writes its audit entry in the same transaction.
"""

from __future__ import annotations

import logging
import secrets
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from nastavnik.audit.models import AuditAction, AuditChannel, AuditObject
from nastavnik.audit.services import audit_record, audit_scrub_person, created
from nastavnik.consents.models import (
    Consent,
    ConsentLink,
    Depersonalisation,
    LinkState,
    Method,
    Purpose,
    hash_token,
)
from nastavnik.consents.rules import Signing, signing_for
from nastavnik.consents.scrub import person_traces_scrub
from nastavnik.consents.texts import DOCUMENT_VERSION, TEXTS, WITHDRAWAL
from nastavnik.core import events
from nastavnik.core.dates import years_later
from nastavnik.core.rules import rule_errors
from nastavnik.core.tasks import queue_mail
from nastavnik.core.text import fold
from nastavnik.core.uploads import ScanType, check_scan
from nastavnik.documents.render import requisites
from nastavnik.orgs.models import AcademicYear, Organisation
from nastavnik.people.models import GuardianLink, Person, person_name_key
from nastavnik.people.validators import org_today

if TYPE_CHECKING:
    from nastavnik.accounts.models import User

logger = logging.getLogger(__name__)

# A consent for longer than this is a typo, not a decision.
MAX_TERM_YEARS = 5

MESSAGES = {
    "purpose": _("Choose a purpose from the list."),
    "purposes": _("Choose at least one consent."),
    "other_org": _("Choose a person of this organisation."),
    "adult_self": _(
        "%(name)s is an adult and gives consent personally; a representative cannot sign "
        "for them here."
    ),
    "minor_guardian": _(
        "%(name)s is a minor: the consent is given by a legal guardian recorded on the card. "
        "Add the guardian first if they are missing."
    ),
    "minor_signature": _(
        "%(name)s is 14 or older: the minor signs the consent as well. Confirm that the "
        "minor's signature is on the form."
    ),
    "authority": _("Enter the document that proves the guardian's authority."),
    "duplicate": _(
        "%(name)s already has a valid consent for “%(purpose)s” (given %(date)s). Withdraw it "
        "first if it is to be replaced."
    ),
    "future": _("The date of signing cannot be in the future."),
    "before_birth": _("The date of signing is before the person's birth."),
    "term_order": _("The consent must be valid at least until the day it was signed."),
    "term_past": _("This term has already ended: the consent would not be valid for a day."),
    "term_long": _("A consent is given for at most %(years)s years."),
    "term_guardian": _(
        "A guardian's consent ends when the child comes of age: choose a date up to %(date)s."
    ),
    "scan_required": _("Upload the scan of the signed form."),
    "no_email": _("%(name)s has no e-mail address on record. Print the link instead."),
    "signed_name": _("Type your full name exactly as it is written above: %(name)s."),
    "minor_name": _("The child types their own full name as it is written above: %(name)s."),
    "confirm": _("Tick the box to confirm that you have read the text and agree."),
    "already_withdrawn": _("This consent was already withdrawn on %(date)s."),
    "reason": _("State the reason for the withdrawal or where the written request came from."),
}


_error = rule_errors(MESSAGES)


def link_ttl() -> timedelta:
    return timedelta(days=int(getattr(settings, "CONSENT_LINK_TTL_DAYS", 14)))


# --- Checks ----------------------------------------------------------------------------------


def read_scan(upload: UploadedFile | None) -> ScanUpload:
    """The scan's bytes and type, checked by its first bytes (`core.uploads.check_scan`)."""
    if upload is None:
        raise _error("scan_required", "scan")
    try:
        scan_type = check_scan(upload)
    except ValidationError as error:
        raise ValidationError({"scan": error}) from error
    upload.seek(0)
    return ScanUpload(upload.read(), scan_type)


@dataclass(frozen=True)
class ScanUpload:
    content: bytes
    type: ScanType


def default_valid_until(subject: Person, given_on: date) -> date:
    """The end of the academic year, or the day before the child comes of age if sooner."""
    end = AcademicYear(start_year=AcademicYear.start_year_for(given_on)).ends_on
    signing = signing_for(subject, given_on)
    if signing.guardian_until is not None:
        end = min(end, signing.guardian_until)
    return max(end, given_on)


def is_guardian_of(guardian: Person, child: Person) -> bool:
    return GuardianLink.objects.filter(
        organisation_id=child.organisation_id, guardian=guardian, child=child
    ).exists()


def _check_signer(
    subject: Person,
    given_by: Person,
    signing: Signing,
    *,
    minor_signed: bool,
    authority_document: str,
    field: str = "given_by",
) -> None:
    if given_by.organisation_id != subject.organisation_id:
        raise _error("other_org", field)
    name = subject.full_name
    if not signing.minor:
        if given_by.pk != subject.pk:
            raise _error("adult_self", field, name=name)
        return
    if given_by.pk == subject.pk or not is_guardian_of(given_by, subject):
        raise _error("minor_guardian", field, name=name)
    if not authority_document.strip():
        raise _error("authority", "authority_document")
    if signing.minor_signs and not minor_signed:
        raise _error("minor_signature", "minor_signed", name=name)


def _check_term(
    subject: Person, signing: Signing, given_on: date, valid_until: date, today: date
) -> None:
    if given_on > today:
        raise _error("future", "given_on")
    if subject.birth_date is not None and given_on < subject.birth_date:
        raise _error("before_birth", "given_on")
    if valid_until < given_on:
        raise _error("term_order", "valid_until")
    if valid_until < today:
        raise _error("term_past", "valid_until")
    if valid_until > years_later(given_on, MAX_TERM_YEARS):
        raise _error("term_long", "valid_until", years=MAX_TERM_YEARS)
    if signing.guardian_until is not None and valid_until > signing.guardian_until:
        raise _error(
            "term_guardian", "valid_until", date=date_format(signing.guardian_until, "DATE_FORMAT")
        )


def _check_no_valid(subject: Person, purpose: str, today: date) -> None:
    existing = Consent.objects.valid_on(today).filter(subject=subject, purpose=purpose).first()
    if existing is not None:
        raise _error(
            "duplicate",
            "purpose",
            name=subject.full_name,
            purpose=Purpose(purpose).label,
            date=date_format(existing.given_on, "DATE_FORMAT"),
        )


def _lock(subject: Person) -> Person:
    # One writer per subject at a time: two curators (or a curator and a guardian on the link)
    # cannot both record the same purpose.
    return Person.objects.select_for_update().get(pk=subject.pk)


def consent_row(
    subject: Person,
    purpose: str,
    given_by: Person,
    *,
    method: Method,
    given_on: date,
    valid_until: date,
    authority_document: str,
    minor_signed: bool,
    by: User | None,
    **evidence: Any,
) -> Consent:
    """An unsaved consent with a copy of today's texts; no checks. Only `_create` and the demo
    (which checks its own data and inserts in bulk) use it."""
    text = TEXTS[purpose]
    return Consent(
        organisation_id=subject.organisation_id,
        subject=subject,
        purpose=purpose,
        given_by=given_by,
        authority_document=authority_document.strip() if given_by.pk != subject.pk else "",
        minor_signed=minor_signed,
        document_version=DOCUMENT_VERSION,
        operator_details="\n".join(requisites(subject.organisation)),
        purpose_text=text.purpose,
        data_categories=text.data,
        actions=text.actions,
        withdrawal_procedure=WITHDRAWAL,
        given_on=given_on,
        valid_until=valid_until,
        method=method,
        recorded_by=by,
        **evidence,
    )


def _create(
    subject: Person,
    purpose: str,
    given_by: Person,
    *,
    method: Method,
    given_on: date,
    valid_until: date,
    authority_document: str,
    minor_signed: bool,
    by: User | None,
    scan: ScanUpload | None = None,
    evidence: dict[str, Any] | None = None,
    channel: AuditChannel | None = None,
) -> Consent:
    consent = consent_row(
        subject,
        purpose,
        given_by,
        method=method,
        given_on=given_on,
        valid_until=valid_until,
        authority_document=authority_document,
        minor_signed=minor_signed,
        by=by,
        **(evidence or {}),
    )
    if scan is not None:
        consent.scan.save(f"scan.{scan.type.extension}", ContentFile(scan.content), save=False)
    consent.save()
    audit_record(
        subject.organisation_id,
        action=AuditAction.CREATE,
        object_type=AuditObject.CONSENT,
        object_id=consent.pk,
        label=f"{Purpose(purpose).label} · {subject.full_name}",
        by=by,
        channel=channel,
        person=subject,
        related_person=given_by if given_by.pk != subject.pk else None,
        changes=created(
            {
                "purpose": purpose,
                "given_by": given_by.full_name,
                "authority_document": consent.authority_document,
                "minor_signed": minor_signed or None,
                "method": method,
                "given_on": given_on,
                "valid_until": valid_until,
                "document_version": DOCUMENT_VERSION,
            }
        ),
    )
    logger.info("consent %s (%s) of person %s recorded by %s", consent.pk, purpose, subject.pk, by)
    return consent


# --- Paper -----------------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    subject: Person,
    purpose: str,
    given_by: Person,
    *,
    given_on: date,
    valid_until: date,
    scan: UploadedFile | None,
    by: User | None,
    authority_document: str = "",
    minor_signed: bool = False,
) -> Consent:
    """Record a consent signed on paper, with its scan (PDF, JPEG or PNG)."""
    if purpose not in Purpose.values:
        raise _error("purpose", "purpose")
    today = org_today(subject.organisation)
    signing = signing_for(subject, given_on)
    _check_signer(
        subject,
        given_by,
        signing,
        minor_signed=minor_signed,
        authority_document=authority_document,
    )
    _check_term(subject, signing, given_on, valid_until, today)
    content = read_scan(scan)
    _lock(subject)
    _check_no_valid(subject, purpose, today)
    return _create(
        subject,
        purpose,
        given_by,
        method=Method.PAPER,
        given_on=given_on,
        valid_until=valid_until,
        authority_document=authority_document,
        minor_signed=minor_signed and signing.minor_signs,
        by=by,
        scan=content,
    )


# --- The one-time link -----------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedLink:
    link: ConsentLink
    # The only moment the token exists outside the guardian's letter: it is not stored.
    url: str


def _purposes(purposes: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(purposes))
    if not chosen:
        raise _error("purposes", "purposes")
    if any(p not in Purpose.values for p in chosen):
        raise _error("purpose", "purposes")
    # In the order of the choices, whatever order they came in.
    return [p for p in Purpose.values if p in chosen]


@transaction.atomic
def consent_link_issue(
    subject: Person,
    addressee: Person,
    purposes: Iterable[str],
    *,
    by: User | None,
    valid_until: date | None = None,
    authority_document: str = "",
    send: bool = False,
    base_url: str | None = None,
) -> IssuedLink:
    """Make a one-time link for `addressee` (the adult subject, or a legal guardian of the
    minor subject) to give the consents for `purposes` electronically; e-mail it if `send`.

    Older unused links for the same subject and addressee stop working.
    """
    chosen = _purposes(purposes)
    today = org_today(subject.organisation)
    signing = signing_for(subject, today)
    if addressee.organisation_id != subject.organisation_id:
        raise _error("other_org", "addressee")
    if signing.minor:
        if addressee.pk == subject.pk or not is_guardian_of(addressee, subject):
            raise _error("minor_guardian", "addressee", name=subject.full_name)
    elif addressee.pk != subject.pk:
        raise _error("adult_self", "addressee", name=subject.full_name)
    until = valid_until or default_valid_until(subject, today)
    _check_term(subject, signing, today, until, today)
    if send and not addressee.email:
        raise _error("no_email", "send", name=addressee.full_name)
    _lock(subject)
    for purpose in chosen:
        _check_no_valid(subject, purpose, today)

    now = timezone.now()
    ConsentLink.objects.usable().filter(subject=subject, addressee=addressee).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    link = ConsentLink.objects.create(
        organisation_id=subject.organisation_id,
        subject=subject,
        addressee=addressee,
        purposes=chosen,
        authority_document=authority_document.strip() if signing.minor else "",
        valid_until=until,
        token_hash=hash_token(token),
        sent_to=addressee.email if send else "",
        created_at=now,
        created_by=by,
        expires_at=now + link_ttl(),
    )
    url = urljoin(
        base_url or settings.SITE_URL, reverse("consent_public:confirm", kwargs={"token": token})
    )
    if send:
        context = {"link": link, "url": url, "organisation": subject.organisation}
        queue_mail(
            render_to_string("consents/email/link_subject.txt", context),
            render_to_string("consents/email/link.txt", context),
            addressee.email,
        )
    audit_record(
        subject.organisation_id,
        action=AuditAction.LINK_ISSUE,
        object_type=AuditObject.CONSENT_LINK,
        object_id=link.pk,
        label=f"{addressee.full_name} → {subject.full_name}",
        by=by,
        person=subject,
        related_person=addressee if addressee.pk != subject.pk else None,
        changes=created(
            {
                "purposes": ", ".join(chosen),
                "sent_to": link.sent_to,
                "expires_at": link.expires_at,
            }
        ),
    )
    return IssuedLink(link=link, url=url)


def consent_link_by_token(token: str) -> ConsentLink | None:
    if not token or len(token) > 100:
        return None
    return (
        ConsentLink.objects.filter(token_hash=hash_token(token))
        .select_related("organisation", "subject", "addressee")
        .first()
    )


class LinkNotUsable(ValidationError):
    """The link was used, replaced, has expired, or never existed."""

    def __init__(self, state: LinkState | None) -> None:
        super().__init__(str(state.label) if state else "not found", code=state or "not_found")
        self.state = state


@dataclass(frozen=True)
class Evidence:
    """What the browser tells us when the guardian confirms."""

    ip: str | None
    user_agent: str


def names_match(typed: str, person: Person) -> bool:
    return fold(typed) == person_name_key(person.last_name, person.first_name, person.middle_name)


@transaction.atomic
def consent_confirm_by_link(
    token: str,
    purposes: Sequence[str],
    *,
    agreed: bool,
    signed_name: str,
    evidence: Evidence,
    minor_signed_name: str = "",
    authority_document: str = "",
) -> list[Consent]:
    """Record the consents the addressee of a one-time link confirms; the link is used up."""
    found = consent_link_by_token(token)
    if found is None:
        raise LinkNotUsable(None)
    # Locked, and read again: two tabs submitting at once record the consents once.
    link = (
        ConsentLink.objects.select_for_update()
        .select_related("organisation", "subject", "addressee")
        .get(pk=found.pk)
    )
    if link.state != LinkState.USABLE:
        raise LinkNotUsable(link.state)
    subject, addressee = link.subject, link.addressee
    today = org_today(link.organisation)
    signing = signing_for(subject, today)

    # A field's own error, or the list another check raised for it.
    errors: dict[str, ValidationError | list[ValidationError]] = {}
    try:
        chosen = _purposes(purposes)
        if not set(chosen) <= set(link.purposes):
            raise _error("purpose", "purposes")
    except ValidationError as error:
        errors.update(error.error_dict)
    if not agreed:
        errors["agreed"] = ValidationError(MESSAGES["confirm"], code="confirm")
    if not names_match(signed_name, addressee):
        errors["signed_name"] = ValidationError(
            MESSAGES["signed_name"], code="signed_name", params={"name": addressee.full_name}
        )
    if signing.minor_signs and not names_match(minor_signed_name, subject):
        errors["minor_signed_name"] = ValidationError(
            MESSAGES["minor_name"], code="minor_name", params={"name": subject.full_name}
        )
    document = authority_document.strip() or link.authority_document
    if signing.minor and not document:
        errors["authority_document"] = ValidationError(MESSAGES["authority"], code="authority")
    if errors:
        raise ValidationError(errors)

    _check_signer(
        subject,
        addressee,
        signing,
        minor_signed=signing.minor_signs,
        authority_document=document,
        field="signed_name",
    )
    _check_term(subject, signing, today, link.valid_until, today)
    _lock(subject)
    for purpose in chosen:
        _check_no_valid(subject, purpose, today)
    consents = [
        _create(
            subject,
            purpose,
            addressee,
            method=Method.ELECTRONIC,
            given_on=today,
            valid_until=link.valid_until,
            authority_document=document,
            minor_signed=signing.minor_signs,
            by=None,
            channel=AuditChannel.LINK,
            evidence={
                "signed_name": signed_name.strip()[:250],
                "minor_signed_name": minor_signed_name.strip()[:250] if signing.minor_signs else "",
                "signed_ip": evidence.ip,
                "signed_user_agent": evidence.user_agent[:300],
            },
        )
        for purpose in chosen
    ]
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return consents


# --- Withdrawal ------------------------------------------------------------------------------

# What follows from a withdrawal in the apps built on consents (a pair suspended, its meetings
# cancelled, the curator told). They register here from their AppConfig.ready, as indicators do,
# because consents may not import them (layers); each runs inside the withdrawal's transaction,
# so a withdrawal and its consequences are stored together or not at all.
WithdrawalConsequence = Callable[[Consent, "User | None"], None]
_WITHDRAWAL_CONSEQUENCES: list[WithdrawalConsequence] = []


def on_withdrawal(consequence: WithdrawalConsequence) -> None:
    if consequence not in _WITHDRAWAL_CONSEQUENCES:
        _WITHDRAWAL_CONSEQUENCES.append(consequence)


@transaction.atomic
def consent_withdraw(
    consent: Consent,
    reason: str,
    by: User | None,
    *,
    require_reason: bool = True,
) -> Consent:
    """Withdraw a consent: it stops counting at once and the withdrawal is logged.

    The curator records where the withdrawal came from (`require_reason`); a guardian or an
    adult withdrawing their own consent in their cabinet owes no reason.
    """
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is not None:
        raise _error(
            "already_withdrawn",
            date=date_format(timezone.localtime(locked.withdrawn_at), "DATE_FORMAT"),
        )
    reason = reason.strip()
    if require_reason and not reason:
        raise _error("reason", "reason")
    locked.withdrawn_at = timezone.now()
    locked.withdrawal_reason = reason
    locked.withdrawn_by = by
    locked.save(update_fields=["withdrawn_at", "withdrawal_reason", "withdrawn_by"])
    audit_record(
        locked.organisation_id,
        action=AuditAction.WITHDRAW,
        object_type=AuditObject.CONSENT,
        object_id=locked.pk,
        label=f"{locked.get_purpose_display()} · {locked.subject.full_name}",
        by=by,
        person=locked.subject,
        related_person=locked.given_by if locked.by_representative else None,
        changes={
            "withdrawn_at": [None, locked.withdrawn_at.isoformat(timespec="seconds")],
            "withdrawal_reason": [None, reason or None],
        },
    )
    logger.info("consent %s withdrawn by %s", locked.pk, by)
    for field in ("withdrawn_at", "withdrawal_reason", "withdrawn_by"):
        setattr(consent, field, getattr(locked, field))
    for consequence in _WITHDRAWAL_CONSEQUENCES:
        consequence(locked, by)
    events.emit("consent.withdrawn", consent=locked, by=by)
    return consent


# --- Consents about to end ----------------------------------------------------------------

# How many days before a consent ends its subject (or the guardian who gave it) is told.
EXPIRY_NOTICE_DAYS = 30


def announce_expiring(today: date | None = None, days: int = EXPIRY_NOTICE_DAYS) -> int:
    """Announce the consents that end in exactly `days` days and have no successor valid
    beyond them. Run daily: each consent meets that day once. Returns how many."""
    today = today or timezone.localdate()
    ends = today + timedelta(days=days)
    renewed = Consent.objects.filter(
        subject=OuterRef("subject"),
        purpose=OuterRef("purpose"),
        withdrawn_at__isnull=True,
        valid_until__gt=ends,
    )
    expiring = (
        Consent.objects.valid_on(today)
        .filter(valid_until=ends)
        .exclude(Exists(renewed))
        .select_related("subject")
    )
    count = 0
    for consent in expiring.iterator(chunk_size=500):
        events.emit("consent.expiring", consent=consent, days=days)
        count += 1
    return count


# --- Depersonalisation -----------------------------------------------------------------------


def retention_days() -> tuple[int, int]:
    """Days a person's data are kept after the processing consent was withdrawn, and after it
    expired, before they are depersonalised (152-ФЗ art. 21 ч. 4–5: thirty days)."""
    return (
        int(getattr(settings, "CONSENT_RETENTION_WITHDRAWN_DAYS", 30)),
        int(getattr(settings, "CONSENT_RETENTION_EXPIRED_DAYS", 30)),
    )


def due_for_depersonalisation(organisation: Organisation, now: datetime | None = None) -> Any:
    """People of `organisation` whose every processing consent ended (withdrawn or expired)
    longer ago than the retention term, and who are not depersonalised yet."""
    moment = now or timezone.now()
    day = timezone.localdate(moment, timezone=zoneinfo.ZoneInfo(organisation.timezone))
    withdrawn_days, expired_days = retention_days()
    processing = Consent.objects.filter(subject=OuterRef("pk"), purpose=Purpose.PROCESSING)
    recent = processing.filter(
        Q(withdrawn_at__isnull=True, valid_until__gte=day - timedelta(days=expired_days))
        | Q(withdrawn_at__gt=moment - timedelta(days=withdrawn_days))
    )
    return (
        Person.objects.for_org(organisation)
        .filter(Exists(processing))
        .exclude(Exists(recent))
        .exclude(Exists(Depersonalisation.objects.filter(person=OuterRef("pk"))))
        .order_by("pk")
    )


class Depersonalised(StrEnum):
    DONE = "done"
    ALREADY = "already"
    # The person signed another person's consent that still counts: their name on it is
    # evidence of that consent and stays until that consent ends.
    REPRESENTATIVE = "representative"


# Cleared on depersonalisation; kind, gender, grade and class, years and the birth year stay
# for the aggregate figures.
_CLEARED = (
    "middle_name",
    "email",
    "phone",
    "position",
    "subjects",
    "workplace",
    "notes",
)


@transaction.atomic
def people_depersonalise(person: Person, by: User | None) -> Depersonalised:
    """Replace the person's name, clear contacts and anything identifying, keep the birth year
    (as 1 January) and the figures, strip the personal data from their consents and from the
    audit log."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if Depersonalisation.objects.filter(person=locked).exists():
        return Depersonalised.ALREADY
    today = org_today(locked.organisation)
    if (
        Consent.objects.filter(given_by=locked, withdrawn_at__isnull=True, valid_until__gte=today)
        .exclude(subject=locked)
        .exists()
    ):
        return Depersonalised.REPRESENTATIVE

    locked.last_name = "Обезличено"
    locked.first_name = f"№{locked.pk}"
    for field in _CLEARED:
        setattr(locked, field, "")
    if locked.birth_date is not None:
        locked.birth_date = date(locked.birth_date.year, 1, 1)
    locked.user = None
    locked.save()

    for consent in Consent.objects.select_for_update().filter(subject=locked):
        if consent.scan:
            consent.scan.delete(save=False)
        consent.scan = ""
        consent.signed_name = consent.minor_signed_name = consent.signed_user_agent = ""
        consent.signed_ip = None
        consent.authority_document = ""
        consent.save(
            update_fields=[
                "scan",
                "signed_name",
                "minor_signed_name",
                "signed_user_agent",
                "signed_ip",
                "authority_document",
            ]
        )
    ConsentLink.objects.filter(subject=locked).update(authority_document="")
    ConsentLink.objects.usable().filter(subject=locked).update(revoked_at=timezone.now())
    person_traces_scrub(locked)
    audit_scrub_person(person)
    Depersonalisation.objects.create(organisation_id=locked.organisation_id, person=locked, by=by)
    audit_record(
        locked.organisation_id,
        action=AuditAction.DEPERSONALISE,
        object_type=AuditObject.PERSON,
        object_id=locked.pk,
        label="",
        by=by,
        person=locked,
    )
    for field in ("last_name", "first_name", *_CLEARED, "birth_date", "user", "name_key"):
        setattr(person, field, getattr(locked, field))
    logger.info("person %s depersonalised by %s", locked.pk, by)
    return Depersonalised.DONE
