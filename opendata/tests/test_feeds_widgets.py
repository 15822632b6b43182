"""Atom feeds per participation and embeddable widgets, listed on the open-data page."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from budgets.models import PhaseKind
from budgets.tests.conftest import add_phase
from budgets.tests.factories import BudgetFactory, BudgetProcessFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    return [
        {"title": entry.findtext(f"{ATOM}title"), "link": entry.find(f"{ATOM}link").get("href")}
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_the_budget_feed_announces_each_phase_as_it_opens(client, counted_budget):
    process, _budget, _projects = counted_budget
    add_phase(process, PhaseKind.RESULTS, start_days=-1, end_days=30)
    add_phase(process, PhaseKind.IMPLEMENTATION, start_days=10, end_days=300)  # not open yet
    found = entries(client, reverse("opendata:feed_budgets"))
    titles = [entry["title"] for entry in found]
    assert titles == ["Budget participatif 2025 — Results", "Budget participatif 2025 — Vote"]
    assert found[0]["link"].endswith(reverse("budgets:results", kwargs={"slug": "bp-2025"}))


def test_the_forum_feed_lists_public_threads_only(client, comments):
    found = entries(client, reverse("opendata:feed_forums"))
    assert [entry["title"] for entry in found] == [comments.title]


def test_the_budget_widget_shows_the_result_and_may_be_framed(client, counted_budget):
    response = client.get(reverse("opendata:widget_budget", kwargs={"slug": "bp-2025", "budget_slug": "ville"}))
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    html = response.content.decode()
    assert "10 ballots: 90,000 € of 100,000 € go to the projects below." in html
    assert "A - Arbres" in html and "B - Bancs" in html
    assert "C - Composteurs" not in html


def test_no_widget_before_the_vote_is_over(client, db):
    process = BudgetProcessFactory(slug="bp-2031")
    add_phase(process, PhaseKind.VOTING, start_days=-1, end_days=5)
    BudgetFactory(process=process, slug="ville")
    assert (
        client.get(reverse("opendata:widget_budget", kwargs={"slug": "bp-2031", "budget_slug": "ville"})).status_code
        == 404
    )
    assert (
        client.get(reverse("opendata:widget_budget", kwargs={"slug": "nope", "budget_slug": "ville"})).status_code
        == 404
    )


def test_the_open_data_page_lists_every_feed_and_widget(client, counted_budget, petition):
    html = client.get(reverse("opendata:index")).content.decode()
    for url in (
        reverse("opendata:feed_budgets"),
        reverse("opendata:feed_forums"),
        reverse("petitions:feed_new_atom"),  # the petitions app's own feeds and counter, linked
        reverse("petitions:feed_answered_atom"),
        reverse("petitions:widget", kwargs={"slug": petition.slug}),
        reverse("opendata:widget_budget", kwargs={"slug": "bp-2025", "budget_slug": "ville"}),
    ):
        assert f'href="{url}"' in html, url
    assert "&lt;iframe src=" in html
