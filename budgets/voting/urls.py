"""Voting URLs, included by budgets/urls.py under the "budgets" namespace (no app_name here)."""

from __future__ import annotations

from django.urls import path

from budgets.voting import views

_budget = "<slug:slug>/vote/<slug:budget_slug>/"

urlpatterns = [
    path("<slug:slug>/vote/", views.vote_index, name="vote"),
    path(_budget, views.ballot, name="ballot"),
    path(_budget + "recu/", views.vote_done, name="vote_done"),
    path(_budget + "modifier/", views.vote_change, name="vote_change"),
    path(_budget + "papier/", views.paper_ballot, name="paper_ballot"),
    path("<slug:slug>/mon-bulletin/", views.ballot_find, name="ballot_find"),
    path("<slug:slug>/bulletins-papier/", views.paper_import, name="paper_import"),
]
