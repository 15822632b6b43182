"""Atom feeds per participation and embeddable widgets, listed on the open-data page."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.models import PhaseKind
from budgets.tests.conftest import add_phase as add_budget_phase
from budgets.tests.factories import BudgetFactory, BudgetProcessFactory
from civicplatform.accounts.tests.factories import ElectorFactory, StaffFactory
from consultations.juries import services
from consultations.juries.models import Registrant
from consultations.juries.tests.factories import BALANCED, make_jury, make_pool
from consultations.models import Conversation, ConversationPhase, LocalVote, VotePhase
from consultations.tests.factories import LocalVoteFactory, QuestionnaireFactory, add_phase
from consultations.votes import local_vote_cast

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
    add_budget_phase(process, PhaseKind.RESULTS, start_days=-1, end_days=30)
    add_budget_phase(process, PhaseKind.IMPLEMENTATION, start_days=10, end_days=300)  # not open yet
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
    add_budget_phase(process, PhaseKind.VOTING, start_days=-1, end_days=5)
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


# ---------------------------------------------------------------------------- consultations and juries


def _at(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def test_the_consultations_feed_announces_openings_closings_and_results(client):
    survey = QuestionnaireFactory(slug="mobilites", title="Mobilités", results_visibility="after_close")
    add_phase(survey, start_days=-20, end_days=-4)
    referendum = LocalVoteFactory(slug="piscine", title="Piscine", question="Faut-il rénover la piscine ?")
    add_phase(referendum, start_days=-10, end_days=1)  # closes tomorrow: the closing notice is out
    conversation = Conversation.objects.create(slug="centre", title="Centre-ville", topic="Le centre", published=True)
    ConversationPhase.objects.create(conversation=conversation, starts_at=_at(-1), ends_at=_at(30))
    hidden = QuestionnaireFactory(slug="brouillon", title="Brouillon", published=False)
    add_phase(hidden, start_days=-5, end_days=-1)
    staff_only = QuestionnaireFactory(slug="interne", title="Interne", results_visibility="staff")
    add_phase(staff_only, start_days=-30, end_days=-25)
    LocalVoteFactory(slug="plus-tard", title="Plus tard")  # no phase: nothing to announce
    future = LocalVoteFactory(slug="futur", title="Futur")
    add_phase(future, start_days=5, end_days=10)

    found = entries(client, reverse("opendata:feed_consultations"))
    titles = [entry["title"] for entry in found]
    assert titles[0] == "Centre-ville — Statements and votes: open"
    assert titles[1].startswith("Piscine — Vote: closes on ")
    assert titles[2:] == [
        "Mobilités: results published",
        "Piscine — Vote: open",
        "Mobilités — Answering: open",
        "Interne — Answering: open",
    ]
    root = ET.fromstring(client.get(reverse("opendata:feed_consultations")).content)  # noqa: S314
    ids = [entry.findtext(f"{ATOM}id") for entry in root.findall(f"{ATOM}entry")]
    assert len(set(ids)) == len(ids) and all(found_id.startswith("urn:civicplatform:") for found_id in ids)
    assert "Brouillon" not in str(titles) and "Futur" not in str(titles) and "Plus tard" not in str(titles)
    links = {entry["title"]: entry["link"] for entry in found}
    assert links["Mobilités: results published"].endswith(
        reverse("consultations:questionnaire_results", args=["mobilites"])
    )
    assert links["Piscine — Vote: open"].endswith(reverse("consultations:vote", args=["piscine"]))


def test_a_closed_vote_announces_its_results(client, closed_vote):
    found = entries(client, reverse("opendata:feed_consultations"))
    assert [entry["title"] for entry in found] == ["Piscine: results published", "Piscine — Vote: open"]
    assert found[0]["link"].endswith(reverse("consultations:vote_results", args=["piscine"]))


def test_the_juries_feed_announces_juries_phases_and_draws(client):
    jury = make_jury(slug="marche")
    make_pool(jury, BALANCED)
    staff = StaffFactory()
    run = services.selection_commit(jury=jury, algorithm="maximin", lottery_size=50, actor=staff)
    run = services.selection_compute(run_id=run.pk, legacy_runs=5)
    run = services.selection_draw(run=run, dice="4 0 7 3", seeds=[], witnesses="Mme A", actor=staff)
    make_jury(slug="secret", published=False)

    found = entries(client, reverse("opendata:feed_juries"))
    titles = [entry["title"] for entry in found]
    assert titles == [
        "Jury sur la place du marché: the panel has been drawn by lot",
        "New citizen jury: Jury sur la place du marché",
        "Jury sur la place du marché — Registration of volunteers: open",  # opened yesterday in make_jury
    ]
    assert found[0]["link"].endswith(reverse("juries:run", kwargs={"slug": "marche", "run_id": run.public_id}))
    body = client.get(reverse("opendata:feed_juries")).content.decode()
    for registrant in Registrant.objects.filter(jury=jury):
        assert registrant.last_name not in body and registrant.pseudonym not in body


@pytest.fixture
def closed_vote(db):
    """A referendum closed a minute ago: 10 electors, 4 yes, 1 no, 1 blank (quorum met, adopted)."""
    vote = LocalVoteFactory(
        slug="piscine", title="Piscine", question="Faut-il rénover la piscine ?", registered_electors=10
    )
    add_phase(vote, start_days=-3, end_days=1)
    for choice, count in (("yes", 4), ("no", 1), ("blank", 1)):
        for _n in range(count):
            local_vote_cast(vote=vote, person=ElectorFactory(), choice=choice)
    VotePhase.objects.filter(vote=vote).update(ends_at=timezone.now() - datetime.timedelta(minutes=1))
    return vote


def test_the_vote_widget_shows_the_result_and_may_be_framed(client, closed_vote):
    response = client.get(reverse("opendata:widget_vote", kwargs={"slug": "piscine"}))
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    html = response.content.decode()
    assert "Yes: 4 votes (80.0 % of the votes cast)" in html
    assert "No: 1 vote" in html and "Blank: 1 vote" in html
    assert "Turnout: 6 voters out of 10 registered electors (60.0 %)." in html
    assert "Quorum met: the proposal is adopted and binds the council." in html


def test_the_vote_widget_says_when_the_quorum_is_not_met(client, closed_vote):
    LocalVote.objects.filter(pk=closed_vote.pk).update(registered_electors=20)
    html = client.get(reverse("opendata:widget_vote", kwargs={"slug": "piscine"})).content.decode()
    assert "Turnout: 6 voters out of 20 registered electors (30.0 %)." in html
    assert "Quorum not met: the referendum does not bind the council." in html


def test_no_vote_widget_while_open_or_unpublished(client, closed_vote):
    open_vote = LocalVoteFactory(slug="marche", title="Marché")
    add_phase(open_vote, start_days=-1, end_days=3)
    LocalVote.objects.filter(pk=closed_vote.pk).update(published=False)
    for slug in ("marche", "piscine", "nope"):
        assert client.get(reverse("opendata:widget_vote", kwargs={"slug": slug})).status_code == 404, slug


def test_the_open_data_page_lists_the_consultation_and_jury_feeds_and_vote_widgets(client, closed_vote):
    open_vote = LocalVoteFactory(slug="marche", title="Marché")
    add_phase(open_vote, start_days=-1, end_days=3)
    html = client.get(reverse("opendata:index")).content.decode()
    for url in (
        reverse("opendata:feed_consultations"),
        reverse("opendata:feed_juries"),
        reverse("opendata:widget_vote", kwargs={"slug": "piscine"}),
    ):
        assert f'href="{url}"' in html, url
    assert reverse("opendata:widget_vote", kwargs={"slug": "marche"}) not in html  # still open


def test_the_consultation_and_jury_index_pages_advertise_their_feeds(client):
    consultations_html = client.get(reverse("consultations:index")).content.decode()
    feed = reverse("opendata:feed_consultations")
    assert f'title="Consultations: what opens, closes and is decided" href="{feed}"' in consultations_html
    juries_html = client.get(reverse("juries:index")).content.decode()
    assert f'title="Citizen juries: news" href="{reverse("opendata:feed_juries")}"' in juries_html
