from __future__ import annotations

import datetime
import itertools

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from civicplatform.core.models import AuditEvent
from civicplatform.notifications import kinds
from civicplatform.notifications.kinds import DeliveryMode
from civicplatform.notifications.models import Channel, Delivery, DeliveryStatus, NotificationPreference
from civicplatform.notifications.tokens import unsubscribe_token_make

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

_addresses = (f"198.51.100.{n}" for n in itertools.count(1))


@pytest.fixture
def mail_client():
    """What a mail provider or an e-mail link opens: no session, CSRF enforced, its own IP."""
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=next(_addresses))


def _url(user, *kind_keys):
    return reverse("notifications:unsubscribe", args=[unsubscribe_token_make(user_id=user.pk, kinds=kind_keys)])


def test_opening_the_link_asks_for_confirmation_and_changes_nothing(mail_client, resident):
    response = mail_client.get(_url(resident, kinds.FOLLOWED_UPDATE))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Actualités de ce que vous suivez" in html
    assert 'method="post"' in html
    assert not NotificationPreference.objects.exists()


def test_confirming_turns_the_kind_off_without_login_or_csrf_token(mail_client, resident):
    response = mail_client.post(_url(resident, kinds.FOLLOWED_UPDATE))

    assert response.status_code == 200
    assert "E-mails arrêtés" in response.content.decode()
    preference = NotificationPreference.objects.get(user=resident)
    assert (preference.kind, preference.delivery) == (kinds.FOLLOWED_UPDATE, DeliveryMode.OFF)
    event = AuditEvent.objects.get(action="notifications.unsubscribe")
    assert event.actor is None
    assert event.data == {"kinds": [kinds.FOLLOWED_UPDATE]}


def test_a_mail_providers_one_click_post_works(mail_client, resident):
    response = mail_client.post(
        _url(resident, kinds.MENTION),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=resident, kind=kinds.MENTION).delivery == DeliveryMode.OFF


def test_a_summary_link_turns_off_every_kind_it_contained_and_drops_waiting_items(mail_client, resident):
    waiting = Delivery.objects.create(
        notification=NotificationFactory(recipient=resident, kind=kinds.FOLLOWED_UPDATE), channel=Channel.DIGEST
    )

    mail_client.post(_url(resident, kinds.FOLLOWED_UPDATE, kinds.MENTION))

    assert set(NotificationPreference.objects.filter(delivery=DeliveryMode.OFF).values_list("kind", flat=True)) == {
        kinds.FOLLOWED_UPDATE,
        kinds.MENTION,
    }
    waiting.refresh_from_db()
    assert waiting.status == DeliveryStatus.SKIPPED


def test_other_methods_are_refused(mail_client, resident):
    assert mail_client.put(_url(resident, kinds.MENTION)).status_code == 405


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_link_is_refused_with_an_explanation(mail_client, resident, method):
    token = unsubscribe_token_make(user_id=resident.pk, kinds=[kinds.MENTION])
    forged = token.replace(token[:6], "AAAAAA", 1)

    response = getattr(mail_client, method)(reverse("notifications:unsubscribe", args=[forged]))

    assert response.status_code == 400
    assert "Ce lien n’est plus valide" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_an_expired_link_says_so(mail_client, resident, settings):
    with time_machine.travel(datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC), tick=False):
        url = _url(resident, kinds.MENTION)

    response = mail_client.post(url)

    assert response.status_code == 400
    assert "Ce lien de désabonnement a expiré." in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_link_for_an_erased_account_does_nothing(mail_client, resident):
    url = _url(resident, kinds.MENTION)
    resident.erased_at = resident.date_joined
    resident.save()

    assert mail_client.post(url).status_code == 400
    assert not NotificationPreference.objects.exists()


def test_a_link_for_a_kind_no_longer_registered_does_nothing(mail_client, resident):
    assert mail_client.post(_url(resident, "retired-kind")).status_code == 400


def test_repeated_posts_from_one_address_are_slowed_down(mail_client, resident, settings):
    settings.NOTIFICATIONS_UNSUBSCRIBE_RATE = "2/m"
    url = _url(resident, kinds.MENTION)

    statuses = [mail_client.post(url).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert "Trop de demandes" in mail_client.post(url).content.decode()
