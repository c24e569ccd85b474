from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "nastavnik.awards"
    label = "awards"
