"""Staff set up budget processes in the Wagtail admin (Snippets): processes, their phases,
budgets and categories, and can correct projects and milestones. The technical review,
the shortlist and the follow-up have their own pages (budgets/views/staff.py), linked from
each process's page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Budget, BudgetPhase, BudgetProcess, Category, Milestone, Project


class BudgetProcessViewSet(SnippetViewSet):
    model = BudgetProcess
    icon = "calendar-alt"
    menu_label = _("Processes")
    list_display = ["title", "voting_scope", "ballot_type", "tally_rule", "created_at"]
    search_backend_name = None
    search_fields = ["title", "slug"]
    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("min_verification_level"), FieldPanel("min_age"), FieldPanel("restricted_districts")],
            heading=_("Who may take part"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("voting_scope"),
                FieldPanel("ballot_type"),
                FieldRowPanel([FieldPanel("min_projects"), FieldPanel("max_projects")]),
                FieldRowPanel([FieldPanel("points_total"), FieldPanel("max_points_per_project")]),
                FieldPanel("rank_k"),
            ],
            heading=_("Ballot"),
        ),
        MultiFieldPanel(
            [FieldPanel("tally_rule"), FieldPanel("threshold"), FieldPanel("tie_breaking"), FieldPanel("currency")],
            heading=_("Counting"),
        ),
    ]


class BudgetPhaseViewSet(SnippetViewSet):
    model = BudgetPhase
    icon = "time"
    menu_label = _("Phases")
    list_display = ["process", "kind", "starts_at", "ends_at", "enabled"]
    list_filter = ["process", "kind", "enabled"]
    ordering = ["process", "starts_at"]
    panels = [
        FieldPanel("process"),
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("enabled"),
        FieldPanel("description"),
    ]


class BudgetViewSet(SnippetViewSet):
    model = Budget
    icon = "tag"
    menu_label = _("Budgets")
    list_display = ["name", "process", "district", "amount"]
    list_filter = ["process"]
    search_backend_name = None
    search_fields = ["name"]
    panels = [
        FieldPanel("process"),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("district"),
        FieldPanel("amount"),
        FieldPanel("description"),
    ]


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    list_display = ["name", "process"]
    list_filter = ["process"]
    panels = [FieldPanel("process"), FieldPanel("name"), FieldPanel("slug")]


class ProjectViewSet(SnippetViewSet):
    model = Project
    icon = "doc-full"
    menu_label = _("Projects")
    list_display = ["title", "process", "budget", "status", "cost", "final_cost"]
    list_filter = ["process", "status", "budget"]
    search_backend_name = None
    search_fields = ["title", "summary", "external_id"]
    panels = [
        FieldPanel("process"),
        FieldPanel("budget"),
        FieldPanel("title"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("cost"), FieldPanel("final_cost")]),
        FieldPanel("category"),
        FieldPanel("district"),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("status"),
        FieldPanel("review_reason"),
        FieldPanel("merged_into"),
        FieldPanel("external_id"),
    ]


class MilestoneViewSet(SnippetViewSet):
    model = Milestone
    icon = "tasks"
    menu_label = _("Milestones")
    list_display = ["title", "project", "date", "progress"]
    ordering = ["-date"]
    panels = [
        FieldPanel("project"),
        FieldPanel("date"),
        FieldPanel("title"),
        FieldPanel("status"),
        FieldPanel("progress"),
        FieldPanel("description"),
        FieldPanel("photo"),
        FieldPanel("photo_alt_text"),
    ]


class BudgetsViewSetGroup(SnippetViewSetGroup):
    items = (BudgetProcessViewSet, BudgetPhaseViewSet, BudgetViewSet, CategoryViewSet, ProjectViewSet, MilestoneViewSet)
    menu_icon = "form"
    menu_label = _("Participatory budgets")
    menu_name = "budgets"


register_snippet(BudgetsViewSetGroup)
