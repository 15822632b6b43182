from __future__ import annotations

import datetime
import smtplib
import zoneinfo

import pytest
import time_machine
from django.core.mail.backends.locmem import EmailBackend

from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.notifications import kinds, services
from civicplatform.notifications.kinds import DeliveryMode
from civicplatform.notifications.models import Channel, Delivery, DeliveryStatus, DigestRun, NotificationPreference
from civicplatform.notifications.tasks import digest_send, digest_send_daily

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MONDAY_MORNING = datetime.datetime(2026, 3, 2, 7, 30, tzinfo=PARIS)


def _queue_for_digest(user, title, kind=kinds.FOLLOWED_UPDATE):
    notification = NotificationFactory(recipient=user, kind=kind, title=title)
    return Delivery.objects.create(notification=notification, channel=Channel.DIGEST)


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_the_daily_run_sends_one_summary_per_person_with_all_their_items(resident, other_resident, mailoutbox):
    _queue_for_digest(resident, "Nouveau projet : jardin partagé")
    _queue_for_digest(resident, "La pétition « piste cyclable » a atteint 500 signatures")
    _queue_for_digest(other_resident, "Nouveau message dans « Parc des Mauves »")

    assert digest_send_daily.apply().get() == 2

    assert sorted(m.to[0] for m in mailoutbox) == sorted([resident.email, other_resident.email])
    summary = next(m for m in mailoutbox if m.to == [resident.email])
    assert "Nouveau projet : jardin partagé" in summary.body
    assert "piste cyclable" in summary.body
    assert "Parc des Mauves" not in summary.body
    assert summary.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists()
    run = DigestRun.objects.get(user=resident)
    assert (run.date, run.item_count) == (datetime.date(2026, 3, 2), 2)


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_running_the_summary_twice_the_same_day_sends_it_once(resident, mailoutbox):
    _queue_for_digest(resident, "Nouveau projet : jardin partagé")

    assert digest_send.apply(args=[resident.pk, "2026-03-02"]).get() == services.SENT
    _queue_for_digest(resident, "Arrivé après le résumé")
    assert digest_send.apply(args=[resident.pk, "2026-03-02"]).get() == services.ALREADY_SENT_TODAY

    assert len(mailoutbox) == 1
    assert "Arrivé après le résumé" not in mailoutbox[0].body


def test_items_arriving_after_the_summary_go_in_the_next_days_summary(resident, mailoutbox):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        _queue_for_digest(resident, "Lundi : nouveau projet")
        digest_send_daily.apply()
        _queue_for_digest(resident, "Lundi soir : nouveau message")
        digest_send_daily.apply()
    with time_machine.travel(MONDAY_MORNING + datetime.timedelta(days=1), tick=False):
        digest_send_daily.apply()

    assert len(mailoutbox) == 2
    assert "Lundi soir : nouveau message" in mailoutbox[1].body
    assert "Lundi : nouveau projet" not in mailoutbox[1].body


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_items_of_a_kind_turned_off_since_are_left_out(resident, mailoutbox):
    kept = _queue_for_digest(resident, "Nouveau projet : jardin partagé")
    dropped = _queue_for_digest(resident, "Camille vous a mentionné", kind=kinds.MENTION)
    NotificationPreference.objects.create(user=resident, kind=kinds.MENTION, delivery=DeliveryMode.OFF)

    digest_send_daily.apply()

    assert len(mailoutbox) == 1
    assert "Camille vous a mentionné" not in mailoutbox[0].body
    assert Delivery.objects.get(pk=kept.pk).status == DeliveryStatus.SENT
    assert Delivery.objects.get(pk=dropped.pk).status == DeliveryStatus.SKIPPED


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_nobody_without_an_email_address_gets_a_summary(mailoutbox):
    erased = UserFactory()
    item = _queue_for_digest(erased, "Nouveau projet")
    erased.erased_at = erased.date_joined
    erased.email = None
    erased.save()

    digest_send_daily.apply()

    assert mailoutbox == []
    assert Delivery.objects.get(pk=item.pk).status == DeliveryStatus.SKIPPED
    assert not DigestRun.objects.exists()


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_a_failed_summary_leaves_everything_pending_for_the_retry(resident, monkeypatch, mailoutbox):
    item = _queue_for_digest(resident, "Nouveau projet")

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("relay unreachable")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.digest_send(user_id=resident.pk, day=datetime.date(2026, 3, 2))
    assert Delivery.objects.get(pk=item.pk).status == DeliveryStatus.PENDING
    assert not DigestRun.objects.exists()

    monkeypatch.undo()
    assert services.digest_send(user_id=resident.pk, day=datetime.date(2026, 3, 2)) == services.SENT
    assert len(mailoutbox) == 1
