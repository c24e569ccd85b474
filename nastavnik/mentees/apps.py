from django.apps import AppConfig


class MenteesConfig(AppConfig):
    name = "nastavnik.mentees"
    label = "mentees"
