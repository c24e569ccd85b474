from django.apps import AppConfig


class MenteesConfig(AppConfig):
    name = "nastavnik.mentees"
    label = "mentees"

    def ready(self) -> None:
        from nastavnik.consents.scrub import register_traces_scrub
        from nastavnik.mentees.scrub import person_mentee_text_scrub

        register_traces_scrub(person_mentee_text_scrub)
