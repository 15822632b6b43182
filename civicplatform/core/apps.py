from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "civicplatform.core"
    label = "core"
