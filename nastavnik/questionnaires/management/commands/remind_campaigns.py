"""Run daily (cron or a scheduler): the day before a campaign's deadline, everyone who has not
answered and has an e-mail gets a reminder with a new personal link."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from nastavnik.questionnaires.campaigns import remind_due


class Command(BaseCommand):
    help = "Reminds the respondents of campaigns whose deadline is tomorrow."

    def handle(self, *args: Any, **options: Any) -> None:
        # Letters go out in the installation's language, as they do from the pages.
        with translation.override(settings.LANGUAGE_CODE):
            count = remind_due()
        self.stdout.write(f"Reminders sent: {count}")
