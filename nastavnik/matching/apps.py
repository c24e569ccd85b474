from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "nastavnik.matching"
    label = "matching"
