from django.apps import AppConfig


class MentorsConfig(AppConfig):
    name = "nastavnik.mentors"
    label = "mentors"
