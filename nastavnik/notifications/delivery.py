"""Telling: the registry says who and what; this stores the notifications and sends the mail
each person chose (at once, or gathered into the daily digest)."""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from nastavnik.core.tasks import queue_mail
from nastavnik.notifications.models import (
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Channel,
    Notification,
    NotificationPreference,
)
from nastavnik.notifications.registry import KINDS, Kind, site_url
from nastavnik.orgs.models import Organisation

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# A digest shows this many notifications and counts the rest: a letter stays readable.
DIGEST_MAX_ITEMS = 50


def channel_of(kind: Kind, chosen: str | None) -> str:
    if kind.mailed_elsewhere:
        return Channel.IN_APP
    return chosen or kind.default


def channels_for(organisation_id: int, user_ids: list[int], kind: Kind) -> dict[int, str]:
    chosen = dict(
        NotificationPreference.objects.filter(
            organisation_id=organisation_id, user_id__in=user_ids, kind=kind.event
        ).values_list("user_id", "channel")
    )
    return {user_id: channel_of(kind, chosen.get(user_id)) for user_id in user_ids}


def unsubscribe_token(organisation_id: int, user_id: int, kind: str) -> str:
    return signing.dumps({"o": organisation_id, "u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> dict[str, Any] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in KINDS:
        return None
    return data


def unsubscribe_url(organisation_id: int, user_id: int, kind: str) -> str:
    token = unsubscribe_token(organisation_id, user_id, kind)
    return site_url(reverse("notifications_public:unsubscribe", kwargs={"token": token}))


def notify(event: str, **context: Any) -> None:
    """The listener of every registry event (after the change committed)."""
    tell(KINDS[event], context)


def tell(kind: Kind, context: dict[str, Any], *, mail: bool = True) -> int:
    """Store the notifications of `kind` for its recipients and, with `mail`, send the letters
    they chose. Returns how many were stored."""
    event = kind.event
    organisation_id = kind.organisation_id(context)
    organisation = Organisation.objects.get(pk=organisation_id)
    context = {**context, "org_slug": organisation.slug}
    # Stored and mailed in the organisation's language and time zone, whoever's request it was.
    with translation.override(settings.LANGUAGE_CODE), timezone.override(organisation.timezone):
        recipients = kind.recipients(context)
        if not recipients:
            return 0
        messages = [(recipient, kind.message(recipient, context)) for recipient in recipients]
    # The same words for a reader of the English interface, written now as the Russian ones
    # are: what the list shows is what was true then, in either language.
    with translation.override("en"), timezone.override(organisation.timezone):
        english = {id(r): kind.message(r, context) for r in recipients}
    channels = channels_for(organisation_id, [r.user_id for r, _ in messages], kind)
    emails = dict(
        get_user_model().objects.filter(pk__in=channels, is_active=True).values_list("pk", "email")
    )
    rows = [
        Notification(
            organisation_id=organisation_id,
            recipient_id=recipient.user_id,
            kind=event,
            title=message.title[:TITLE_MAX_LENGTH],
            body=message.body[:BODY_MAX_LENGTH],
            title_en=english[id(recipient)].title[:TITLE_MAX_LENGTH],
            body_en=english[id(recipient)].body[:BODY_MAX_LENGTH],
            url=message.url,
            channel=channels[recipient.user_id],
        )
        for recipient, message in messages
        if recipient.user_id in emails
    ]
    with transaction.atomic():
        Notification.objects.bulk_create(rows)
        for row in rows:
            if mail and row.channel == Channel.MAIL and emails[row.recipient_id]:
                _mail_one(row, organisation, emails[row.recipient_id])
    logger.info("%s: %s notified", event, len(rows))
    return len(rows)


def _mail_one(row: Notification, organisation: Organisation, email: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "notifications/email/one.txt",
            {
                "notification": row,
                "organisation": organisation,
                "url": site_url(row.url) if row.url else "",
                "unsubscribe_url": unsubscribe_url(row.organisation_id, row.recipient_id, row.kind),
            },
        )
    queue_mail(row.title, body, email)


def send_digests(now: Any = None) -> int:
    """One letter per person and organisation with the digest-channel notifications not sent
    yet; returns the number of letters."""
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(channel=Channel.DIGEST, digested_at__isnull=True)
        .select_related("recipient", "organisation")
        .order_by("recipient_id", "organisation_id", "created_at", "pk")
    )
    groups: dict[tuple[int, int], list[Notification]] = defaultdict(list)
    for row in pending.iterator(chunk_size=2000):
        groups[(row.recipient_id, row.organisation_id)].append(row)
    letters = 0
    for rows in groups.values():
        with transaction.atomic():
            Notification.objects.filter(pk__in=[r.pk for r in rows]).update(digested_at=now)
            email = rows[0].recipient.email
            if not email or not rows[0].recipient.is_active:
                continue
            organisation = rows[0].organisation
            with translation.override(settings.LANGUAGE_CODE):
                subject = ngettext(
                    "%(n)s new notification in %(org)s",
                    "%(n)s new notifications in %(org)s",
                    len(rows),
                ) % {"n": len(rows), "org": organisation.short_name or organisation.name}
                body = render_to_string(
                    "notifications/email/digest.txt",
                    {
                        "rows": rows[:DIGEST_MAX_ITEMS],
                        "more": max(0, len(rows) - DIGEST_MAX_ITEMS),
                        "organisation": organisation,
                        "list_url": site_url(
                            reverse("notifications:list", kwargs={"org_slug": organisation.slug})
                        ),
                        "preferences_url": site_url(
                            reverse(
                                "notifications:preferences",
                                kwargs={"org_slug": organisation.slug},
                            )
                        ),
                    },
                )
            queue_mail(subject, body, email)
            letters += 1
    return letters
