from __future__ import annotations

from argparse import ArgumentParser
from time import perf_counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from nastavnik.demo.seed import DEMO_URL, demo_state, format_logins, remove_demo, seed_demo


class Command(BaseCommand):
    help = (
        "Loads the demo: «Средняя школа № 5» of Первоуральск with its technopark «Кванториум», "
        "a second small school, a regional operator, and demo logins for every role. "
        "For a demo database only: every demo account shares one known password."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo organisations and accounts first, then load them again.",
        )
        parser.add_argument(
            "--url", default=DEMO_URL, help="The address to open, printed with the logins."
        )

    def handle(self, *args: Any, reset: bool = False, url: str = DEMO_URL, **options: Any) -> None:
        state = demo_state()
        if state == "conflict":
            # A real organisation uses a demo address: never touch it, not even with --reset.
            raise CommandError(
                "Адрес school-5 или school-2 занят организацией, которая не является демо. "
                "Запустите демо на отдельной базе: DATABASE_URL=sqlite:///demo.sqlite3"
            )
        if state == "present" and not reset:
            self.stdout.write("Демо уже загружено; ничего не меняю (перезагрузить: --reset).")
            self.stdout.write(format_logins(url))
            return
        started = perf_counter()
        if state == "present":
            remove_demo()
            self.stdout.write("Старое демо удалено.")
        summary = seed_demo()
        elapsed = perf_counter() - started
        for line in summary.lines:
            self.stdout.write(line)
        if options["verbosity"] >= 2:
            for cost in summary.stages:
                self.stdout.write(
                    f"Этап {cost.stage}: {cost.seconds:.2f} с процессора, "
                    f"запросов к базе: {cost.queries}"
                )
        self.stdout.write(self.style.SUCCESS(f"Демо загружено за {elapsed:.1f} с."))
        self.stdout.write(format_logins(url))
