from __future__ import annotations

from django.urls import path

from .views import opinions, questionnaires, votes

app_name = "consultations"

_q = "questionnaires/<slug:slug>/"
_v = "scrutins/<slug:slug>/"
_c = "cartes/<slug:slug>/"

urlpatterns = [
    path("", questionnaires.index, name="index"),
    path(_q, questionnaires.questionnaire_detail, name="questionnaire"),
    path(_q + "repondre/", questionnaires.questionnaire_answer, name="questionnaire_answer"),
    path(_q + "merci/", questionnaires.questionnaire_thanks, name="questionnaire_thanks"),
    path(_q + "resultats/", questionnaires.questionnaire_results_view, name="questionnaire_results"),
    path(_q + "export.<str:fmt>", questionnaires.questionnaire_export, name="questionnaire_export"),
    path(_q + "moderation/", questionnaires.text_moderation, name="text_moderation"),
    path(_q + "moderation/<uuid:public_id>/", questionnaires.text_moderate, name="text_moderate"),
    path(_v, votes.vote_detail, name="vote"),
    path(_v + "voter/", votes.vote_cast, name="vote_cast"),
    path(_v + "bulletin-papier/", votes.vote_paper, name="vote_paper"),
    path(_v + "recu/", votes.vote_done, name="vote_done"),
    path(_v + "resultats/", votes.vote_results, name="vote_results"),
    path(_c, opinions.conversation_detail, name="conversation"),
    path(_c + "propositions/", opinions.statement_submit_view, name="statement_submit"),
    path(_c + "propositions/<uuid:public_id>/vote/", opinions.statement_vote_view, name="statement_vote"),
    path(_c + "<str:name>.csv", opinions.conversation_export, name="conversation_export"),
]
