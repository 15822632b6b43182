from __future__ import annotations

from django.urls import path

from .views import public, staff

app_name = "juries"

urlpatterns = [
    path("", public.jury_index, name="index"),
    path("confirmer/<str:token>/", public.confirm, name="confirm"),
    path("<slug:slug>/", public.jury_detail, name="detail"),
    path("<slug:slug>/inscription/", public.register, name="register"),
    path("<slug:slug>/inscription/merci/", public.registered, name="registered"),
    path("<slug:slug>/tirages/<uuid:run_id>/", public.run_detail, name="run"),
    path("<slug:slug>/tirages/<uuid:run_id>/<str:name>", public.run_file, name="run_file"),
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
