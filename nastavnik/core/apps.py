from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nastavnik.core"
    label = "core"

    def ready(self) -> None:
        from nastavnik.core import ids

        ids.register()
