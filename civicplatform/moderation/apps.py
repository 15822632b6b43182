from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "civicplatform.moderation"
    label = "moderation"
