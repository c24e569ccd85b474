from django.apps import AppConfig


class MentorsConfig(AppConfig):
    name = "nastavnik.mentors"
    label = "mentors"

    def ready(self) -> None:
        from nastavnik.mentors.indicators import register

        register()
