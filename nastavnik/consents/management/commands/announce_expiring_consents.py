"""Tell the subjects (and the guardians who gave them) of consents that end in 30 days.

Meant to run daily from cron or a systemd timer, like `depersonalise_expired`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nastavnik.consents.services import announce_expiring


class Command(BaseCommand):
    help = "Announce the consents that end in 30 days."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"expiring={announce_expiring()}")
