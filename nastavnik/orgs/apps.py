from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "nastavnik.orgs"
    label = "orgs"
