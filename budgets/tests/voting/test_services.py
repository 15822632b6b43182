"""Budget votes: open phase, who may vote where, one budget only when the process says so."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from budgets.models import VotingScope
from budgets.tests.factories import BudgetFactory
from budgets.voting import services
from civicplatform.accounts.tests.factories import ResidentFactory, UserFactory
from civicplatform.ballots import services as ballots
from civicplatform.ballots.models import ParticipationLedger, SecretBallot
from civicplatform.territory.tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


def _cast(process, budget, person, projects, *indexes):
    return services.budget_vote_cast(
        process=process, budget=budget, person=person, choices={"projects": [projects[i].pk for i in indexes]}
    )


def test_a_verified_resident_votes_and_gets_a_receipt(voting_process, city_budget, city_projects, resident):
    receipt = _cast(voting_process, city_budget, resident, city_projects, 0, 1)

    assert len(receipt) == 19
    assert ParticipationLedger.objects.get().voter == resident
    assert SecretBallot.objects.get().choices == {"projects": [city_projects[0].pk, city_projects[1].pk]}


def test_a_person_without_verified_residence_is_refused_with_the_policy_reason(voting_process, city_budget, citizen):
    with pytest.raises(services.VoteRefused) as refusal:
        services.budget_vote_cast(process=voting_process, budget=city_budget, person=citizen, choices={})

    assert refusal.value.decision.code == "resident"
    assert "verified residents" in refusal.value.decision.reason
    assert not SecretBallot.objects.exists()


def test_a_resident_cannot_vote_in_another_districts_budget(voting_process, resident):
    elsewhere = BudgetFactory(
        process=voting_process, slug="sud", name="Quartier Sud", district=DistrictFactory(name="Sud")
    )

    with pytest.raises(services.VoteRefused) as refusal:
        services.budget_vote_cast(process=voting_process, budget=elsewhere, person=resident, choices={})

    assert refusal.value.decision.code == "scope"
    assert "Sud" in refusal.value.decision.reason


def test_own_district_and_citywide_scope_allows_both(voting_process, city_budget, district_ballot_budget, resident):
    services.budget_vote_cast(process=voting_process, budget=city_budget, person=resident, choices={"projects": []})
    services.budget_vote_cast(
        process=voting_process, budget=district_ballot_budget, person=resident, choices={"projects": []}
    )

    assert ParticipationLedger.objects.filter(voter=resident).count() == 2


def test_any_one_scope_closes_the_other_budgets_after_a_vote(
    voting_process, city_budget, district_ballot_budget, resident
):
    voting_process.voting_scope = VotingScope.ANY_ONE
    voting_process.save()
    services.budget_vote_cast(process=voting_process, budget=district_ballot_budget, person=resident, choices={})

    with pytest.raises(services.VoteRefused) as refusal:
        services.budget_vote_cast(process=voting_process, budget=city_budget, person=resident, choices={})

    assert refusal.value.decision.code == "voted_elsewhere"
    assert SecretBallot.objects.count() == 1


def test_any_one_scope_is_enforced_inside_the_transaction_too(
    voting_process, city_budget, district_ballot_budget, resident
):
    """Even if the page's check is passed (two tabs), the ledger check under the lock refuses."""
    voting_process.voting_scope = VotingScope.ANY_ONE
    voting_process.save()
    ballots.ballot_cast(election=district_ballot_budget, person=resident, choices={})

    with pytest.raises(ballots.AlreadyVoted):
        ballots.ballot_cast(
            election=city_budget, person=resident, choices={}, exclusive_with=[city_budget, district_ballot_budget]
        )


def test_a_second_vote_in_the_same_budget_is_refused(voting_process, city_budget, city_projects, resident):
    _cast(voting_process, city_budget, resident, city_projects, 0)

    with pytest.raises(ballots.AlreadyVoted):
        _cast(voting_process, city_budget, resident, city_projects, 1)


def test_votes_are_refused_before_the_vote_opens_and_after_it_closes(voting_process, city_budget, resident):
    phase = voting_process.phase("voting")
    for moment in (phase.starts_at - datetime.timedelta(minutes=1), phase.ends_at):
        with time_machine.travel(moment, tick=False), pytest.raises(services.VoteRefused) as refusal:
            services.budget_vote_cast(process=voting_process, budget=city_budget, person=resident, choices={})
        assert refusal.value.decision.code == "phase"


def test_a_ballot_can_be_changed_with_its_receipt_until_the_vote_closes(
    voting_process, city_budget, city_projects, resident
):
    receipt = _cast(voting_process, city_budget, resident, city_projects, 0)
    phase = voting_process.phase("voting")

    with time_machine.travel(phase.ends_at - datetime.timedelta(seconds=1), tick=False):
        services.budget_vote_change(
            process=voting_process,
            budget=city_budget,
            person=resident,
            receipt=receipt,
            choices={"projects": [city_projects[2].pk]},
        )
    assert SecretBallot.objects.get().choices == {"projects": [city_projects[2].pk]}

    with time_machine.travel(phase.ends_at, tick=False), pytest.raises(services.VoteRefused):
        services.budget_vote_change(
            process=voting_process,
            budget=city_budget,
            person=resident,
            receipt=receipt,
            choices={"projects": [city_projects[1].pk]},
        )
    assert SecretBallot.objects.get().choices == {"projects": [city_projects[2].pk]}


def test_an_age_limit_refuses_a_too_young_resident(voting_process, city_budget, district):
    voting_process.min_age = 16
    voting_process.save()
    young = ResidentFactory(district=district, birth_year=timezone.localdate().year - 12)

    with pytest.raises(services.VoteRefused) as refusal:
        services.budget_vote_cast(process=voting_process, budget=city_budget, person=young, choices={})

    assert refusal.value.decision.code == "age"


def test_an_account_with_an_unconfirmed_email_is_refused(voting_process, city_budget):
    with pytest.raises(services.VoteRefused) as refusal:
        services.budget_vote_cast(
            process=voting_process, budget=city_budget, person=UserFactory(verification_level=0), choices={}
        )
    assert refusal.value.decision.code == "email"


@pytest.mark.parametrize("scope", list(VotingScope))
def test_the_fast_scope_check_agrees_with_budgets_for_voter(scope, voting_process, city_budget, resident, district):
    from budgets.selectors import budgets_for_voter
    from budgets.voting.selectors import may_vote_in

    voting_process.voting_scope = scope
    mine = BudgetFactory(process=voting_process, slug="mine", district=district)
    theirs = BudgetFactory(process=voting_process, slug="theirs", district=DistrictFactory())
    homeless = UserFactory(district=None)
    for person in (resident, homeless):
        allowed = budgets_for_voter(voting_process, person)
        for budget in (city_budget, mine, theirs):
            assert may_vote_in(voting_process, budget, person) == (budget in allowed), (scope, person, budget)


@pytest.mark.parametrize("with_shortlist", [False, True])
def test_the_ballot_holds_the_projects_on_ballot_says(with_shortlist, voting_process, city_budget):
    from budgets.models import PhaseKind, Project, ProjectStatus
    from budgets.tests.conftest import add_phase
    from budgets.tests.factories import ProjectFactory
    from budgets.voting.selectors import ballot_projects

    if with_shortlist:
        add_phase(voting_process, PhaseKind.SHORTLIST, start_days=-10, end_days=-5)
    for status in ProjectStatus:
        ProjectFactory(budget=city_budget, status=status, title=status)
    city_budget.process = voting_process

    expected = set(Project.objects.filter(budget=city_budget).on_ballot().values_list("pk", flat=True))
    assert {project.pk for project in ballot_projects(city_budget)} == expected
