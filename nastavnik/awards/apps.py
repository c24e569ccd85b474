from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "nastavnik.awards"
    label = "awards"

    def ready(self) -> None:
        from nastavnik.awards.scrub import person_merits_scrub
        from nastavnik.consents.scrub import register_traces_scrub

        register_traces_scrub(person_merits_scrub)
