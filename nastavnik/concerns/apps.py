from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "nastavnik.concerns"
    label = "concerns"
