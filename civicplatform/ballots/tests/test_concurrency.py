"""One vote per person, enforced by PostgreSQL when many requests arrive at once.

Real threads with their own database connections (transactional_db): the unique
constraint and the advisory lock must hold without any help from Python.
"""

from __future__ import annotations

import pytest
from django.db import connection

from civicplatform.accounts.tests.factories import ResidentFactory
from civicplatform.ballots import services
from civicplatform.ballots.models import ParticipationLedger, SecretBallot
from civicplatform.core.models import AuditEvent
from civicplatform.core.testing import race
from civicplatform.territory.tests.factories import DistrictFactory

pytestmark = [
    # serialized_rollback: the flush after each test must not wipe what migrations created (Wagtail site...).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrency"),
]

THREADS = 50


def _race(target, count: int = THREADS) -> list:
    return race(target, count)


def test_fifty_simultaneous_votes_by_one_person_leave_exactly_one_ballot():
    election = DistrictFactory()
    person = ResidentFactory()

    outcomes = _race(lambda number: services.ballot_cast(election=election, person=person, choices={"n": number}))

    receipts = [outcome for outcome in outcomes if isinstance(outcome, str)]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, services.AlreadyVoted)]
    assert len(receipts) == 1
    assert len(refusals) == THREADS - 1
    assert ParticipationLedger.objects.count() == 1
    assert SecretBallot.objects.count() == 1
    assert AuditEvent.objects.filter(action="ballots.cast").count() == 1


def test_simultaneous_votes_in_exclusive_elections_leave_one_ballot():
    elections = DistrictFactory.create_batch(5)
    person = ResidentFactory()

    outcomes = _race(
        lambda number: services.ballot_cast(
            election=elections[number % 5], person=person, choices={}, exclusive_with=elections
        ),
        count=20,
    )

    assert sum(isinstance(outcome, str) for outcome in outcomes) == 1
    assert all(isinstance(o, (str, services.AlreadyVoted)) for o in outcomes)
    assert ParticipationLedger.objects.count() == 1
    assert SecretBallot.objects.count() == 1


def test_simultaneous_votes_by_different_people_are_all_kept():
    election = DistrictFactory()
    people = ResidentFactory.create_batch(30)

    outcomes = _race(lambda number: services.ballot_cast(election=election, person=people[number], choices={}), 30)

    assert all(isinstance(outcome, str) for outcome in outcomes)
    assert ParticipationLedger.objects.count() == SecretBallot.objects.count() == 30


def test_simultaneous_changes_with_the_right_receipt_apply_one_after_the_other():
    election = DistrictFactory()
    person = ResidentFactory()
    receipt = services.ballot_cast(election=election, person=person, choices={"n": -1})

    outcomes = _race(
        lambda number: services.ballot_change(election=election, person=person, receipt=receipt, choices={"n": number}),
        count=20,
    )

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert SecretBallot.objects.count() == 1
    assert SecretBallot.objects.get().choices["n"] in range(20)
    assert AuditEvent.objects.filter(action="ballots.change").count() == 20
