from django.apps import AppConfig


class ShowcaseConfig(AppConfig):
    name = "nastavnik.showcase"
    label = "showcase"
