from __future__ import annotations

from django.urls import path

from forums import views

app_name = "forums"
urlpatterns = [
    path(
        "commentaires/<str:target_label>/<str:target_key>/publier/",
        views.comment_create,
        name="comment_create",
    ),
    path("commentaires/<uuid:public_id>/repondre/", views.comment_reply, name="comment_reply"),
    path("commentaires/<uuid:public_id>/modifier/", views.comment_edit, name="comment_edit"),
    path("commentaires/<uuid:public_id>/supprimer/", views.comment_delete, name="comment_delete"),
    path("commentaires/<uuid:public_id>/reagir/", views.comment_react, name="comment_react"),
]
