from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "civicplatform.territory"
    label = "territory"
