from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "nastavnik.indicators"
    label = "indicators"
