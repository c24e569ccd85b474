from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "nastavnik.people"
    label = "people"

    def ready(self) -> None:
        from nastavnik.core.jobs import register_sweep
        from nastavnik.people.transfer.tasks import import_jobs_sweep

        register_sweep("imports", import_jobs_sweep)
