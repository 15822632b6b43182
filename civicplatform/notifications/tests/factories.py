from __future__ import annotations

import factory

from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.notifications import kinds
from civicplatform.notifications.models import Follow, Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = kinds.FOLLOWED_UPDATE
    title = factory.Sequence(lambda n: f"Nouvelle contribution n°{n}")
    body = "Une habitante a proposé un jardin partagé."
    url = "/budgets/jardin-partage/"


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    user = factory.SubFactory(UserFactory)
