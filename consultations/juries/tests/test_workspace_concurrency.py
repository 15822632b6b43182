"""One account per seat, enforced by PostgreSQL when two accounts claim the same seat at once.

Real threads with their own database connections (transactional_db)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from civicplatform.accounts.tests.factories import UserFactory

from .. import services_workspace
from ..models import Registrant, RegistrantStatus, Seat
from .factories import make_jury, make_pool

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrency"),
]


def _race(target, count: int) -> list:
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def run(number: int) -> None:
        try:
            barrier.wait()
            outcomes[number] = target(number)
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread got
            outcomes[number] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_accounts_claiming_one_seat_at_once_leave_one_seat():
    jury = make_jury()
    person = make_pool(jury, [("f", "young")])[0]
    Registrant.objects.filter(pk=person.pk).update(status=RegistrantStatus.CONFIRMED)
    accounts = [UserFactory(), UserFactory()]

    outcomes = _race(lambda n: services_workspace.seat_claim(registrant=person, user=accounts[n]), 2)

    seats = [outcome for outcome in outcomes if isinstance(outcome, Seat)]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(seats) == 1 and len(refusals) == 1
    assert Seat.objects.get().user == seats[0].user


def test_one_account_claiming_two_seats_at_once_holds_one():
    jury = make_jury()
    people = make_pool(jury, [("f", "young"), ("m", "old")])
    Registrant.objects.filter(pk__in=[p.pk for p in people]).update(status=RegistrantStatus.CONFIRMED)
    account = UserFactory()

    outcomes = _race(lambda n: services_workspace.seat_claim(registrant=people[n], user=account), 2)

    assert sum(isinstance(outcome, Seat) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, ValidationError) for outcome in outcomes) == 1
    assert Seat.objects.filter(user=account).count() == 1
