"""One account per seat, enforced by PostgreSQL when two accounts claim the same seat at once.

Real threads with their own database connections (transactional_db)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.core.testing import race

from .. import services_workspace
from ..models import Registrant, RegistrantStatus, Seat
from .factories import make_jury, make_pool

pytestmark = [
    # Without serialized_rollback (see petitions/tests/test_concurrency.py): every row these tests
    # need comes from factories, and the migrated rows are put back after the module.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_rows_restored_after"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrency"),
]


def test_two_accounts_claiming_one_seat_at_once_leave_one_seat():
    jury = make_jury()
    person = make_pool(jury, [("f", "young")])[0]
    Registrant.objects.filter(pk=person.pk).update(status=RegistrantStatus.CONFIRMED)
    accounts = [UserFactory(), UserFactory()]

    outcomes = race(lambda n: services_workspace.seat_claim(registrant=person, user=accounts[n]), 2)

    seats = [outcome for outcome in outcomes if isinstance(outcome, Seat)]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(seats) == 1 and len(refusals) == 1
    assert Seat.objects.get().user == seats[0].user


def test_one_account_claiming_two_seats_at_once_holds_one():
    jury = make_jury()
    people = make_pool(jury, [("f", "young"), ("m", "old")])
    Registrant.objects.filter(pk__in=[p.pk for p in people]).update(status=RegistrantStatus.CONFIRMED)
    account = UserFactory()

    outcomes = race(lambda n: services_workspace.seat_claim(registrant=people[n], user=account), 2)

    assert sum(isinstance(outcome, Seat) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, ValidationError) for outcome in outcomes) == 1
    assert Seat.objects.filter(user=account).count() == 1
