from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "nastavnik.compliance"
    label = "compliance"

    def ready(self) -> None:
        # The checks and the roadmap's fulfilments read many apps; they are declared here,
        # above all of them, and nothing below imports this package.
        from nastavnik.compliance import checks, roadmap, stages  # noqa: F401
