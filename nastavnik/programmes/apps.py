from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "nastavnik.programmes"
    label = "programmes"
