from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "nastavnik.matching"
    label = "matching"

    def ready(self) -> None:
        from nastavnik.consents.services import on_withdrawal
        from nastavnik.core.jobs import register_sweep
        from nastavnik.matching.selfmatch import requests_sweep
        from nastavnik.matching.sharing import offers_end_on_withdrawal
        from nastavnik.matching.tasks import matching_runs_sweep

        register_sweep("runs", matching_runs_sweep)
        # A withdrawn consent to sharing (or to what it rests on) ends the mentor's open offers.
        on_withdrawal(offers_end_on_withdrawal)
        # Self-match requests remind and run out with the worker's sweep too.
        register_sweep("selfmatch", requests_sweep)
