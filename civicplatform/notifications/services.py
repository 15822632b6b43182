"""Writes of the notifications app: notify people, deliver e-mails once, follow objects, preferences."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation

from civicplatform.core.registry import has_capability
from civicplatform.core.services import audit_record
from civicplatform.notifications import emails, kinds, selectors
from civicplatform.notifications.kinds import DeliveryMode
from civicplatform.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    DigestRun,
    Follow,
    Notification,
    NotificationPreference,
)

# What a delivery task reports (also its Celery result, handy in logs).
SENT = "sent"
SKIPPED = "skipped"
NOTHING_TO_DO = "nothing to do"
ALREADY_SENT_TODAY = "already sent today"


def can_receive_email(user) -> bool:
    # Accounts created at the desk have no address; erased accounts must never be contacted again.
    return bool(user.email) and user.is_active and user.erased_at is None


def _site_path(url: str) -> str:
    """Notifications link only to this site; an absolute URL on SITE_URL is reduced to its path."""
    url = str(url or "")
    if url.startswith(settings.SITE_URL + "/"):
        url = url[len(settings.SITE_URL) :]
    if url and (not url.startswith("/") or url.startswith("//")):
        raise ValueError(f"A notification links to a path on this site, not to {url!r}")
    return url


def _enqueue_delivery(delivery_id: int) -> None:
    from civicplatform.notifications.tasks import delivery_send as delivery_send_task

    delivery_send_task.delay(delivery_id)


def notify(
    *,
    recipients: Iterable,
    kind: str,
    target: models.Model | None = None,
    actor=None,
    title: str,
    body: str = "",
    url: str = "",
) -> list[Notification]:
    """Notify people: one in-app notification each, and an e-mail now or in tomorrow's summary
    depending on each person's preference for `kind`.

    The actor is never notified of their own action, and erased or inactive
    accounts are skipped. The rows are written in one transaction; the e-mails
    are queued only once it commits. Title and body are stored in the site
    language (lazy translations are resolved with it).
    """
    spec = kinds.get_kind(kind)
    people = {
        user.pk: user
        for user in recipients
        if user is not None and user.pk is not None and user.is_active and user.erased_at is None
    }
    if actor is not None:
        people.pop(actor.pk, None)
    if not people:
        return []
    path = _site_path(url)
    with translation.override(settings.LANGUAGE_CODE):
        title_text, body_text = str(title)[:200], str(body)
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    target_id = str(target.pk) if target is not None else ""
    modes = selectors.delivery_modes_for_users(user_ids=people.keys(), kind=spec.key)
    now = timezone.now()
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            Notification(
                recipient=user,
                kind=spec.key,
                actor=actor,
                target_type=target_type,
                target_id=target_id,
                title=title_text,
                body=body_text,
                url=path,
                created_at=now,
            )
            for user in people.values()
        )
        deliveries = []
        for notification in notifications:
            user = people[notification.recipient_id]
            mode = modes[user.pk]
            if mode == DeliveryMode.OFF or not can_receive_email(user):
                continue
            channel = Channel.EMAIL if mode == DeliveryMode.IMMEDIATE else Channel.DIGEST
            deliveries.append(Delivery(notification=notification, channel=channel, created_at=now))
        Delivery.objects.bulk_create(deliveries)
        for delivery in deliveries:
            if delivery.channel == Channel.EMAIL:
                transaction.on_commit(partial(_enqueue_delivery, delivery.pk))
    return notifications


def notify_followers(
    *,
    target: models.Model,
    kind: str = kinds.FOLLOWED_UPDATE,
    actor=None,
    title: str,
    body: str = "",
    url: str = "",
    exclude: Iterable = (),
) -> list[Notification]:
    """Notify everyone following `target` (except the actor and `exclude`, e.g. people already
    notified of the same event as a mention)."""
    excluded = {user.pk for user in exclude}
    followers = [user for user in selectors.followers_of(target=target) if user.pk not in excluded]
    return notify(recipients=followers, kind=kind, target=target, actor=actor, title=title, body=body, url=url)


# ---------------------------------------------------------------------------- e-mail delivery


def delivery_send(*, delivery_id: int) -> str:
    """Send the e-mail of one immediate delivery, at most once.

    The pending row is locked (SKIP LOCKED) in the transaction that sends the
    e-mail and marks it sent: a second task for the same delivery, whether it
    runs at the same time or later, finds no pending row and sends nothing. If
    sending raises, the transaction rolls back and the row stays pending for
    the retry.
    """
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification__recipient")
            .filter(pk=delivery_id, channel=Channel.EMAIL, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return NOTHING_TO_DO
        notification = delivery.notification
        user = notification.recipient
        # The person may have turned this kind off, or lost their address, since the notification was queued.
        turned_off = (
            not kinds.is_registered(notification.kind)
            or selectors.delivery_mode_for_user(user=user, kind=notification.kind) == DeliveryMode.OFF
        )
        if turned_off or not can_receive_email(user):
            delivery.status = DeliveryStatus.SKIPPED
            delivery.save(update_fields=["status"])
            return SKIPPED
        emails.notification_email(notification=notification, to=user.email).send()
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = timezone.now()
        delivery.attempts += 1
        delivery.last_error = ""
        delivery.save(update_fields=["status", "sent_at", "attempts", "last_error"])
        return SENT


def delivery_record_failure(*, delivery_id: int, error: str, final: bool) -> None:
    """Keep track of a failed attempt; after the last one the delivery is marked failed
    (staff can queue it again from the admin with delivery_retry)."""
    Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
        attempts=models.F("attempts") + 1,
        last_error=error[:2000],
        status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING,
    )


def delivery_retry(*, delivery: Delivery) -> None:
    """Queue a failed immediate e-mail again."""
    if delivery.channel != Channel.EMAIL or delivery.status != DeliveryStatus.FAILED:
        return
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.PENDING, attempts=0
        )
        transaction.on_commit(partial(_enqueue_delivery, delivery.pk))


# ---------------------------------------------------------------------------- daily summary


def digest_send(*, user_id: int, day: datetime.date) -> str:
    """Send one person's daily summary for `day`, at most once.

    The DigestRun (user, day) row is unique and written in the transaction that
    sends: a second run the same day hits the constraint (waiting for the first
    to commit) and sends nothing; a failed send rolls everything back for the retry.
    """
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return NOTHING_TO_DO
    pending = Delivery.objects.filter(
        channel=Channel.DIGEST, status=DeliveryStatus.PENDING, notification__recipient_id=user_id
    )
    with transaction.atomic():
        if not can_receive_email(user):
            pending.update(status=DeliveryStatus.SKIPPED)
            return SKIPPED
        try:
            with transaction.atomic():
                run = DigestRun.objects.create(user=user, date=day)
        except IntegrityError:
            return ALREADY_SENT_TODAY
        deliveries = list(
            pending.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification")
            .order_by("notification__created_at", "notification_id")
        )
        modes = selectors.delivery_modes_for_user(user=user)
        turned_off = [d.pk for d in deliveries if modes.get(d.notification.kind, DeliveryMode.OFF) == DeliveryMode.OFF]
        Delivery.objects.filter(pk__in=turned_off).update(status=DeliveryStatus.SKIPPED)
        items = [d for d in deliveries if d.pk not in turned_off]
        if not items:
            run.delete()
            return NOTHING_TO_DO
        emails.digest_email(
            user_id=user.pk,
            to=user.email,
            notifications=[d.notification for d in items],
            day_key=f"{user.pk}-{day.isoformat()}",
        ).send()
        now = timezone.now()
        Delivery.objects.filter(pk__in=[d.pk for d in items]).update(
            status=DeliveryStatus.SENT, sent_at=now, digest_run=run, attempts=models.F("attempts") + 1
        )
        run.item_count = len(items)
        run.sent_at = now
        run.save(update_fields=["item_count", "sent_at"])
        return SENT


# ---------------------------------------------------------------------------- in-app


def notification_mark_read(*, user, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


# ---------------------------------------------------------------------------- preferences


def preferences_update(*, user, choices: dict[str, str]) -> None:
    """Save this person's choice per kind (unknown kinds are ignored)."""
    with transaction.atomic():
        for key, delivery in choices.items():
            if not kinds.is_registered(key):
                continue
            NotificationPreference.objects.update_or_create(
                user=user, kind=key, defaults={"delivery": DeliveryMode(delivery)}
            )


def unsubscribe(*, user, kind_keys: Iterable[str]) -> list[str]:
    """Turn e-mails off for these kinds (one-click unsubscribe); return the kinds turned off.

    Recorded in the audit log: the request carries no session, so the log is
    the only trace of who asked.
    """
    keys = sorted({key for key in kind_keys if kinds.is_registered(key)})
    with transaction.atomic():
        preferences_update(user=user, choices=dict.fromkeys(keys, DeliveryMode.OFF))
        # Summary items already waiting for these kinds are not sent either.
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING, notification__recipient=user, notification__kind__in=keys
        ).update(status=DeliveryStatus.SKIPPED)
        audit_record(action="notifications.unsubscribe", target=user, data={"kinds": keys})
    return keys


# ---------------------------------------------------------------------------- follow


def _check_followable(target: models.Model) -> None:
    if not has_capability("followable", target):
        raise ValueError(f"{type(target).__name__} is not registered as followable")


def follow(*, user, target: models.Model) -> Follow:
    """Follow `target` (idempotent): its updates reach this person as 'followed_update' notifications."""
    _check_followable(target)
    follow_row, _created = Follow.objects.get_or_create(
        user=user, content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    )
    return follow_row


def unfollow(*, user, target: models.Model) -> None:
    Follow.objects.filter(
        user=user, content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).delete()


# ---------------------------------------------------------------------------- retention and erasure


def notifications_purge(cutoff: datetime.datetime) -> int:
    """Retention purge for the "notifications" purpose: notifications (and their deliveries)
    created before `cutoff`, and daily-summary records of that age."""
    deleted, _per_model = Notification.objects.filter(created_at__lt=cutoff).delete()
    runs, _per_model = DigestRun.objects.filter(sent_at__lt=cutoff).delete()
    return deleted + runs


def notifications_erase_for_user(*, user) -> None:
    """Account erasure: remove everything this app holds about the person."""
    with transaction.atomic():
        Notification.objects.filter(recipient=user).delete()
        Follow.objects.filter(user=user).delete()
        NotificationPreference.objects.filter(user=user).delete()
        DigestRun.objects.filter(user=user).delete()
