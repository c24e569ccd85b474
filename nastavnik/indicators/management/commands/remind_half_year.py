"""Run daily (cron or a scheduler): 14, 7 and 1 days before 30 September and 30 March, the
curators of an organisation that has not taken its half-year assessment get a letter."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from nastavnik.indicators.reminders import remind_half_year


class Command(BaseCommand):
    help = "Reminds the curators of the half-year assessment before its deadline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url", default=settings.SITE_URL, help="The site's address, for the link."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Letters go out in the installation's language, as they do from the pages.
        with translation.override(settings.LANGUAGE_CODE):
            count = remind_half_year(base_url=options["url"])
        self.stdout.write(f"Organisations reminded: {count}")
