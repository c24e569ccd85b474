from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "nastavnik.dashboards"
    label = "dashboards"
