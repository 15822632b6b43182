from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "civicplatform.notifications"
    label = "notifications"
