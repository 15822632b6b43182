from __future__ import annotations

from django.urls import path

from civicplatform.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("tout-lu/", views.notification_mark_all_read, name="mark_all_read"),
    path("<uuid:public_id>/lu/", views.notification_mark_read, name="mark_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("suivre/<str:model>/<str:ref>/", views.follow, name="follow"),
]
