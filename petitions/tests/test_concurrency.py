"""Races on PostgreSQL: many simultaneous attempts by one person leave one signature.

The attempts run in threads, each with its own database connection, released
together by a barrier; the unique constraints decide, and the service turns the
losers' IntegrityError into "already signed".
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from civicplatform.accounts.tests.factories import ElectorFactory, UserFactory
from petitions.models import PetitionKind, PetitionStatus, QuarterSignature, Signature
from petitions.services import signing

from .conftest import identity
from .factories import PetitionFactory

# Transactional (the threads only see committed rows), without serialized_rollback: the root
# conftest's `_fresh_content_types` recreates the content types a previous flush removed, and every
# row these tests need is made by their factories; `migrated_rows_restored_after` (root conftest)
# puts the migrated rows back for the tests that follow.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_rows_restored_after"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the race needs PostgreSQL's row locks"),
]

ATTEMPTS = 200
# Simultaneous connections: PostgreSQL on this machine is shared with other test runs.
THREADS = 25


def _race(attempt: Callable[[int], object]) -> list[object]:
    barrier = threading.Barrier(THREADS)
    results: list[object] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=60)
            for number in range(index, ATTEMPTS, THREADS):
                try:
                    outcome = attempt(number)
                except Exception as error:  # noqa: BLE001 - every outcome is inspected below
                    outcome = error
                with lock:
                    results.append(outcome)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(worker, range(THREADS)))
    assert len(results) == ATTEMPTS
    return results


@pytest.fixture
def open_petition(db):
    return PetitionFactory(status=PetitionStatus.OPEN, open_for=(1, 10))


def test_200_parallel_http_attempts_by_the_same_person_give_one_signature(open_petition):
    person = UserFactory()
    url = reverse("petitions:sign", args=[open_petition.slug])

    def attempt(_number: int) -> int:
        client = Client()
        client.force_login(person)
        return client.post(url, {"notify_response": "on"}).status_code

    statuses = _race(attempt)
    assert set(statuses) == {302}
    assert Signature.objects.filter(petition=open_petition).count() == 1
    assert Signature.objects.get(petition=open_petition).user == person


def test_200_parallel_anonymous_attempts_with_one_address_give_one_signature(settings, open_petition):
    settings.PETITIONS_HOLD_PER_IP_PER_HOUR = 0

    def attempt(number: int) -> bool:
        spelling = ["lea.dupont@gmail.com", "LeaDupont+x@gmail.com", "l.e.a.dupont@googlemail.com"][number % 3]
        _signature, created = signing.signature_sign_anonymous(
            petition=open_petition, name="Léa Dupont", email=spelling, postal_code="45100", ip="198.51.100.7"
        )
        return created

    outcomes = _race(attempt)
    assert outcomes.count(True) == 1
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert Signature.objects.filter(petition=open_petition).count() == 1
    assert len(mail.outbox) <= signing.MAX_EMAILS_PER_SIGNATURE


def test_200_parallel_attempts_by_one_elector_on_two_requests_give_one_signature_in_the_quarter(db):
    first = PetitionFactory(kind=PetitionKind.FORMAL, status=PetitionStatus.OPEN, open_for=(1, 10))
    second = PetitionFactory(
        kind=PetitionKind.FORMAL, status=PetitionStatus.OPEN, open_for=(1, 10), municipality=first.municipality
    )
    elector = ElectorFactory()

    def attempt(number: int) -> object:
        target = first if number % 2 else second
        return signing.signature_sign(petition=target, person=elector, identity=identity())

    outcomes = _race(attempt)
    unexpected = [o for o in outcomes if isinstance(o, Exception) and getattr(o, "code", "") != "quarter"]
    assert not unexpected
    assert Signature.objects.filter(user=elector).count() == 1
    assert QuarterSignature.objects.filter(elector=elector).count() == 1
