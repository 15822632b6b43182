from __future__ import annotations

from django.urls import path, register_converter

from . import feeds, views


class ExtensionConverter:
    regex = "csv|json|geojson"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExtensionConverter, "opendata_ext")

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("catalogue.jsonld", views.catalogue, name="catalogue"),
    path("impact/", views.dashboard, name="dashboard"),
    path("impact/equipe/", views.dashboard_staff, name="dashboard_staff"),
    path("impact/equipe/recalculer/", views.dashboard_refresh, name="dashboard_refresh"),
    path("impact/chiffres.csv", views.dashboard_export, name="dashboard_export"),
    path("flux/budgets.atom", feeds.BudgetPhasesFeed(), name="feed_budgets"),
    path("flux/forums.atom", feeds.ForumThreadsFeed(), name="feed_forums"),
    path("flux/consultations.atom", feeds.ConsultationsFeed(), name="feed_consultations"),
    path("flux/jurys.atom", feeds.JuriesFeed(), name="feed_juries"),
    path("widgets/budgets/<slug:slug>/<slug:budget_slug>/", views.widget_budget, name="widget_budget"),
    path("widgets/votes/<slug:slug>/", views.widget_vote, name="widget_vote"),
    path("jeux/<slug:key>.<opendata_ext:extension>", views.download, name="download"),
]
