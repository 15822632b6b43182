"""The voting pages, end to end through the test client."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from budgets.models import VotingScope
from budgets.tests.factories import BudgetFactory
from civicplatform.ballots.models import ParticipationLedger, SecretBallot
from civicplatform.ballots.receipts import receipt_hash, receipt_new, voter_code
from civicplatform.core.models import AuditEvent
from civicplatform.verification.desk import person_ref

from .conftest import choose

pytestmark = pytest.mark.django_db


def _ballot_url(budget):
    return reverse("budgets:ballot", args=[budget.process.slug, budget.slug])


def _cast(client, budget, projects, *indexes, follow=False):
    return client.post(_ballot_url(budget), {"projects": choose(projects, *indexes), "action": "cast"}, follow=follow)


def _checked(page: str) -> list[str]:
    return re.findall(r'<input type="checkbox" name="projects" value="([^"]+)"[^>]*checked', page)


def _receipt_from(response) -> str:
    return response.context["receipt"]


# -- the ballot page


def test_anonymous_visitors_are_sent_to_log_in(client, city_budget):
    response = client.get(_ballot_url(city_budget))

    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_a_person_not_verified_sees_why_they_cannot_vote(client, citizen, city_budget):
    client.force_login(citizen)

    response = client.get(_ballot_url(city_budget))

    assert response.status_code == 403
    assert "reserved for verified residents" in response.content.decode()
    assert reverse("verification:start") in response.content.decode()


def test_a_budget_of_another_district_is_refused(client, resident, voting_process):
    from civicplatform.territory.tests.factories import DistrictFactory

    elsewhere = BudgetFactory(process=voting_process, slug="sud", name="Sud", district=DistrictFactory(name="Sud"))
    client.force_login(resident)

    response = client.get(_ballot_url(elsewhere))

    assert response.status_code == 403
    assert "reserved for residents of the Sud district" in response.content.decode()


def test_an_unknown_budget_is_404(client, resident, voting_process):
    client.force_login(resident)

    assert client.get(reverse("budgets:ballot", args=[voting_process.slug, "nowhere"])).status_code == 404


def test_wrong_methods_are_refused(client, resident, city_budget):
    client.force_login(resident)
    args = [city_budget.process.slug, city_budget.slug]

    assert client.put(_ballot_url(city_budget)).status_code == 405
    assert client.delete(reverse("budgets:vote_change", args=args)).status_code == 405
    assert client.post(reverse("budgets:vote_done", args=args)).status_code == 405
    assert client.post(reverse("budgets:vote", args=[city_budget.process.slug])).status_code == 405


def test_the_ballot_lists_the_projects_with_their_cost_and_a_live_meter(client, resident, city_projects):
    client.force_login(resident)

    page = client.get(_ballot_url(city_projects[0].budget)).content.decode()

    assert "A - Arbres" in page
    assert "40,000 €" in page
    assert 'aria-live="polite"' in page
    assert "Remaining budget: 100,000 €." in page
    assert "js/ballot.js" in page
    # Options are named by public UUID, never by sequential id.
    assert f'value="{city_projects[0].public_id}"' in page


def test_an_over_budget_ballot_is_400_with_the_error_and_keeps_the_ticks(client, resident, city_projects):
    client.force_login(resident)

    response = _cast(client, city_projects[0].budget, city_projects, 0, 1, 2)

    assert response.status_code == 400
    page = response.content.decode()
    assert "20,000 € more than the budget" in page
    assert "Over budget by 20,000 €." in page
    assert len(_checked(page)) == 3
    assert not SecretBallot.objects.exists()


def test_check_my_ballot_recomputes_the_meter_without_voting(client, resident, city_projects):
    client.force_login(resident)

    response = client.post(
        _ballot_url(city_projects[0].budget), {"projects": choose(city_projects, 0, 2), "action": "check"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Remaining budget: 30,000 €." in page
    assert "Your ballot is valid" in page
    assert not SecretBallot.objects.exists()


def test_casting_a_ballot_records_it_and_shows_the_receipt_once(client, resident, city_projects):
    client.force_login(resident)
    budget = city_projects[0].budget

    response = _cast(client, budget, city_projects, 0, 2, follow=True)

    assert response.redirect_chain[-1][0] == reverse("budgets:vote_done", args=[budget.process.slug, budget.slug])
    receipt = _receipt_from(response)
    assert receipt in response.content.decode()
    assert "Write it down" in response.content.decode()
    ballot = SecretBallot.objects.get()
    assert ballot.receipt_hash == receipt_hash(receipt)
    assert sorted(ballot.choices["projects"]) == sorted([city_projects[0].pk, city_projects[2].pk])
    entry = ParticipationLedger.objects.get()
    assert (entry.voter, entry.channel) == (resident, "online")
    event = AuditEvent.objects.get(action="ballots.cast")
    assert (event.actor, event.on_behalf_of) == (resident, None)


def test_the_receipt_is_forgotten_after_a_quarter_of_an_hour(client, resident, city_projects):
    client.force_login(resident)
    budget = city_projects[0].budget
    receipt = _receipt_from(_cast(client, budget, city_projects, 0, follow=True))
    done = reverse("budgets:vote_done", args=[budget.process.slug, budget.slug])

    with time_machine.travel(datetime.timedelta(minutes=16)):
        page = client.get(done).content.decode()

    assert receipt not in page
    assert "no longer kept" in page


def test_casting_a_second_time_offers_the_change_form_keeping_the_new_choices(client, resident, city_projects):
    client.force_login(resident)
    budget = city_projects[0].budget
    _cast(client, budget, city_projects, 0)

    response = _cast(client, budget, city_projects, 1)

    assert response.status_code == 409
    page = response.content.decode()
    assert "You have already voted" in page
    assert 'name="receipt"' in page
    assert _checked(page) == [str(city_projects[1].public_id)]
    assert SecretBallot.objects.count() == 1


def test_the_ballot_page_sends_a_voter_to_the_change_page(client, resident, city_projects):
    client.force_login(resident)
    budget = city_projects[0].budget
    _cast(client, budget, city_projects, 0)

    response = client.get(_ballot_url(budget))

    assert response.url == reverse("budgets:vote_change", args=[budget.process.slug, budget.slug])


def test_the_ballot_is_refused_once_the_vote_has_closed(client, resident, city_projects):
    client.force_login(resident)
    budget = city_projects[0].budget

    with time_machine.travel(budget.process.phase("voting").ends_at + datetime.timedelta(hours=1)):
        response = _cast(client, budget, city_projects, 0)

    assert response.status_code == 403
    assert "The vote closed on" in response.content.decode()


def test_the_hot_path_of_a_vote_takes_a_bounded_number_of_queries(
    client, resident, city_projects, django_assert_max_num_queries
):
    client.force_login(resident)
    # session, user, budget with its process, phases, eligibility districts, projects,
    # then one transaction: ledger, ballot, audit row.
    with django_assert_max_num_queries(11):
        response = _cast(client, city_projects[0].budget, city_projects, 0)
    assert response.status_code == 302


def test_voters_after_the_first_share_the_budget_and_projects_the_server_read(
    client, resident, city_projects, django_assert_num_queries, settings
):
    settings.BUDGETS_BALLOT_CACHE_SECONDS = 5
    client.force_login(resident)
    assert city_projects[0].title in client.get(_ballot_url(city_projects[0].budget)).content.decode()
    # Session and user, then one transaction: ledger, ballot, audit row. The budget, its phases,
    # districts and projects come from the few seconds' cache (11 queries without it, above).
    # With Redis the session is read from the cache (cached_db sessions): one query fewer.
    session_queries = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
    with django_assert_num_queries(6 + session_queries):
        response = _cast(client, city_projects[0].budget, city_projects, 0)
    assert response.status_code == 302
    assert SecretBallot.objects.get().choices == {"projects": [city_projects[0].pk]}


def test_an_edit_saved_by_staff_shows_on_the_ballot_at_once(client, resident, city_projects, settings):
    settings.BUDGETS_BALLOT_CACHE_SECONDS = 60
    client.force_login(resident)
    budget = city_projects[0].budget
    client.get(_ballot_url(budget))

    project = city_projects[0]
    project.title = "Un titre corrigé"
    project.save()

    assert "Un titre corrigé" in client.get(_ballot_url(budget)).content.decode()


def test_closing_the_vote_early_refuses_the_next_ballot_despite_the_cache(client, resident, city_projects, settings):
    settings.BUDGETS_BALLOT_CACHE_SECONDS = 60
    client.force_login(resident)
    budget = city_projects[0].budget
    assert client.get(_ballot_url(budget)).status_code == 200

    phase = budget.process.phases.get(kind="voting")
    phase.ends_at = timezone.now() - datetime.timedelta(seconds=1)
    phase.save()
    response = _cast(client, budget, city_projects, 0)

    assert response.status_code == 403
    assert not SecretBallot.objects.exists()


def test_the_vote_closes_to_the_second_even_with_the_budget_in_the_cache(client, resident, city_projects, settings):
    settings.BUDGETS_BALLOT_CACHE_SECONDS = 3600
    client.force_login(resident)
    budget = city_projects[0].budget
    assert client.get(_ballot_url(budget)).status_code == 200
    ends_at = budget.process.phases.get(kind="voting").ends_at

    with time_machine.travel(ends_at + datetime.timedelta(seconds=1)):
        response = _cast(client, budget, city_projects, 0)

    assert response.status_code == 403
    assert not SecretBallot.objects.exists()


# -- changing a vote


def test_change_my_vote_is_prefilled_just_after_voting_and_replaces_the_ballot(client, resident, city_projects):
    client.force_login(resident)
    budget = city_projects[0].budget
    receipt = _receipt_from(_cast(client, budget, city_projects, 0, follow=True))
    url = reverse("budgets:vote_change", args=[budget.process.slug, budget.slug])

    page = client.get(url).content.decode()
    assert f'value="{receipt}"' in page
    assert "Remaining budget: 60,000 €." in page

    response = client.post(url, {"receipt": receipt, "projects": choose(city_projects, 1), "action": "change"})

    assert response.status_code == 302
    ballot = SecretBallot.objects.get()
    assert ballot.choices == {"projects": [city_projects[1].pk]}
    assert ballot.receipt_hash == receipt_hash(receipt)
    assert AuditEvent.objects.filter(action="ballots.change", actor=resident).count() == 1


def test_show_my_current_ballot_loads_it_from_a_typed_receipt(client, resident, city_projects):
    client.force_login(resident)
    budget = city_projects[0].budget
    receipt = _receipt_from(_cast(client, budget, city_projects, 2, follow=True))
    url = reverse("budgets:vote_change", args=[budget.process.slug, budget.slug])

    response = client.post(url, {"receipt": receipt.lower().replace("-", " "), "action": "load"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Remaining budget: 70,000 €." in page
    assert _checked(page) == [str(city_projects[2].public_id)]


def test_a_wrong_receipt_is_400_and_keeps_the_choices(client, resident, city_projects):
    client.force_login(resident)
    budget = city_projects[0].budget
    _cast(client, budget, city_projects, 0)
    url = reverse("budgets:vote_change", args=[budget.process.slug, budget.slug])

    response = client.post(url, {"receipt": receipt_new(), "projects": choose(city_projects, 1), "action": "change"})

    assert response.status_code == 400
    assert "does not match your ballot" in response.content.decode()
    assert response.content.decode().count("checked") == 1
    assert SecretBallot.objects.get().choices == {"projects": [city_projects[0].pk]}


def test_a_malformed_receipt_is_a_field_error(client, resident, city_projects):
    client.force_login(resident)
    budget = city_projects[0].budget
    _cast(client, budget, city_projects, 0)
    url = reverse("budgets:vote_change", args=[budget.process.slug, budget.slug])

    response = client.post(url, {"receipt": "1234", "action": "load"})

    assert response.status_code == 400
    assert "16 letters and digits" in response.content.decode()


def test_change_is_refused_after_the_close(client, resident, city_projects):
    client.force_login(resident)
    budget = city_projects[0].budget
    receipt = _receipt_from(_cast(client, budget, city_projects, 0, follow=True))
    url = reverse("budgets:vote_change", args=[budget.process.slug, budget.slug])

    with time_machine.travel(budget.process.phase("voting").ends_at):
        response = client.post(url, {"receipt": receipt, "projects": choose(city_projects, 1), "action": "change"})

    assert response.status_code == 403
    assert SecretBallot.objects.get().choices == {"projects": [city_projects[0].pk]}


def test_change_page_without_a_vote_goes_to_the_ballot(client, resident, city_budget):
    client.force_login(resident)

    response = client.get(reverse("budgets:vote_change", args=[city_budget.process.slug, city_budget.slug]))

    assert response.url == _ballot_url(city_budget)


# -- choosing a budget


def test_the_vote_page_goes_straight_to_the_only_budget(client, resident, city_budget):
    client.force_login(resident)

    response = client.get(reverse("budgets:vote", args=[city_budget.process.slug]))

    assert response.url == _ballot_url(city_budget)


def test_the_vote_page_lists_the_budgets_and_what_was_done(
    client, resident, city_projects, district_ballot_budget, django_assert_max_num_queries
):
    client.force_login(resident)
    city = city_projects[0].budget
    _cast(client, city, city_projects, 0)

    # The site chrome (menus, branding) takes about a dozen; the list itself three whatever its length.
    with django_assert_max_num_queries(22):
        page = client.get(reverse("budgets:vote", args=[city.process.slug])).content.decode()

    assert "You have voted" in page
    assert reverse("budgets:vote_change", args=[city.process.slug, city.slug]) in page
    assert _ballot_url(district_ballot_budget) in page


def test_in_an_any_one_process_the_other_budgets_close_after_a_vote(
    client, resident, city_projects, district_ballot_budget
):
    process = district_ballot_budget.process
    process.voting_scope = VotingScope.ANY_ONE
    process.save()
    client.force_login(resident)
    _cast(client, city_projects[0].budget, city_projects, 0)

    page = client.get(reverse("budgets:vote", args=[process.slug])).content.decode()
    refused = client.get(_ballot_url(district_ballot_budget))

    assert "Closed to you" in page
    assert refused.status_code == 403
    assert "vote in one budget only" in refused.content.decode()


# -- at the desk


def test_staff_acting_at_the_desk_vote_for_the_person(client, staff, resident, city_projects):
    client.force_login(staff)
    client.post(reverse("verification:desk_act", args=[person_ref(resident)]))

    page = client.get(_ballot_url(city_projects[0].budget)).content.decode()
    response = _cast(client, city_projects[0].budget, city_projects, 1)

    assert "on behalf of Camille" in page
    assert response.status_code == 302
    entry = ParticipationLedger.objects.get()
    assert (entry.voter, entry.channel) == (resident, "desk")
    event = AuditEvent.objects.get(action="ballots.cast")
    assert (event.actor, event.on_behalf_of) == (staff, resident)
    assert SecretBallot.objects.get().channel == "online"


# -- finding one's ballot


def test_find_my_ballot_shows_the_ballot_and_its_line_in_the_file(client, resident, city_projects, settings):
    client.force_login(resident)
    budget = city_projects[0].budget
    receipt = _receipt_from(_cast(client, budget, city_projects, 0, 2, follow=True))
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(reverse("budgets:ballot_find", args=[budget.process.slug]), {"receipt": receipt})

    assert response.status_code == 200
    page = response.content.decode()
    assert "A - Arbres" in page
    assert "C - Composteurs" in page
    assert "B - Bancs" not in page
    assert voter_code(receipt_hash(receipt)) in page
    assert "published when the vote has closed" in page


def test_find_my_ballot_with_an_unknown_or_malformed_receipt(client, voting_process):
    url = reverse("budgets:ballot_find", args=[voting_process.slug])

    unknown = client.post(url, {"receipt": receipt_new()})
    malformed = client.post(url, {"receipt": "abc"})

    assert unknown.status_code == 404
    assert "No ballot of this process" in unknown.content.decode()
    assert malformed.status_code == 400
    assert client.put(url).status_code == 405


def test_find_my_ballot_is_rate_limited_by_address(client, voting_process, settings):
    url = reverse("budgets:ballot_find", args=[voting_process.slug])
    statuses = [client.post(url, {"receipt": receipt_new()}, REMOTE_ADDR="203.0.113.9").status_code for _ in range(21)]

    assert statuses[:20] == [404] * 20
    assert statuses[20] == 429
