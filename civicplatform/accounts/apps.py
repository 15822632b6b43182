from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "civicplatform.accounts"
    label = "accounts"
