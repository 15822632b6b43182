from __future__ import annotations

from django.urls import include, path

from .views import processes, projects, staff

app_name = "budgets"

_project = "<slug:slug>/projets/<uuid:public_id>/"

urlpatterns = [
    path("", processes.process_index, name="index"),
    path("<slug:slug>/", processes.process_detail, name="process"),
    path("<slug:slug>/projets/", projects.project_list, name="projects"),
    path("<slug:slug>/projets/proposer/", projects.project_submit, name="submit"),
    path(_project, projects.project_detail, name="project"),
    path(_project + "soutenir/", projects.project_support, name="support"),
    # Technical review and shortlist (evaluators).
    path("<slug:slug>/examen/", staff.review_queue, name="review_queue"),
    path("<slug:slug>/examen/preselection/", staff.shortlist_select, name="shortlist"),
    path(_project + "examen/", staff.project_review, name="review"),
    path(_project + "fusion/", staff.project_merge, name="merge"),
    # Implementation follow-up (staff).
    path(_project + "suivi/", staff.milestones, name="milestones"),
    path(_project + "suivi/<uuid:milestone_id>/", staff.milestone_edit, name="milestone_edit"),
    path(_project + "suivi/<uuid:milestone_id>/supprimer/", staff.milestone_delete, name="milestone_delete"),
    # Ballots and results share the "budgets" namespace.
    path("", include("budgets.voting.urls")),
    path("", include("budgets.results.urls")),
]
