"""Run hourly (cron or a scheduler), besides the worker's own sweep: mentors are reminded of
self-match requests a day before they run out, and the unanswered ones end."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from nastavnik.matching.selfmatch import requests_sweep


class Command(BaseCommand):
    help = "Reminds mentors of self-match requests about to run out and ends the expired ones."

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            counts = requests_sweep()
        self.stdout.write(f"Reminded: {counts['reminded']}, expired: {counts['expired']}")
