from django.apps import AppConfig


class MentorshipsConfig(AppConfig):
    name = "nastavnik.mentorships"
    label = "mentorships"

    def ready(self) -> None:
        from nastavnik.consents.scrub import register_traces_scrub
        from nastavnik.mentorships.scrub import person_results_scrub

        register_traces_scrub(person_results_scrub)
