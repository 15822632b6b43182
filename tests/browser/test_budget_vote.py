"""A resident votes on a phone, changes the vote, and finds the ballot in the published file;
staff record a paper ballot at the desk; the results page explains the count. 375 x 812, French."""

from __future__ import annotations

import datetime
import io
import re
from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from budgets import demo as budgets_demo
from budgets.models import BallotType, BudgetPhase, PhaseKind, ProjectStatus, VotingScope
from budgets.tests.factories import BudgetFactory, BudgetProcessFactory, ProjectFactory
from civicplatform.accounts.models import User
from civicplatform.accounts.tests.factories import ResidentFactory, StaffFactory
from civicplatform.ballots.models import ParticipationLedger, SecretBallot
from civicplatform.ballots.receipts import receipt_hash, voter_code
from civicplatform.territory.tests.factories import DistrictFactory
from civicplatform.verification.desk import person_ref

pytestmark = pytest.mark.browser


@pytest.fixture
def vote(live_site, settings):
    settings.ACCOUNTS_STAFF_MFA_REQUIRED = False
    now = timezone.now()
    process = BudgetProcessFactory(
        slug="bp-mobile", title="Budget participatif", ballot_type=BallotType.KNAPSACK, voting_scope=VotingScope.ALL
    )
    phase = BudgetPhase.objects.create(
        process=process,
        kind=PhaseKind.VOTING,
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=1),
    )
    budget = BudgetFactory(process=process, slug="ville", name="Toute la ville", amount=100000)
    projects = [
        ProjectFactory(budget=budget, title=title, cost=cost, status=ProjectStatus.FEASIBLE)
        for title, cost in (("Arbres", 40000), ("Bancs", 50000), ("Composteurs", 30000))
    ]
    return {"process": process, "phase": phase, "budget": budget, "projects": projects}


def _log_in(context, live_site, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_site.url}])


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_a_resident_votes_on_a_phone_changes_the_vote_and_finds_the_ballot(
    page, context, live_site, vote, assert_accessible, assert_no_horizontal_scroll
):
    resident = ResidentFactory(district=DistrictFactory(), pseudonym="Camille")
    _log_in(context, live_site, resident)
    ballot_url = f"/budgets/{vote['process'].slug}/vote/ville/"

    page.goto(ballot_url)
    assert page.locator("h1").count() == 1, page.content()[:3000]
    assert page.locator("[data-ballot-meter]").count() == 1, page.locator("main").inner_text()
    meter = page.locator("[data-ballot-meter]")
    assert meter.get_attribute("aria-live") == "polite"
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    # The meter follows the ticks as they happen.
    page.get_by_label("Arbres").check()
    page.get_by_label("Composteurs").check()
    assert _digits(meter.inner_text()) == "30000"
    page.get_by_label("Bancs").check()
    assert "Dépassement" in meter.inner_text()
    assert _digits(meter.inner_text()) == "20000"
    page.get_by_label("Bancs").uncheck()

    page.get_by_role("button", name="Voter", exact=True).click()
    page.wait_for_url(re.compile(r"/recu/$"))
    receipt = page.locator("[data-receipt]").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", receipt)
    assert_accessible(page)

    # Change the vote: the receipt is prefilled, the current ballot shown.
    page.get_by_role("link", name="Modifier mon vote").first.click()
    assert page.get_by_label("Votre code de reçu").input_value() == receipt
    assert page.get_by_label("Arbres").is_checked()
    page.get_by_label("Composteurs").uncheck()
    page.get_by_label("Bancs").check()
    page.get_by_role("button", name="Remplacer mon bulletin").click()
    page.wait_for_url(re.compile(r"/recu/$"))
    assert page.locator("[data-receipt]").inner_text().strip() == receipt
    assert SecretBallot.objects.get().choices == {"projects": sorted([vote["projects"][0].pk, vote["projects"][1].pk])}

    # After the close, the ballot is found by its receipt in the published file.
    BudgetPhase.objects.filter(pk=vote["phase"].pk).update(ends_at=timezone.now() - datetime.timedelta(minutes=1))
    page.goto(f"/budgets/{vote['process'].slug}/mon-bulletin/")
    page.get_by_label("Votre code de reçu").fill(receipt.lower())
    page.get_by_role("button", name="Retrouver mon bulletin").click()
    code = voter_code(receipt_hash(receipt))
    assert code in page.locator("main").inner_text()
    published = page.request.get(f"/budgets/{vote['process'].slug}/resultats/ville.pb").text()
    assert re.search(rf"^{code};", published, re.MULTILINE)
    assert_accessible(page)

    # The results page explains why the losing project lost.
    page.goto(f"/budgets/{vote['process'].slug}/resultats/")
    main = page.locator("main").inner_text()
    assert "Non financé" in main
    # ... and what each other counting rule would have funded with the same ballots.
    assert "Ce que les autres règles de dépouillement auraient financé" in main
    # One ballot for Arbres and Bancs: the three other rules fund the same two projects.
    assert main.count("Les mêmes projets que le dépouillement officiel.") == 3
    assert page.locator("svg.results-chart").count() == 1
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_staff_record_a_paper_ballot_at_the_desk(page, context, live_site, vote):
    person = ResidentFactory(district=DistrictFactory(), pseudonym="Dominique")
    _log_in(context, live_site, StaffFactory(pseudonym="Agent"))
    page.goto(f"/verification/guichet/personne/{person_ref(person)}/")
    page.locator("form[action$='/agir/'] button").first.click()

    page.goto(f"/budgets/{vote['process'].slug}/vote/ville/papier/")
    assert "Dominique" in page.locator("main").inner_text()
    page.get_by_label("Arbres").check()
    page.get_by_role("button", name="Enregistrer le bulletin papier").click()
    page.wait_for_url(re.compile(r"/recu/$"))

    entry = ParticipationLedger.objects.get()
    assert (entry.voter_id, entry.channel) == (person.pk, "paper")
    assert SecretBallot.objects.get().channel == "paper"


def test_the_demo_resident_votes_in_the_demo_process_on_a_phone(
    page, context, live_site, assert_accessible, assert_no_horizontal_scroll
):
    # What `make run` loads for the budgets (DEMO_LOADERS up to the budgets' own, in order).
    loaders = settings.DEMO_LOADERS[: settings.DEMO_LOADERS.index("budgets.results.demo") + 1]
    for name in loaders:
        import_module(name).load_demo(io.StringIO())
    _log_in(context, live_site, User.objects.get(email="citoyenne@demo.example"))

    page.goto(f"/budgets/{budgets_demo.CURRENT_SLUG}/vote/")
    assert page.locator("h1").inner_text().startswith("Vote")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    links = page.locator("main a.button")
    assert links.count() >= 2, page.locator("main").inner_text()
    page.locator("main a.button", has_text="Toute la ville").click()
    page.wait_for_url(re.compile(r"/vote/[^/]+/$"))
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_label(re.compile("Des fontaines à eau dans les parcs")).check()
    page.get_by_role("button", name="Voter", exact=True).click()
    page.wait_for_url(re.compile(r"/recu/$"))

    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", page.locator("[data-receipt]").inner_text().strip())
    assert SecretBallot.objects.filter(channel="online").count() == 1
