"""Participation statistics: aggregates only, small counts hidden."""

from __future__ import annotations

import pytest

from civicplatform.accounts.tests.factories import ResidentFactory
from civicplatform.ballots import services
from civicplatform.ballots.models import Channel
from civicplatform.ballots.personal_data import participations_export
from civicplatform.ballots.selectors import participation_statistics, suppress_small, voted_in
from civicplatform.territory.tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


def _rows(rows):
    return {row.label: row.count for row in rows}


def test_counts_under_five_are_hidden_and_a_lone_hidden_count_takes_another_with_it():
    rows = suppress_small([("North", 12), ("South", 3), ("East", 7), ("West", 0)])

    assert _rows(rows) == {"North": 12, "South": None, "East": None, "West": 0}


def test_no_count_is_hidden_when_all_are_large_enough():
    assert _rows(suppress_small([("a", 5), ("b", 9)])) == {"a": 5, "b": 9}


def test_statistics_count_ballots_by_channel_and_voters_by_district_and_age(staff):
    election = DistrictFactory()
    north, south = DistrictFactory(name="Nord"), DistrictFactory(name="Sud")
    for _ in range(9):
        services.ballot_cast(election=election, person=ResidentFactory(district=north, birth_year=1990), choices={})
    for _ in range(2):
        services.ballot_cast(election=election, person=ResidentFactory(district=south, birth_year=1950), choices={})
    services.ballots_import(election=election, choices=[{}] * 7, channel=Channel.PAPER, actor=staff)

    stats = participation_statistics([election], year=2026)

    assert stats.total == 18
    assert _rows(stats.by_channel) == {"online": 11, "paper": 7, "imported": 0}
    by_district = _rows(stats.by_district)
    assert by_district["Nord"] == 9
    # 2 voters from the south: hidden, and the next smallest count with it.
    assert by_district["Sud"] is None
    assert by_district["no named voter (paper or imported ballots)"] is None
    by_age = _rows(stats.by_age)
    assert by_age["30 to 44"] == 9
    assert by_age["75 and over"] is None
    assert stats.has_suppressed


def test_statistics_take_three_queries_whatever_the_number_of_voters(django_assert_num_queries):
    election = DistrictFactory()
    for _ in range(10):
        services.ballot_cast(election=election, person=ResidentFactory(), choices={})

    with django_assert_num_queries(3):
        participation_statistics([election], year=2026)


def test_voted_in_lists_the_elections_where_the_person_voted(resident):
    first, second = DistrictFactory(), DistrictFactory()
    services.ballot_cast(election=second, person=resident, choices={})

    assert voted_in(elections=[first, second], person=resident) == {services.election_key(second)}


def test_the_personal_data_export_says_where_and_when_but_not_how_the_person_voted(resident):
    election = DistrictFactory(name="Budget Nord")
    services.ballot_cast(election=election, person=resident, choices={"projects": [99]})

    rows = participations_export(resident)

    assert len(rows) == 1
    assert rows[0]["vote"] == "Budget Nord"
    assert rows[0]["channel"] == "online"
    assert "99" not in str(rows)
