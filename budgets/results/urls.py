"""Results URLs, included by budgets/urls.py under the "budgets" namespace (no app_name here)."""

from __future__ import annotations

from django.urls import path

from budgets.results import views

urlpatterns = [
    path("importer/pabulib/", views.pb_upload, name="pb_import"),
    path("<slug:slug>/resultats/", views.results, name="results"),
    path("<slug:slug>/resultats/enregistrer/", views.results_apply, name="results_apply"),
    path("<slug:slug>/resultats/<slug:budget_slug>.pb", views.results_pb, name="results_pb"),
]
