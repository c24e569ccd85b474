"""Writes of survey campaigns: sending, reminding, printing slips with codes, closing.

Each function is atomic, checks everything before it writes and raises ValidationError with
nothing changed. Tokens and codes exist only in the moment they are made — in the letter or on
the slip — and only their hashes are kept. So printing slips gives new codes to everyone who
has not answered (earlier slips stop working), and a reminder carries a new link (the link of
the earlier letter stops working).
"""

from __future__ import annotations

import logging
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode, urljoin

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from nastavnik.accounts.models import User
from nastavnik.audit.models import AuditAction, AuditChannel, AuditEntry, AuditObject
from nastavnik.catalogue.models import MentoringForm
from nastavnik.consents.models import Purpose
from nastavnik.consents.rules import hidden_q, with_valid_consent
from nastavnik.core import events
from nastavnik.core.rules import rule_errors
from nastavnik.core.tasks import queue_mail
from nastavnik.people.models import Person
from nastavnik.people.validators import org_today
from nastavnik.programmes.models import Programme, ProgrammeStatus
from nastavnik.questionnaires.audiences import AUDIENCES
from nastavnik.questionnaires.codes import format_code, new_code, new_token
from nastavnik.questionnaires.models import (
    Campaign,
    Invitation,
    Phase,
    Questionnaire,
    QuestionnaireKind,
    hash_secret,
)

logger = logging.getLogger(__name__)

TITLE_MAX = 300

MESSAGES = {
    "finished": _("The programme is finished: its campaigns are kept as they were."),
    "questionnaire": _("Choose a questionnaire of the organisation or a built-in one."),
    "not_latest": _("A newer version of this questionnaire exists: send the newest one."),
    "empty": _("The questionnaire has no questions yet."),
    "title": _("Enter the title."),
    "length": _("At most %(max)s characters."),
    "audience": _("Choose whom to ask."),
    "audience_unavailable": _("This audience is not available yet."),
    "class": _("Choose a class."),
    "form": _("Choose a form of this year's programme."),
    "phase": _("Choose whether this is the entry or the exit assessment."),
    "deadline": _("Enter the deadline."),
    "deadline_past": _("The deadline cannot be in the past."),
    "deadline_year": _("The deadline must fall within the academic year, up to %(date)s."),
    "anonymous_feeds": _(
        "The answers of an anonymous campaign cannot feed the bases, and this questionnaire's "
        "answers do. Send it with names, or choose a questionnaire without feeds."
    ),
    "nobody": _("Nobody is in this audience: there is no one to ask."),
    "nobody_consented": ngettext_lazy(
        "Nobody in this audience can be asked: the %(count)s person in it has no valid consent "
        "to take part in the programme.",
        "Nobody in this audience can be asked: none of the %(count)s people in it has a valid "
        "consent to take part in the programme.",
        "count",
    ),
    "closed": _("The campaign is closed."),
    "over": _("The deadline has passed: the campaign no longer takes answers."),
    "nobody_to_remind": _("Nobody is left to remind: everyone has answered or has no e-mail."),
    "nobody_to_print": _("Everyone has answered: there are no slips to print."),
}


_error = rule_errors(MESSAGES)


def answer_url(token: str, base_url: str | None = None) -> str:
    return urljoin(base_url or settings.SITE_URL, reverse("respond:link", kwargs={"token": token}))


def code_url(code: str = "", base_url: str | None = None) -> str:
    """The page to type a code at; with a code, the address a slip's QR code opens."""
    url = urljoin(base_url or settings.SITE_URL, reverse("respond:code"))
    return f"{url}?{urlencode({'code': code})}" if code else url


# --- Sending --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    key: str
    params: dict[str, Any]
    form: MentoringForm | None
    label: str


def _clean_audience(
    programme: Programme, key: str, params: Mapping[str, Any], form: MentoringForm | None
) -> Audience:
    audience = AUDIENCES.get(key)
    if audience is None:
        raise _error("audience", "audience")
    chosen_forms = set(programme.chosen_forms.values_list("form_id", flat=True))
    if form is not None and form.pk not in chosen_forms:
        raise _error("form", "form")
    cleaned: dict[str, Any] = {}
    label = str(audience.label)
    if "grade" in audience.params:
        try:
            grade = int(params.get("grade"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise _error("class", "class_name") from None
        letter = str(params.get("class_letter") or "").strip().upper()
        if not 1 <= grade <= 11:
            raise _error("class", "class_name")
        cleaned = {"grade": grade, "class_letter": letter}
        label = f"{label}: {grade}{letter}"
    if "form" in audience.params and form is not None:
        cleaned["form"] = form.pk
        label = f"{label}: {form.name}"
    return Audience(key=key, params=cleaned, form=form, label=label)


def _people(programme: Programme, audience: Audience) -> QuerySet[Person]:
    try:
        people = AUDIENCES[audience.key].people(programme, audience.params)
    except ImportError:
        logger.error("audience %s is not available", audience.key)
        raise _error("audience_unavailable", "audience") from None
    return people.filter(organisation=programme.organisation).exclude(hidden_q())


def _audit_invitations(invitations: Iterable[Invitation], campaign: Campaign, by: User | None):
    """One entry per invitation, written at once (a class or the staff at a time)."""
    now = timezone.now()
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                organisation_id=campaign.organisation_id,
                at=now,
                actor=by,
                actor_label=(by.get_full_name() or by.email) if by else "",
                channel=AuditChannel.WEB if by is not None else AuditChannel.SYSTEM,
                action=AuditAction.CREATE,
                object_type=AuditObject.INVITATION,
                object_id=invitation.pk,
                object_label=f"{campaign.title}: {invitation.person.full_name}"[:300],
                person=invitation.person,
                changes={
                    "campaign": [None, campaign.pk],
                    **({"sent_to": [None, invitation.sent_to]} if invitation.sent_to else {}),
                },
            )
            for invitation in invitations
        ],
        batch_size=500,
    )


def _mail(invitation: Invitation, token: str, template: str, base_url: str | None) -> None:
    campaign = invitation.campaign
    context = {
        "campaign": campaign,
        "person": invitation.person,
        "organisation": campaign.organisation,
        "url": answer_url(token, base_url),
    }
    queue_mail(
        render_to_string(f"questionnaires/email/{template}_subject.txt", context),
        render_to_string(f"questionnaires/email/{template}.txt", context),
        invitation.person.email,
    )


@dataclass(frozen=True)
class Sent:
    campaign: Campaign
    invited: int
    mailed: int
    left_out: int


@transaction.atomic
def campaign_send(
    programme: Programme,
    questionnaire: Questionnaire,
    *,
    deadline: date | None,
    audience: str,
    params: Mapping[str, Any] | None = None,
    form: MentoringForm | None = None,
    title: str = "",
    phase: str = "",
    anonymous: bool = False,
    send_mail: bool = False,
    by: User | None,
    base_url: str | None = None,
) -> Sent:
    """Send the questionnaire (this version, frozen from now on) to an audience of the
    programme: one invitation per person with a personal link, mailed to those with an e-mail
    when `send_mail`. A campaign with names invites only people whose data may be used for the
    programme; the others are listed in `Campaign.left_out`."""
    organisation = programme.organisation
    today = org_today(organisation)
    if programme.status == ProgrammeStatus.FINISHED:
        raise _error("finished")
    if questionnaire.organisation_id not in (None, organisation.pk):
        raise _error("questionnaire", "questionnaire")
    if Questionnaire.objects.filter(previous=questionnaire).exists():
        raise _error("not_latest", "questionnaire")
    questions = list(questionnaire.questions.all())
    if not questions:
        raise _error("empty", "questionnaire")

    # A field's own error, or the list another check raised for it.
    errors: dict[str, ValidationError | list[ValidationError]] = {}
    title = " ".join(str(title or "").split()) or questionnaire.title
    if len(title) > TITLE_MAX:
        errors["title"] = _error("length", max=TITLE_MAX)
    needs_phase = questionnaire.kind == QuestionnaireKind.ASSESSMENT or any(
        q.feed.startswith("assessment") for q in questions
    )
    if needs_phase and phase not in Phase.values:
        errors["phase"] = _error("phase")
    if not needs_phase:
        phase = ""
    if deadline is None:
        errors["deadline"] = _error("deadline")
    elif deadline < today:
        errors["deadline"] = _error("deadline_past")
    elif deadline > programme.academic_year.ends_on:
        errors["deadline"] = _error(
            "deadline_year", date=programme.academic_year.ends_on.strftime("%d.%m.%Y")
        )
    if anonymous and any(q.feed for q in questions):
        errors["anonymous"] = _error("anonymous_feeds")
    try:
        chosen = _clean_audience(programme, audience, params or {}, form)
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)

    everyone = _people(programme, chosen)
    invited = (
        everyone if anonymous else with_valid_consent(everyone, Purpose.PARTICIPATION, today)  # type: ignore[arg-type]
    )
    people = list(invited.order_by("last_name", "first_name", "pk"))
    left_out = list(everyone.exclude(pk__in=[p.pk for p in people]).values_list("pk", flat=True))
    if not people:
        if left_out:
            raise _error("nobody_consented", "audience", count=len(left_out))
        raise _error("nobody", "audience")

    campaign = Campaign.objects.create(
        organisation=organisation,
        programme=programme,
        questionnaire=questionnaire,
        title=title,
        audience=chosen.key,
        audience_params=chosen.params,
        audience_label=chosen.label[:300],
        form=chosen.form,
        phase=phase,
        anonymous=anonymous,
        deadline=deadline,  # type: ignore[misc]
        left_out=left_out,
        created_by=by,
    )
    now = timezone.now()
    tokens: dict[int, str] = {}
    rows = []
    for person in people:
        token = new_token()
        tokens[person.pk] = token
        mailed = send_mail and bool(person.email)
        rows.append(
            Invitation(
                organisation=organisation,
                campaign=campaign,
                person=person,
                token_hash=hash_secret(token),
                sent_to=person.email if mailed else "",
                sent_at=now if mailed else None,
            )
        )
    Invitation.objects.bulk_create(rows, batch_size=500)
    invitations = list(campaign.invitations.select_related("person", "campaign__organisation"))
    for invitation in invitations:
        if invitation.sent_to:
            _mail(invitation, tokens[invitation.person_id], "invitation", base_url)
    _audit_invitations(invitations, campaign, by)
    if not anonymous:
        events.emit(
            "questionnaire.assigned", campaign=campaign, people=[p.pk for p in people], by=by
        )
    mailed_count = sum(1 for i in invitations if i.sent_to)
    logger.info(
        "campaign %s sent in %s: %s invited, %s mailed, %s left out",
        campaign.pk,
        organisation.slug,
        len(invitations),
        mailed_count,
        len(left_out),
    )
    return Sent(campaign, len(invitations), mailed_count, len(left_out))


# --- While it runs --------------------------------------------------------------------------


def _locked(campaign: Campaign) -> Campaign:
    return (
        Campaign.objects.select_for_update()
        .select_related("organisation", "programme")
        .get(pk=campaign.pk)
    )


def _require_open(campaign: Campaign) -> None:
    if campaign.closed_at is not None:
        raise _error("closed")
    if org_today(campaign.organisation) > campaign.deadline:
        raise _error("over")


def waiting(campaign: Campaign) -> QuerySet[Invitation]:
    """Invitations not answered yet whose person may still be asked."""
    invitations = campaign.invitations.filter(answered=False)
    people = Person.objects.filter(organisation=campaign.organisation).exclude(hidden_q())
    if not campaign.anonymous:
        people = with_valid_consent(people, Purpose.PARTICIPATION, org_today(campaign.organisation))
    return invitations.filter(person__in=people.values("pk")).select_related(
        "person", "campaign__organisation"
    )


def slip_holders(campaign: Campaign) -> QuerySet[Invitation]:
    """Whom slips are printed for. With names, those who have not answered. Anonymous,
    everyone invited who may still be asked: a printed list of those still waiting would name
    who has answered. A slip of someone who has answered just says so when typed in."""
    if not campaign.anonymous:
        return waiting(campaign)
    people = Person.objects.filter(organisation=campaign.organisation).exclude(hidden_q())
    return campaign.invitations.filter(person__in=people.values("pk")).select_related(
        "person", "campaign__organisation"
    )


@transaction.atomic
def campaign_remind(campaign: Campaign, *, by: User | None, base_url: str | None = None) -> int:
    """Mail a new personal link to everyone who has not answered and has an e-mail."""
    locked = _locked(campaign)
    _require_open(locked)
    pending = [i for i in waiting(locked) if i.person.email]
    if not pending:
        raise _error("nobody_to_remind")
    now = timezone.now()
    for invitation in pending:
        token = new_token()
        invitation.token_hash = hash_secret(token)
        invitation.reminded_at = now
        invitation.sent_to = invitation.person.email
        invitation.sent_at = invitation.sent_at or now
        _mail(invitation, token, "reminder", base_url)
    Invitation.objects.bulk_update(
        pending, ["token_hash", "reminded_at", "sent_to", "sent_at"], batch_size=500
    )
    locked.reminded_at = now
    locked.save(update_fields=["reminded_at"])
    logger.info("campaign %s: %s reminded", locked.pk, len(pending))
    return len(pending)


def remind_due(now: Any = None) -> int:
    """Remind the campaigns whose deadline is tomorrow in their organisation's time zone, once
    a day (`manage.py remind_campaigns`, run daily). Returns how many people were reminded."""
    moment = now or timezone.now()
    rough = moment.date()
    reminded = 0
    candidates = Campaign.objects.filter(
        closed_at__isnull=True,
        deadline__gte=rough,
        deadline__lte=rough + timedelta(days=2),
    ).select_related("organisation", "programme")
    for campaign in candidates:
        zone = zoneinfo.ZoneInfo(campaign.organisation.timezone)
        today = timezone.localtime(moment, zone).date()
        if campaign.deadline != today + timedelta(days=1):
            continue
        if campaign.reminded_at and (
            timezone.localtime(campaign.reminded_at, zone).date() == today
        ):
            continue
        try:
            reminded += campaign_remind(campaign, by=None)
        except ValidationError:
            continue
    return reminded


@transaction.atomic
def campaign_close(campaign: Campaign, *, by: User | None) -> Campaign:
    locked = _locked(campaign)
    if locked.closed_at is not None:
        raise _error("closed")
    locked.closed_at = timezone.now()
    locked.closed_by = by
    locked.save(update_fields=["closed_at", "closed_by"])
    return locked


# --- Slips ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slip:
    name: str
    class_name: str
    code: str  # as printed: K7M4-PX2Q
    url: str  # the page to type the code at
    qr_url: str  # the same page with the code filled in


def _unique_codes(count: int) -> list[str]:
    """`count` fresh codes whose hashes no invitation holds (collisions are rare but real at
    the scale of a region)."""
    codes: dict[str, str] = {}
    while len(codes) < count:
        batch = {hash_secret(c): c for c in (new_code() for _ in range(count - len(codes)))}
        taken = set(
            Invitation.objects.filter(code_hash__in=batch).values_list("code_hash", flat=True)
        )
        codes.update({h: c for h, c in batch.items() if h not in taken})
    return list(codes.values())[:count]


def slips_print(
    campaign: Campaign,
    render: Callable[[Campaign, list[Slip]], bytes],
    *,
    by: User | None,
    base_url: str | None = None,
) -> bytes:
    """New codes for everyone who has not answered, rendered by `render`. If rendering fails,
    the old codes stay: nothing is changed."""
    with transaction.atomic():
        locked = _locked(campaign)
        _require_open(locked)
        pending = sorted(
            slip_holders(locked),
            key=lambda i: (
                i.person.grade or 0,
                i.person.class_letter,
                i.person.last_name,
                i.person.first_name,
                i.pk,
            ),
        )
        if not pending:
            raise _error("nobody_to_print")
        now = timezone.now()
        slips = []
        for invitation, code in zip(pending, _unique_codes(len(pending)), strict=True):
            invitation.code_hash = hash_secret(code)
            invitation.code_issued_at = now
            slips.append(
                Slip(
                    name=invitation.person.full_name,
                    class_name=invitation.person.class_name,
                    code=format_code(code),
                    url=code_url(base_url=base_url),
                    qr_url=code_url(code, base_url),
                )
            )
        Invitation.objects.bulk_update(pending, ["code_hash", "code_issued_at"], batch_size=500)
        return render(locked, slips)
