"""Run every 15 minutes or hourly (cron or a scheduler): participants of planned meetings get
one reminder some hours before (24 by default, set per organisation)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from nastavnik.meetings.reminders import remind_due


class Command(BaseCommand):
    help = "Reminds mentors and mentees of their meetings a set number of hours before."

    def handle(self, *args: Any, **options: Any) -> None:
        # Letters go out in the installation's language, as they do from the pages.
        with translation.override(settings.LANGUAGE_CODE):
            count = remind_due()
        self.stdout.write(f"Reminders sent: {count}")
