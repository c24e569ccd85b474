from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nastavnik.accounts"
    label = "accounts"
