from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "nastavnik.orders"
    label = "orders"
