"""Pure rules: the legal threshold, canonical e-mails, quarters, deadlines, encrypted identities."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from petitions.identity import (
    add_months,
    canonical_email,
    decrypt_identity,
    encrypt_identity,
    next_quarter_start,
    quarter_of,
)
from petitions.models import legal_threshold

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("electors", "is_commune", "expected"),
    [(17450, True, 1745), (10000, True, 1000), (10001, True, 1001), (17450, False, 873), (0, True, 0)],
)
def test_l1112_16_needs_a_tenth_of_electors_in_a_commune_and_a_twentieth_elsewhere(electors, is_commune, expected):
    assert legal_threshold(registered_electors=electors, is_commune=is_commune) == expected


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Jean.Dupont+petition@GoogleMail.com", "jeandupont@gmail.com"),
        ("jean.dupont@gmail.com", "jeandupont@gmail.com"),
        (" Marie+x@Orange.fr ", "marie@orange.fr"),
        ("marie.curie@orange.fr", "marie.curie@orange.fr"),
    ],
)
def test_one_mailbox_written_many_ways_has_one_canonical_address(typed, canonical):
    assert canonical_email(typed) == canonical


def test_quarters_follow_the_calendar_in_the_municipalitys_time_zone():
    # 31 March 23:30 in Paris (21:30 UTC) is still the first quarter.
    assert quarter_of(datetime.datetime(2026, 3, 31, 23, 30, tzinfo=PARIS)) == "2026-Q1"
    # 1 April 00:10 in Paris is 31 March 22:10 UTC: the second quarter locally.
    assert quarter_of(datetime.datetime(2026, 3, 31, 22, 10, tzinfo=datetime.UTC)) == "2026-Q2"
    assert quarter_of(datetime.datetime(2026, 12, 31, 12, 0, tzinfo=PARIS)) == "2026-Q4"
    assert next_quarter_start(datetime.datetime(2026, 11, 2, tzinfo=PARIS)) == datetime.date(2027, 1, 1)
    assert next_quarter_start(datetime.datetime(2026, 5, 2, tzinfo=PARIS)) == datetime.date(2026, 7, 1)


def test_six_months_after_the_end_of_august_is_the_end_of_february():
    start = datetime.datetime(2026, 8, 31, 10, 0, tzinfo=PARIS)
    assert add_months(start, 6) == datetime.datetime(2027, 2, 28, 10, 0, tzinfo=PARIS)
    assert add_months(datetime.datetime(2026, 1, 15, tzinfo=PARIS), 6).date() == datetime.date(2026, 7, 15)


def test_an_electors_address_is_stored_encrypted_and_reads_back():
    token = encrypt_identity({"full_name": "Jeanne Martin", "address": "3 rue des Lilas"})
    assert "Jeanne" not in token
    assert "Lilas" not in token
    assert decrypt_identity(token) == {"full_name": "Jeanne Martin", "address": "3 rue des Lilas"}
    assert decrypt_identity("not-a-token") == {}
