"""Citizen jury datasets: the drawn panel by feature and the spread of selection probabilities,
never a volunteer's name, contact or pseudonym."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from civicplatform.accounts.tests.factories import StaffFactory
from consultations.juries import services
from consultations.juries.models import Registrant
from consultations.juries.tests.factories import BALANCED, make_jury, make_pool

pytestmark = pytest.mark.django_db


def csv_rows(client, key: str) -> list[dict[str, str]]:
    response = client.get(reverse("opendata:download", kwargs={"key": key, "extension": "csv"}))
    assert response.status_code == 200, response.content[:300]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


@pytest.fixture
def drawn_jury(db):
    """Twelve volunteers (3 of each gender × age), a panel of 4: 2 women, 2 men, 1 to 3 of each age."""
    jury = make_jury(slug="marche")
    make_pool(jury, BALANCED)
    staff = StaffFactory()
    run = services.selection_commit(jury=jury, algorithm="maximin", lottery_size=50, actor=staff)
    run = services.selection_compute(run_id=run.pk, legacy_runs=5)
    return services.selection_draw(run=run, dice="4 0 7 3", seeds=[], witnesses="Mme A", actor=staff)


def test_the_panel_composition_gives_seats_per_feature_against_the_quotas(client, drawn_jury):
    rows = csv_rows(client, "juries-panel-composition")
    seats = {(row["feature"], row["value"]): row for row in rows}
    assert seats[("gender", "f")]["seats"] == "2" and seats[("gender", "m")]["seats"] == "2"
    assert seats[("gender", "f")]["value_label"] == "F" and seats[("gender", "f")]["feature_label"] == "Gender"
    assert (seats[("age", "young")]["min_seats"], seats[("age", "young")]["max_seats"]) == ("1", "3")
    assert int(seats[("age", "young")]["seats"]) + int(seats[("age", "old")]["seats"]) == 4
    assert {row["selection"] for row in rows} == {str(drawn_jury.public_id)}


def test_selection_probabilities_are_published_as_a_spread_only(client, drawn_jury):
    rows = csv_rows(client, "juries-selection-fairness")
    assert len(rows) == 1
    row = rows[0]
    assert (row["volunteers"], row["seats"], row["algorithm"], row["drawn"]) == ("12", "4", "maximin", "true")
    assert float(row["min_probability"]) == pytest.approx(4 / 12, abs=0.01)
    assert float(row["min_probability"]) <= float(row["median_probability"]) <= float(row["max_probability"])


def test_no_name_contact_or_pseudonym_is_published(client, drawn_jury):
    text = json.dumps([csv_rows(client, "juries-panel-composition"), csv_rows(client, "juries-selection-fairness")])
    for person in Registrant.objects.all():
        for value in (person.pseudonym, person.first_name, person.last_name, person.email):
            assert value not in text


def test_unpublished_juries_and_small_pools_stay_out(client, drawn_jury, settings):
    settings.OPENDATA_MIN_COUNT = 13
    assert csv_rows(client, "juries-selection-fairness") == []
    drawn_jury.jury.published = False
    drawn_jury.jury.save()
    assert csv_rows(client, "juries-panel-composition") == []


def test_the_jury_datasets_are_on_the_page_and_in_the_catalogue(client):
    html = client.get(reverse("opendata:index")).content.decode()
    catalogue = client.get(reverse("opendata:catalogue"), {"page_size": 100}).content.decode()
    for key in ("juries-panel-composition", "juries-selection-fairness"):
        assert reverse("opendata:download", kwargs={"key": key, "extension": "csv"}) in html
        assert f"/open-data/jeux/{key}.csv" in catalogue
