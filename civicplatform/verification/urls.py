from __future__ import annotations

from django.urls import path

from civicplatform.verification.views import desk, person, staff

app_name = "verification"
urlpatterns = [
    # The person verifies themself
    path("", person.start, name="start"),
    path("registre/", person.register, name="register"),
    path("courrier/", person.letter, name="letter"),
    path("courrier/annuler/", person.letter_cancel_view, name="letter_cancel"),
    path("code/", person.code, name="code"),
    # Staff back office
    path("gestion/", staff.staff_home, name="staff_home"),
    path("gestion/registres/", staff.registers, name="registers"),
    path("gestion/courriers/", staff.letters, name="letters"),
    path("gestion/courriers/<uuid:public_id>/imprimer/", staff.letter_print, name="letter_print"),
    path("gestion/courriers/<uuid:public_id>/envoye/", staff.letter_sent, name="letter_sent"),
    path("gestion/conflits/", staff.conflicts, name="conflicts"),
    path("gestion/conflits/<uuid:public_id>/", staff.conflict_detail, name="conflict_detail"),
    # The town-hall desk (guichet)
    path("guichet/", desk.home, name="desk"),
    path("guichet/nouveau/", desk.create, name="desk_create"),
    path("guichet/terminer/", desk.act_stop, name="desk_stop"),
    path("guichet/personne/<str:ref>/", desk.person, name="desk_person"),
    path("guichet/personne/<str:ref>/verifier/", desk.verify, name="desk_verify"),
    path("guichet/personne/<str:ref>/agir/", desk.act_start, name="desk_act"),
]
