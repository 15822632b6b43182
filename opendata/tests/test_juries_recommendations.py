"""The jury recommendations dataset (vote by level, decision, latest progress; no person) and the
juries feed's entries for the report, the responses and progress reports."""

from __future__ import annotations

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from civicplatform.accounts.tests.factories import StaffFactory
from consultations.juries import services_response
from consultations.juries.models import Decision, ProgressStatus, Registrant
from consultations.juries.tests.factories_response import make_reported_jury

pytestmark = pytest.mark.django_db

KEY = "juries-recommendations"
ATOM = "{http://www.w3.org/2005/Atom}"


def csv_rows(client) -> list[dict[str, str]]:
    response = client.get(reverse("opendata:download", kwargs={"key": KEY, "extension": "csv"}))
    assert response.status_code == 200, response.content[:300]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


@pytest.fixture
def answered_jury(db):
    staff = StaffFactory()
    jury, recommendations, members, _former = make_reported_jury(slug="arbres", adopted=2)
    services_response.response_publish(
        recommendation=recommendations[0], decision=Decision.PARTLY, reasons="En partie.", actor=staff
    )
    for day, status in (
        (datetime.date(2026, 1, 10), ProgressStatus.NOT_STARTED),
        (datetime.date(2026, 2, 1), ProgressStatus.IN_PROGRESS),
    ):
        services_response.progress_report_add(
            recommendation=recommendations[0], status=status, text="Point d'étape.", reported_on=day, actor=staff
        )
    return jury, members


def test_one_row_per_recommendation_with_the_vote_the_decision_and_the_latest_progress(client, answered_jury):
    rows = {row["number"]: row for row in csv_rows(client)}
    assert set(rows) == {"1", "2", "3"}
    first = rows["1"]
    assert (first["jury"], first["status"], first["decision"]) == ("arbres", "adopted", "partly")
    assert (first["strongly_support"], first["support"], first["accept"], first["reservations"]) == ("4", "2", "1", "0")
    assert (first["oppose"], first["abstain"], first["support_percent"]) == ("1", "0", "75.0")
    assert (first["progress_status"], first["progress_date"]) == ("in_progress", "2026-02-01")
    assert rows["2"]["decision"] == "" and rows["2"]["progress_status"] == ""
    assert rows["3"]["status"] == "not_adopted"


def test_no_member_or_staff_is_named(client, answered_jury):
    _jury, members = answered_jury
    text = json.dumps(csv_rows(client))
    for person in Registrant.objects.all():
        for value in (person.pseudonym, person.first_name, person.last_name):
            assert value not in text
    for user in members:
        assert user.email not in text and user.pseudonym not in text
    assert "@" not in text


def test_unpublished_reports_and_juries_stay_out(client, answered_jury):
    make_reported_jury(slug="brouillon", published=False)
    assert {row["jury"] for row in csv_rows(client)} == {"arbres"}
    jury, _members = answered_jury
    jury.published = False
    jury.save()
    assert csv_rows(client) == []


def test_the_dataset_is_listed_on_the_open_data_page(client):
    html = client.get(reverse("opendata:index")).content.decode()
    assert reverse("opendata:download", kwargs={"key": KEY, "extension": "csv"}) in html


def test_the_juries_feed_announces_the_report_the_responses_and_progress(client, answered_jury):
    jury, _members = answered_jury
    make_reported_jury(slug="brouillon", published=False)
    root = ET.fromstring(client.get(reverse("opendata:feed_juries")).content)  # noqa: S314 - our own feed
    entries = {
        entry.findtext(f"{ATOM}title"): entry.find(f"{ATOM}link").get("href") for entry in root.findall(f"{ATOM}entry")
    }
    assert entries[f"{jury.title}: the jury's report is published"].endswith(
        reverse("juries:response", args=["arbres"])
    )
    recommendation_url = reverse("juries:recommendation", args=["arbres", 1])
    assert entries[f"{jury.title}: the authority answered R1 (Partly accepted)"].endswith(recommendation_url)
    assert entries[f"{jury.title}: progress on R1 (In progress)"].endswith(recommendation_url)
    assert not any("brouillon" in link for link in entries.values())
