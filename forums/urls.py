from __future__ import annotations

from django.urls import path

from forums.views import comments, questions, threads

app_name = "forums"
urlpatterns = [
    path("", threads.index, name="index"),
    # Comment actions, for any commentable item (threads, projects, news articles...).
    path(
        "commentaires/<str:target_label>/<str:target_key>/publier/",
        comments.comment_create,
        name="comment_create",
    ),
    path("commentaires/<uuid:public_id>/repondre/", comments.comment_reply, name="comment_reply"),
    path("commentaires/<uuid:public_id>/modifier/", comments.comment_edit, name="comment_edit"),
    path("commentaires/<uuid:public_id>/supprimer/", comments.comment_delete, name="comment_delete"),
    path("commentaires/<uuid:public_id>/reagir/", comments.comment_react, name="comment_react"),
    # Live-event questions.
    path("questions/<uuid:public_id>/soutenir/", questions.question_vote, name="question_vote"),
    path("questions/<uuid:public_id>/moderer/", questions.question_moderate, name="question_moderate"),
    path("questions/<uuid:public_id>/fusionner/", questions.question_merge, name="question_merge"),
    # Forums and threads. Forum slugs cannot be "commentaires" or "questions" (forums.models.threads).
    path("<slug:forum_slug>/", threads.forum_detail, name="forum"),
    path("<slug:forum_slug>/nouveau/", threads.thread_create, name="thread_create"),
    path("<slug:forum_slug>/<slug:thread_slug>/", threads.thread_detail, name="thread"),
    path("<slug:forum_slug>/<slug:thread_slug>/evenements/", threads.thread_events, name="thread_events"),
    path("<slug:forum_slug>/<slug:thread_slug>/cloturer/", threads.thread_close, name="thread_close"),
    path("<slug:forum_slug>/<slug:thread_slug>/ecran/", threads.thread_screen, name="thread_screen"),
    path("<slug:forum_slug>/<slug:thread_slug>/questions/", questions.question_ask, name="question_ask"),
]
