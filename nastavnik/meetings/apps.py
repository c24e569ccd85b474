from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "nastavnik.meetings"
    label = "meetings"
