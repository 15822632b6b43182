"""Races on PostgreSQL, with real threads and their own connections: one ballot per member when
the same member votes many times at once, and distinct numbers when members create drafts at once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from civicplatform.accounts.tests.factories import StaffFactory
from civicplatform.ballots import services as ballots
from civicplatform.ballots.models import ParticipationLedger, SecretBallot

from .. import services_recommendations as services
from .recommendations_setup import draft, open_vote, seated_jury

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrency"),
    pytest.mark.usefixtures("_no_staff_mfa"),
]


@pytest.fixture
def _no_staff_mfa(settings):
    settings.ACCOUNTS_STAFF_MFA_REQUIRED = False


def _race(target, count: int) -> list:
    """Run `target(number)` in `count` threads released together; return what each returned or raised."""
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


def test_twenty_simultaneous_ballots_by_one_member_leave_exactly_one():
    jury, members = seated_jury(2)
    vote = open_vote(jury, StaffFactory(), [draft(jury, members[0])])

    outcomes = _race(lambda n: services.recommendation_ballot_cast(vote=vote, person=members[1], levels={1: n % 6}), 20)

    assert sum(isinstance(outcome, str) for outcome in outcomes) == 1
    assert all(isinstance(outcome, (str, ballots.AlreadyVoted)) for outcome in outcomes), outcomes
    assert ParticipationLedger.objects.filter(voter=members[1]).count() == 1
    assert SecretBallot.objects.count() == 1


def test_simultaneous_drafts_get_distinct_consecutive_numbers():
    jury, members = seated_jury(2)

    outcomes = _race(lambda n: draft(jury, members[n % 2], n).number, 10)

    assert sorted(outcomes) == list(range(1, 11)), outcomes
