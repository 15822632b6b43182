from __future__ import annotations

from django.urls import path

from civicplatform.core import audit_views
from civicplatform.moderation import views

app_name = "moderation"

_content = "contenu/<str:content_key>/<uuid:public_id>/"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("signaler/<str:content_key>/<uuid:public_id>/", views.report, name="report"),
    path(_content, views.content_detail, name="content"),
    path(_content + "masquer/", views.content_hide, name="hide"),
    path(_content + "retablir/", views.content_restore, name="restore"),
    path(_content + "classer/", views.reports_dismiss, name="dismiss"),
    path(_content + "bloquer-auteur/", views.author_block, name="block_author"),
    path("bloques/", views.blocked_user_list, name="blocked_users"),
    path("bloques/<uuid:block_id>/debloquer/", views.user_unblock, name="unblock"),
    # The staff audit log lives in core (every app writes to it); it is served here,
    # next to the moderation decisions that fill most of it.
    path("journal/", audit_views.audit_log, name="audit_log"),
    path("journal/export.csv", audit_views.audit_log_export, name="audit_log_export"),
]
