from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "nastavnik.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from nastavnik.notifications.registry import connect

        connect()
