from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "nastavnik.plans"
    label = "plans"
