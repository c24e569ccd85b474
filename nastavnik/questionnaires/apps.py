from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "nastavnik.questionnaires"
    label = "questionnaires"

    def ready(self) -> None:
        from nastavnik.consents.scrub import register_traces_scrub
        from nastavnik.questionnaires.scrub import person_answers_scrub

        register_traces_scrub(person_answers_scrub)
