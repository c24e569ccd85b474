from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "nastavnik.cases"
    label = "cases"
