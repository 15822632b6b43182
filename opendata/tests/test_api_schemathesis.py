"""Property-based run of the API against its own OpenAPI schema: no 5xx, no answer outside the schema.

Bounded (a few examples per operation) so it stays well under a minute."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from civicplatform.wsgi import application

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _unlimited(settings, counted_budget, petition):
    # Every generated request comes from the same address: do not let the limit answer them all.
    settings.OPENDATA_API_RATE = "100000/m"
    # Compute the datasets once per operation, not once per generated request.
    settings.OPENDATA_CACHE_SECONDS = 60


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # Requests go through the real WSGI handler, which closes the database connection when a
    # request starts and finishes; the test's transaction lives on it (Django's test client does the same).
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_conforms_to_its_schema(case):
    case.call_and_validate()
