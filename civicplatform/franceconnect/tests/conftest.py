from __future__ import annotations

from unittest import mock

import pytest

from civicplatform.franceconnect import client as fc_client
from civicplatform.franceconnect.tests.fake_provider import CLIENT_ID, CLIENT_SECRET, ISSUER, FakeFranceConnect

SITE_URL = "https://participation.example.fr"


@pytest.fixture
def fake_fc():
    """The fake provider, answering every HTTP call the integration makes."""
    fake = FakeFranceConnect()
    with mock.patch.object(fc_client.requests, "request", side_effect=fake.handle):
        yield fake


@pytest.fixture
def fc_enabled(settings, fake_fc):
    settings.FRANCECONNECT_ENABLED = True
    settings.FRANCECONNECT_ISSUER = ISSUER
    settings.FRANCECONNECT_CLIENT_ID = CLIENT_ID
    settings.FRANCECONNECT_CLIENT_SECRET = CLIENT_SECRET
    settings.FRANCECONNECT_SCOPES = "openid given_name family_name email birthdate"
    settings.FRANCECONNECT_ACR = "eidas1"
    settings.FRANCECONNECT_RATE_LIMIT = "1000/m"
    settings.SITE_URL = SITE_URL
    # The cache is shared by the whole test run: start and end without metadata.
    fc_client.forget_cached_metadata()
    yield fake_fc
    fc_client.forget_cached_metadata()
