"""Run daily (cron or a scheduler): the compliance count of every organisation, kept for the
regional and municipal operators' pages and reports."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from nastavnik.compliance.report import count_everywhere


class Command(BaseCommand):
    help = "Counts the rule breaches of every organisation for the operators' pages."

    def handle(self, *args: Any, **options: Any) -> None:
        count = count_everywhere(timezone.localdate())
        self.stdout.write(f"Organisations counted: {count}")
