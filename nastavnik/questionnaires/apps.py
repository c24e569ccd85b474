from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "nastavnik.questionnaires"
    label = "questionnaires"
