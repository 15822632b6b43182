from __future__ import annotations

from django.urls import path

from civicplatform.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("donnees/", views.data_export, name="data_export"),
    path("donnees/<str:token>/", views.data_export_download, name="data_export_download"),
    path("supprimer/", views.account_erase, name="erase"),
    path("acces-gestion/", views.admin_login, name="admin_login"),
]
