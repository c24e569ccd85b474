from typing import Any

from django.core.management.base import BaseCommand

from nastavnik.notifications.delivery import send_digests


class Command(BaseCommand):
    help = "Mail each person one letter with the day's notifications they chose to get as a digest."

    def handle(self, *args: Any, **options: Any) -> None:
        letters = send_digests()
        self.stdout.write(f"digests={letters}")
