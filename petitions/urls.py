from __future__ import annotations

from django.urls import path

from .views import feeds, moderation, public, signing, staff

app_name = "petitions"

urlpatterns = [
    path("", public.petition_index, name="index"),
    path("lancer/", public.petition_create, name="create"),
    path("mes-petitions/", public.my_petitions, name="mine"),
    path("donnees.csv", public.petitions_export_csv, name="export_csv"),
    path("flux/nouvelles/rss/", feeds.NewPetitionsFeed(), name="feed_new_rss"),
    path("flux/nouvelles/atom/", feeds.NewPetitionsAtomFeed(), name="feed_new_atom"),
    path("flux/reponses/rss/", feeds.AnsweredPetitionsFeed(), name="feed_answered_rss"),
    path("flux/reponses/atom/", feeds.AnsweredPetitionsAtomFeed(), name="feed_answered_atom"),
    path("signature/confirmer/<str:token>/", signing.signature_confirm, name="confirm"),
    path("signature/retirer/<str:token>/", signing.signature_withdraw_link, name="withdraw_link"),
    path("altcha/defi/", signing.altcha_challenge, name="altcha_challenge"),
    # Moderators.
    path("moderation/", moderation.moderation_queue, name="moderation_queue"),
    path("moderation/signatures/", moderation.signature_review, name="signature_review"),
    path("moderation/signatures/liberer/", moderation.signatures_release, name="signatures_release"),
    path("moderation/signalements/<int:flag_id>/vu/", moderation.trending_reviewed, name="trending_reviewed"),
    path("moderation/invalidations/", moderation.invalidations, name="invalidations"),
    path("moderation/domaines-jetables/", moderation.disposable_domains, name="disposable_domains"),
    path(
        "moderation/domaines-jetables/<int:domain_id>/supprimer/",
        moderation.disposable_domain_delete,
        name="disposable_domain_delete",
    ),
    path("reglages/", staff.petition_settings, name="settings"),
    # One petition.
    path("<slug:slug>/", public.petition_detail, name="detail"),
    path("<slug:slug>/modifier/", public.petition_edit, name="edit"),
    path("<slug:slug>/soumettre/", public.petition_submit, name="submit"),
    path("<slug:slug>/signer/", signing.petition_sign, name="sign"),
    path("<slug:slug>/merci/", signing.signature_thanks, name="thanks"),
    path("<slug:slug>/retirer/", signing.signature_withdraw, name="withdraw"),
    path("<slug:slug>/widget/", public.petition_widget, name="widget"),
    path("<slug:slug>/compte.json", public.petition_count, name="count"),
    path("<slug:slug>/donnees.json", public.petition_data, name="data"),
    path("<slug:slug>/moderer/", moderation.petition_moderate, name="moderate"),
    path("<slug:slug>/reponse/", staff.petition_respond, name="respond"),
    path("<slug:slug>/archiver/", staff.petition_archive, name="archive"),
    path("<slug:slug>/signataires.csv", staff.signatories_export, name="signatories_export"),
]
