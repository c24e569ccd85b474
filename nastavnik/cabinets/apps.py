from django.apps import AppConfig


class CabinetsConfig(AppConfig):
    name = "nastavnik.cabinets"
    label = "cabinets"
