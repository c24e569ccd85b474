from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "nastavnik.monitoring"
    label = "monitoring"
