from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "nastavnik.demo"
    label = "demo"
