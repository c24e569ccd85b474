from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "nastavnik.assessments"
    label = "assessments"
