from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "nastavnik.catalogue"
    label = "catalogue"
