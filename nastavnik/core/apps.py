from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nastavnik.core"
    label = "core"
