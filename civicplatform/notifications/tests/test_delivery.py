from __future__ import annotations

import smtplib
import threading

import pytest
from celery.exceptions import Retry
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, connections, transaction

from civicplatform.notifications import kinds, services
from civicplatform.notifications.kinds import DeliveryMode
from civicplatform.notifications.models import Channel, Delivery, DeliveryStatus, NotificationPreference
from civicplatform.notifications.tasks import MAX_RETRIES, delivery_send, retry_countdown

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery(resident):
    notification = NotificationFactory(recipient=resident, kind=kinds.MENTION, title="Camille vous a mentionné")
    return Delivery.objects.create(notification=notification, channel=Channel.EMAIL)


@pytest.fixture
def smtp_down(monkeypatch):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("relay unreachable")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)


def test_a_delivery_task_run_twice_sends_one_email(delivery, mailoutbox):
    assert delivery_send.apply(args=[delivery.pk]).get() == services.SENT
    assert delivery_send.apply(args=[delivery.pk]).get() == services.NOTHING_TO_DO

    assert len(mailoutbox) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.sent_at is not None


def test_the_email_carries_a_stable_message_id_so_servers_can_drop_copies(delivery, mailoutbox):
    services.delivery_send(delivery_id=delivery.pk)

    message_id = mailoutbox[0].extra_headers["Message-ID"]
    assert message_id == f"<notification-{delivery.notification.public_id}@127.0.0.1>"


def test_nothing_is_sent_if_the_person_turned_the_kind_off_meanwhile(delivery, resident, mailoutbox):
    NotificationPreference.objects.create(user=resident, kind=kinds.MENTION, delivery=DeliveryMode.OFF)

    assert services.delivery_send(delivery_id=delivery.pk) == services.SKIPPED

    assert mailoutbox == []
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SKIPPED


def test_nothing_is_sent_to_an_account_erased_meanwhile(delivery, resident, mailoutbox):
    resident.erased_at = resident.date_joined
    resident.save()

    assert services.delivery_send(delivery_id=delivery.pk) == services.SKIPPED
    assert mailoutbox == []


def test_a_mail_server_error_keeps_the_delivery_pending_and_schedules_a_retry(delivery, smtp_down, monkeypatch):
    scheduled = []

    def fake_retry(*, exc, countdown):
        scheduled.append(countdown)
        return Retry(exc=exc, when=countdown)

    monkeypatch.setattr(delivery_send, "retry", fake_retry)
    delivery_send.push_request(retries=1, is_eager=False)
    try:
        with pytest.raises(Retry):
            delivery_send.run(delivery.pk)
    finally:
        delivery_send.pop_request()

    assert scheduled == [120]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1
    assert "relay unreachable" in delivery.last_error


def test_without_a_broker_a_mail_server_error_fails_at_once_instead_of_breaking_the_page(
    delivery, smtp_down, django_capture_on_commit_callbacks
):
    assert delivery_send.apply(args=[delivery.pk]).get() == "failed"

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED


def test_retries_back_off():
    assert [retry_countdown(n) for n in range(MAX_RETRIES)] == [60, 120, 240, 480, 960]


def test_after_the_last_retry_the_delivery_is_marked_failed_and_can_be_queued_again(
    delivery, smtp_down, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    delivery_send.push_request(retries=MAX_RETRIES, is_eager=False)
    try:
        assert delivery_send.run(delivery.pk) == "failed"
    finally:
        delivery_send.pop_request()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED

    monkeypatch.undo()  # the relay is back
    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_retry(delivery=delivery)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert len(mailoutbox) == 1


# serialized_rollback keeps the rows data migrations created for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_a_copy_of_the_task_running_while_the_first_sends_skips_the_locked_delivery(resident, mailoutbox):
    notification = NotificationFactory(recipient=resident, kind=kinds.MENTION)
    delivery = Delivery.objects.create(notification=notification, channel=Channel.EMAIL)
    locked, release = threading.Event(), threading.Event()

    def first_task_sending():
        try:
            with transaction.atomic():
                Delivery.objects.select_for_update().get(pk=delivery.pk)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first_task_sending)
    thread.start()
    try:
        assert locked.wait(10)
        assert services.delivery_send(delivery_id=delivery.pk) == services.NOTHING_TO_DO
    finally:
        release.set()
        thread.join()
    assert mailoutbox == []
