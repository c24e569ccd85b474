from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "nastavnik.dashboards"
    label = "dashboards"

    def ready(self) -> None:
        from nastavnik.core.jobs import register_sweep
        from nastavnik.dashboards.tasks import region_reports_sweep

        register_sweep("region_reports", region_reports_sweep)
