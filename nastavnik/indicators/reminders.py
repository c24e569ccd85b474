"""Letters to the curators before a half-year deadline without an assessment (seed 002 §7.2)."""

from __future__ import annotations

import logging
import zoneinfo
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nastavnik.core.tasks import queue_mail
from nastavnik.indicators.deadlines import REMIND_DAYS, half_year_state
from nastavnik.indicators.models import HalfYearReminder
from nastavnik.orgs.models import Membership, Organisation, Role

logger = logging.getLogger(__name__)


def _curator_emails(organisation: Organisation) -> list[str]:
    return sorted(
        set(
            Membership.objects.filter(
                organisation=organisation, role=Role.CURATOR, user__is_active=True
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def _letter(
    organisation: Organisation, deadline: date, days_left: int, base_url: str
) -> tuple[str, str]:
    subject = _("Half-year assessment due %(date)s") % {"date": f"{deadline:%d.%m.%Y}"}
    url = base_url.rstrip("/") + reverse("indicators:index", kwargs={"org_slug": organisation.slug})
    body = "\n\n".join(
        [
            ngettext(
                "The half-year assessment of the mentoring model in %(org)s is due %(date)s, "
                "in %(days)s day, and it has not been taken yet.",
                "The half-year assessment of the mentoring model in %(org)s is due %(date)s, "
                "in %(days)s days, and it has not been taken yet.",
                days_left,
            )
            % {"org": organisation.short_name, "date": f"{deadline:%d.%m.%Y}", "days": days_left},
            _(
                "Open the indicators of the year and take the assessment: it keeps the figures "
                "of the day for the report."
            ),
            url,
        ]
    )
    return subject, body


def remind_half_year(now: datetime | None = None, base_url: str = "") -> int:
    """Mail the curators of every organisation whose deadline is `REMIND_DAYS` away (in its
    own time zone) with no assessment taken; each reminder once (`manage.py remind_half_year`,
    run daily). Returns how many organisations were reminded."""
    moment = now or timezone.now()
    reminded = 0
    for organisation in Organisation.objects.order_by("pk"):
        today = timezone.localtime(moment, zoneinfo.ZoneInfo(organisation.timezone)).date()
        state = half_year_state(organisation, today)
        if state is None or state.done or state.days_left not in REMIND_DAYS:
            continue
        emails = _curator_emails(organisation)
        if not emails:
            continue
        try:
            with transaction.atomic():
                HalfYearReminder.objects.create(
                    organisation=organisation, deadline=state.deadline, days_left=state.days_left
                )
                subject, body = _letter(organisation, state.deadline, state.days_left, base_url)
                queue_mail(subject, body, emails)
        except IntegrityError:
            continue  # reminded already today
        logger.info("half-year reminder: %s, %s days left", organisation.slug, state.days_left)
        reminded += 1
    return reminded
