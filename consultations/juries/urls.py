from __future__ import annotations

from django.urls import path

from .views import public, staff
from .views import recommendations as recommendation_views
from .views import response as response_views
from .views import workspace as workspace_views

app_name = "juries"

urlpatterns = [
    path("", public.jury_index, name="index"),
    path("confirmer/<str:token>/", public.confirm, name="confirm"),
    path("rejoindre/<str:token>/", workspace_views.join, name="workspace_join"),
    path("<slug:slug>/", public.jury_detail, name="detail"),
    path("<slug:slug>/inscription/", public.register, name="register"),
    path("<slug:slug>/inscription/merci/", public.registered, name="registered"),
    path("<slug:slug>/tirages/<uuid:run_id>/", public.run_detail, name="run"),
    path("<slug:slug>/tirages/<uuid:run_id>/<str:name>", public.run_file, name="run_file"),
    # The authority's response (public) and its staff page.
    path("<slug:slug>/recommandations/<int:number>/", response_views.recommendation_detail, name="recommendation"),
    path("<slug:slug>/reponse/", response_views.response_overview, name="response"),
    path("<slug:slug>/gestion/reponse/", response_views.respond, name="respond"),
    path("<slug:slug>/gestion/reponse/<int:number>/", response_views.respond_save, name="respond_save"),
    path("<slug:slug>/gestion/reponse/<int:number>/avancement/", response_views.progress_add, name="progress_add"),
    # The members' drafting area, the secret vote, minority views and the report.
    path("<slug:slug>/rapport/", recommendation_views.report, name="report"),
    path("<slug:slug>/espace/recommandations/", recommendation_views.recommendation_list, name="recommendations"),
    path(
        "<slug:slug>/espace/recommandations/nouvelle/",
        recommendation_views.recommendation_create,
        name="recommendation_create",
    ),
    path(
        "<slug:slug>/espace/recommandations/<int:number>/",
        recommendation_views.recommendation_edit,
        name="recommendation_edit",
    ),
    path(
        "<slug:slug>/espace/recommandations/<int:number>/retirer/",
        recommendation_views.recommendation_withdraw,
        name="recommendation_withdraw",
    ),
    path(
        "<slug:slug>/espace/recommandations/votes/ouvrir/",
        recommendation_views.vote_open,
        name="recommendation_vote_open",
    ),
    path(
        "<slug:slug>/espace/recommandations/votes/<int:vote_id>/",
        recommendation_views.vote_detail,
        name="recommendation_vote",
    ),
    path(
        "<slug:slug>/espace/recommandations/votes/<int:vote_id>/modifier/",
        recommendation_views.vote_change,
        name="recommendation_vote_change",
    ),
    path(
        "<slug:slug>/espace/recommandations/votes/<int:vote_id>/recu/",
        recommendation_views.vote_done,
        name="recommendation_vote_done",
    ),
    path(
        "<slug:slug>/espace/recommandations/votes/<int:vote_id>/clore/",
        recommendation_views.vote_close,
        name="recommendation_vote_close",
    ),
    path("<slug:slug>/espace/avis-minoritaires/", recommendation_views.minority_views, name="minority_views"),
    path(
        "<slug:slug>/espace/avis-minoritaires/<int:view_id>/signer/",
        recommendation_views.minority_view_sign,
        name="minority_view_sign",
    ),
    path("<slug:slug>/espace/rapport/", recommendation_views.report_edit, name="report_edit"),
    path("<slug:slug>/espace/rapport/publier/", recommendation_views.report_publish, name="report_publish"),
    # The seated jury's workspace, and the staff actions that open it and link seats.
    path("<slug:slug>/espace/", workspace_views.home, name="workspace"),
    path("<slug:slug>/espace/entree/", workspace_views.entrance, name="workspace_entrance"),
    path("<slug:slug>/espace/seances/", workspace_views.sessions, name="workspace_sessions"),
    path("<slug:slug>/espace/documents/", workspace_views.materials, name="workspace_materials"),
    path("<slug:slug>/espace/auditions/", workspace_views.hearings, name="workspace_hearings"),
    path("<slug:slug>/espace/questions/", workspace_views.questions, name="workspace_questions"),
    path(
        "<slug:slug>/espace/questions/<int:question_id>/reponse/",
        workspace_views.question_answer,
        name="workspace_question_answer",
    ),
    path("<slug:slug>/documents/<int:material_id>/", workspace_views.material_file, name="material_file"),
    path("<slug:slug>/gestion/espace/ouvrir/", workspace_views.workspace_open, name="workspace_open"),
    path("<slug:slug>/gestion/sieges/<str:pseudonym>/", workspace_views.seat_link, name="seat_link"),
    # Staff.
    path("<slug:slug>/gestion/", staff.manage, name="manage"),
    path("<slug:slug>/gestion/invitations/", staff.batch_create, name="batch_create"),
    path("<slug:slug>/gestion/invitations/<int:batch_id>/lettres.pdf", staff.batch_letters, name="batch_letters"),
    path("<slug:slug>/gestion/inscription-telephone/", staff.register_by_phone, name="register_by_phone"),
    path("<slug:slug>/gestion/quotas/recensement/", staff.quotas_census, name="quotas_census"),
    path("<slug:slug>/gestion/quotas/assouplir/", staff.quotas_relax, name="quotas_relax"),
    path("<slug:slug>/gestion/tirage/", staff.selection_start, name="selection_start"),
    path("<slug:slug>/gestion/remplacement/", staff.replacement_start, name="replacement_start"),
    path("<slug:slug>/gestion/membres/<str:pseudonym>/", staff.member_status, name="member_status"),
    path("<slug:slug>/gestion/tirages/<uuid:run_id>/tirer/", staff.selection_draw, name="selection_draw"),
]
