"""Moderators' pages: queue (with the 14-day deadline), decisions, held signatures, invalidations, domains."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from civicplatform.core.models import AuditEvent
from civicplatform.notifications.models import Notification
from petitions.models import DisposableDomain, PetitionStatus, RejectionReason, Signature, SignatureState

from .factories import PetitionFactory, SignatureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(municipality, resident):
    return PetitionFactory(
        municipality=municipality,
        author=resident,
        status=PetitionStatus.MODERATION,
        moderation_at=timezone.now() - datetime.timedelta(days=15),
        title="Un jardin partagé",
    )


def test_the_queue_is_for_moderators_and_flags_overdue_petitions(client, waiting, resident, moderator):
    url = reverse("petitions:moderation_queue")
    assert client.get(url).status_code == 302
    client.force_login(resident)
    assert client.get(url).status_code == 403
    client.force_login(moderator)
    page = client.get(url).content.decode()
    assert waiting.title in page
    assert "badge--overdue" in page
    assert client.post(url).status_code == 405


def test_a_moderator_publishes_from_the_decision_page(client, waiting, moderator, resident):
    client.force_login(moderator)
    url = reverse("petitions:moderate", args=[waiting.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "publish"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == PetitionStatus.OPEN
    assert Notification.objects.filter(recipient=resident, kind="petitions.status").exists()


def test_a_rejection_needs_a_reason_from_the_list(client, waiting, moderator):
    client.force_login(moderator)
    url = reverse("petitions:moderate", args=[waiting.slug])
    response = client.post(url, {"action": "reject", "details": "Hors sujet"})
    assert response.status_code == 400
    assert 'value="Hors sujet"' in response.content.decode() or "Hors sujet</textarea>" in response.content.decode()
    reason = RejectionReason.objects.get(code="not-competence")
    response = client.post(url, {"action": "reject", "reason": reason.pk, "details": "Compétence de l’État."})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == PetitionStatus.REJECTED
    assert waiting.rejection_reason == reason


def test_a_resident_cannot_reach_the_decision_page(client, waiting, other_resident):
    client.force_login(other_resident)
    assert client.get(reverse("petitions:moderate", args=[waiting.slug])).status_code == 403


def test_moderators_release_held_signatures_from_the_review_page(client, petition, moderator):
    held = SignatureFactory.create_batch(2, petition=petition, state=SignatureState.HELD, hold_reason="ip_rate")
    client.force_login(moderator)
    page = client.get(reverse("petitions:signature_review")).content.decode()
    assert petition.title in page
    response = client.post(reverse("petitions:signatures_release"), {"signature": [str(held[0].public_id)]})
    assert response.status_code == 302
    assert Signature.objects.get(pk=held[0].pk).state == SignatureState.VALIDATED
    assert Signature.objects.get(pk=held[1].pk).state == SignatureState.HELD
    client.post(reverse("petitions:signatures_release"), {"petition": petition.slug, "reason": "ip_rate"})
    assert Signature.objects.get(pk=held[1].pk).state == SignatureState.VALIDATED


def test_an_invalidation_shows_its_count_first_and_applies_once_confirmed(client, petition, moderator):
    SignatureFactory.create_batch(3, petition=petition, email_domain="fraud.example")
    client.force_login(moderator)
    url = reverse("petitions:invalidations")
    data = {"summary": "Adresses fabriquées", "petition": petition.slug, "email_domain": "fraud.example"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "3" in response.content.decode()
    assert not Signature.objects.filter(state=SignatureState.INVALIDATED).exists()
    response = client.post(url, {**data, "confirmed": "on"})
    assert response.status_code == 302
    assert Signature.objects.filter(state=SignatureState.INVALIDATED).count() == 3
    response = client.post(url, {"summary": "Tout", "petition": petition.slug, "confirmed": "on"})
    assert response.status_code == 400


def test_moderators_edit_the_disposable_domains(client, moderator, resident):
    url = reverse("petitions:disposable_domains")
    client.force_login(resident)
    assert client.get(url).status_code == 403
    client.force_login(moderator)
    assert client.post(url, {"domain": "not a domain"}).status_code == 400
    assert client.post(url, {"domain": "yopmail.com"}).status_code == 302
    entry = DisposableDomain.objects.get()
    assert client.get(reverse("petitions:disposable_domain_delete", args=[entry.pk])).status_code == 405
    assert client.post(reverse("petitions:disposable_domain_delete", args=[entry.pk])).status_code == 302
    assert not DisposableDomain.objects.exists()
    assert AuditEvent.objects.filter(action__startswith="petitions.disposable_").count() == 2


def test_a_flag_of_unusual_activity_is_marked_reviewed(client, petition, moderator):
    from petitions.models import TrendingFlag

    flag = TrendingFlag.objects.create(
        kind="domain", value="corp.example", petition=petition, window_start=timezone.now(), count=80
    )
    client.force_login(moderator)
    assert "corp.example" in client.get(reverse("petitions:signature_review")).content.decode()
    client.post(reverse("petitions:trending_reviewed", args=[flag.pk]))
    flag.refresh_from_db()
    assert flag.reviewed_by == moderator
