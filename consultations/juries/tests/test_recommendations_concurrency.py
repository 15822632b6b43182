"""Races on PostgreSQL, with real threads and their own connections: one ballot per member when
the same member votes many times at once, and distinct numbers when members create drafts at once."""

from __future__ import annotations

import pytest
from django.db import connection

from civicplatform.accounts.tests.factories import StaffFactory
from civicplatform.ballots import services as ballots
from civicplatform.ballots.models import ParticipationLedger, SecretBallot
from civicplatform.core.testing import race

from .. import services_recommendations as services
from .recommendations_setup import draft, open_vote, seated_jury

pytestmark = [
    # Without serialized_rollback (see petitions/tests/test_concurrency.py): every row these tests
    # need comes from factories, and the migrated rows are put back after the module.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_rows_restored_after"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrency"),
    pytest.mark.usefixtures("_no_staff_mfa"),
]


@pytest.fixture
def _no_staff_mfa(settings):
    settings.ACCOUNTS_STAFF_MFA_REQUIRED = False


def test_twenty_simultaneous_ballots_by_one_member_leave_exactly_one():
    jury, members = seated_jury(2)
    vote = open_vote(jury, StaffFactory(), [draft(jury, members[0])])

    outcomes = race(lambda n: services.recommendation_ballot_cast(vote=vote, person=members[1], levels={1: n % 6}), 20)

    assert sum(isinstance(outcome, str) for outcome in outcomes) == 1
    assert all(isinstance(outcome, (str, ballots.AlreadyVoted)) for outcome in outcomes), outcomes
    assert ParticipationLedger.objects.filter(voter=members[1]).count() == 1
    assert SecretBallot.objects.count() == 1


def test_simultaneous_drafts_get_distinct_consecutive_numbers():
    jury, members = seated_jury(2)

    outcomes = race(lambda n: draft(jury, members[n % 2], n).number, 10)

    assert sorted(outcomes) == list(range(1, 11)), outcomes
