from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "nastavnik.concerns"
    label = "concerns"

    def ready(self) -> None:
        from nastavnik.audit.access import register_hidden_entries
        from nastavnik.concerns.access import concern_entries_hidden
        from nastavnik.concerns.scrub import person_concerns_scrub
        from nastavnik.consents.scrub import register_traces_scrub

        register_hidden_entries(concern_entries_hidden)
        register_traces_scrub(person_concerns_scrub)
