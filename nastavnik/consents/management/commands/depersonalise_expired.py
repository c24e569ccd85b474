"""Depersonalise the people whose processing consent was withdrawn or expired longer ago than
the retention term (settings CONSENT_RETENTION_WITHDRAWN_DAYS / CONSENT_RETENTION_EXPIRED_DAYS).

Meant to run daily from cron or a systemd timer; running it twice changes nothing the second
time. `--dry-run` lists who would be depersonalised.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nastavnik.consents.services import (
    Depersonalised,
    due_for_depersonalisation,
    people_depersonalise,
)
from nastavnik.orgs.models import Organisation


class Command(BaseCommand):
    help = "Depersonalise people whose consent was withdrawn or expired beyond the retention term."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only list who is due.")
        parser.add_argument("--organisation", help="The slug of one organisation.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.order_by("pk")
        if options["organisation"]:
            organisations = organisations.filter(slug=options["organisation"])
            if not organisations.exists():
                raise CommandError(f"No organisation {options['organisation']!r}.")
        totals = {outcome: 0 for outcome in Depersonalised}
        for organisation in organisations:
            due = list(due_for_depersonalisation(organisation))
            if options["dry_run"]:
                for person in due:
                    self.stdout.write(f"{organisation.slug}: person {person.pk} is due")
                totals[Depersonalised.DONE] += len(due)
                continue
            for person in due:
                outcome = people_depersonalise(person, by=None)
                totals[outcome] += 1
                if outcome == Depersonalised.REPRESENTATIVE:
                    self.stdout.write(
                        f"{organisation.slug}: person {person.pk} kept: they signed another "
                        "person's consent that is still valid"
                    )
        verb = "due" if options["dry_run"] else "depersonalised"
        self.stdout.write(
            f"{verb}={totals[Depersonalised.DONE]} "
            f"kept_as_representative={totals[Depersonalised.REPRESENTATIVE]}"
        )
