from __future__ import annotations

import pytest

from civicplatform.core import registry
from civicplatform.notifications import kinds
from civicplatform.notifications.kinds import DeliveryMode
from civicplatform.notifications.models import DigestRun, Follow, Notification, NotificationPreference
from civicplatform.notifications.services import follow

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_the_data_export_lists_my_notifications_preferences_and_follows(followable, district, resident, other_resident):
    NotificationFactory(recipient=resident, title="Projet retenu au vote")
    NotificationFactory(recipient=other_resident, title="Pas pour vous")
    NotificationPreference.objects.create(user=resident, kind=kinds.MENTION, delivery=DeliveryMode.OFF)
    follow(user=resident, target=district)
    exporters = registry.personal_data_exporters()

    notifications = exporters["notifications.notifications"](resident)
    preferences = exporters["notifications.preferences"](resident)
    follows = exporters["notifications.follows"](resident)

    assert [row["title"] for row in notifications] == ["Projet retenu au vote"]
    assert {"kind": "Mentions", "e_mail": "Aucun e-mail (toujours visible sur votre page de notifications)"} in (
        preferences
    )
    assert len(preferences) == len(kinds.all_kinds())
    assert follows == [{"followed_on": follows[0]["followed_on"], "item_type": "quartier", "item": str(district)}]


def test_erasing_an_account_removes_everything_this_app_holds_about_the_person(
    followable, district, resident, other_resident
):
    NotificationFactory(recipient=resident)
    NotificationPreference.objects.create(user=resident, kind=kinds.MENTION, delivery=DeliveryMode.OFF)
    DigestRun.objects.create(user=resident, date="2026-03-02")
    follow(user=resident, target=district)
    theirs = NotificationFactory(recipient=other_resident)

    registry.erasure_hooks()["notifications"](resident)

    assert list(Notification.objects.all()) == [theirs]
    assert not Follow.objects.exists()
    assert not NotificationPreference.objects.exists()
    assert not DigestRun.objects.exists()
