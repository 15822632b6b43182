from __future__ import annotations

import pytest
from django.utils import translation

from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.notifications import kinds
from civicplatform.notifications.kinds import DeliveryMode
from civicplatform.notifications.models import Channel, Delivery, DeliveryStatus, Notification, NotificationPreference
from civicplatform.notifications.services import follow, notify, notify_followers

pytestmark = pytest.mark.django_db


def _notify(recipients, **overrides):
    params = {
        "recipients": recipients,
        "kind": kinds.MENTION,
        "title": "Camille vous a mentionné",
        "body": "« Je rejoins l'avis de @Dominique sur le parc. »",
        "url": "/forums/parc/",
    }
    params.update(overrides)
    return notify(**params)


def test_each_recipient_gets_one_in_app_notification(resident, other_resident):
    notifications = _notify([resident, other_resident, resident])

    assert len(notifications) == 2
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {resident.pk, other_resident.pk}
    stored = Notification.objects.get(recipient=resident)
    assert stored.title == "Camille vous a mentionné"
    assert stored.url == "/forums/parc/"
    assert stored.read_at is None


def test_the_person_who_acted_is_not_notified_of_their_own_action(resident, other_resident):
    _notify([resident, other_resident], actor=resident)

    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [other_resident.pk]


def test_erased_and_inactive_accounts_are_not_notified(resident, other_resident, citizen):
    other_resident.erased_at = other_resident.date_joined
    other_resident.save()
    citizen.is_active = False
    citizen.save()

    _notify([resident, other_resident, citizen])

    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [resident.pk]


def test_immediate_kind_sends_one_email_after_commit(
    resident, settings, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        [notification] = _notify([resident])
        assert mailoutbox == []  # nothing leaves before the commit

    assert len(callbacks) == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [resident.email]
    assert message.subject == "Camille vous a mentionné"
    assert f"{settings.SITE_URL}/forums/parc/" in message.body
    delivery = Delivery.objects.get(notification=notification)
    assert (delivery.channel, delivery.status, delivery.attempts) == (Channel.EMAIL, DeliveryStatus.SENT, 1)


def test_every_email_offers_one_click_unsubscribe(resident, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify([resident])

    headers = mailoutbox[0].extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = headers["List-Unsubscribe"].strip("<>")
    assert "/notifications/desabonnement/" in link
    assert link in mailoutbox[0].body


def test_digest_preference_queues_for_the_daily_summary_without_email(
    resident, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=resident, kind=kinds.MENTION, delivery=DeliveryMode.DIGEST)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        [notification] = _notify([resident])

    assert callbacks == []
    assert mailoutbox == []
    assert Delivery.objects.get(notification=notification).channel == Channel.DIGEST


def test_off_preference_keeps_the_notification_in_app_only(resident, mailoutbox, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=resident, kind=kinds.MENTION, delivery=DeliveryMode.OFF)

    with django_capture_on_commit_callbacks(execute=True):
        [notification] = _notify([resident])

    assert mailoutbox == []
    assert not Delivery.objects.filter(notification=notification).exists()
    assert Notification.objects.filter(recipient=resident).count() == 1


def test_desk_accounts_without_email_are_notified_in_app_only(mailoutbox, django_capture_on_commit_callbacks):
    desk_person = UserFactory(email=None, pseudonym="Guichet")

    with django_capture_on_commit_callbacks(execute=True):
        [notification] = _notify([desk_person])

    assert mailoutbox == []
    assert not Delivery.objects.filter(notification=notification).exists()


def test_lazy_texts_are_stored_in_the_site_language(resident):
    with translation.override("en"):
        [notification] = notify(
            recipients=[resident], kind=kinds.ACCOUNT, title=kinds.get_kind(kinds.MODERATION).label, body=""
        )

    assert notification.title == "Modération de vos contributions"


def test_unknown_kinds_are_refused(resident):
    with pytest.raises(LookupError):
        _notify([resident], kind="no-such-kind")


@pytest.mark.parametrize("url", ["https://phishing.example/", "//evil.example/x", "javascript:alert(1)"])
def test_links_outside_the_site_are_refused(resident, url):
    with pytest.raises(ValueError, match="path on this site"):
        _notify([resident], url=url)
    assert not Notification.objects.exists()


def test_absolute_links_to_the_site_are_stored_as_paths(resident, settings):
    [notification] = _notify([resident], url=f"{settings.SITE_URL}/petitions/piste-cyclable/")

    assert notification.url == "/petitions/piste-cyclable/"


def test_followers_of_an_object_are_notified_except_the_author(followable, district, resident, other_resident):
    follow(user=resident, target=district)
    follow(user=other_resident, target=district)

    notifications = notify_followers(
        target=district, actor=other_resident, title="Nouveau projet dans votre quartier", url="/budgets/"
    )

    assert [n.recipient for n in notifications] == [resident]
    assert notifications[0].kind == kinds.FOLLOWED_UPDATE
    assert notifications[0].target_id == str(district.pk)


def test_followers_already_notified_otherwise_can_be_excluded(followable, district, resident, other_resident):
    follow(user=resident, target=district)
    follow(user=other_resident, target=district)

    notifications = notify_followers(target=district, title="Nouveau message", exclude=[resident])

    assert [n.recipient for n in notifications] == [other_resident]
