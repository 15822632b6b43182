from __future__ import annotations

import factory

from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.franceconnect.models import FranceConnectIdentity


class FranceConnectIdentityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FranceConnectIdentity

    user = factory.SubFactory(UserFactory)
    sub = factory.Sequence(lambda n: f"fc-sub-{n:064d}")
    acr = "eidas1"
