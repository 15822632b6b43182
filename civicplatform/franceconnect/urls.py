from __future__ import annotations

from django.urls import path

from civicplatform.franceconnect import views

app_name = "franceconnect"
urlpatterns = [
    path("connexion/", views.login, name="login"),
    # Register this one with FranceConnect as the redirect_uri.
    path("retour/", views.callback, name="callback"),
    path("pseudonyme/", views.pseudonym, name="pseudonym"),
    path("deconnexion/", views.logout, name="logout"),
    # Register this one with FranceConnect as the post_logout_redirect_uri.
    path("deconnexion/retour/", views.logout_callback, name="logout_callback"),
    path("dissocier/", views.unlink, name="unlink"),
]
