"""Open-data fixtures: a small commune with a counted budget vote, petitions with signatures and forum comments."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from budgets.models import BallotType, PhaseKind, ProjectStatus, VotingScope
from budgets.tests.conftest import add_phase
from budgets.tests.factories import BudgetFactory, BudgetProcessFactory, ProjectFactory
from civicplatform.accounts.tests.factories import ResidentFactory
from civicplatform.ballots import services as ballots
from civicplatform.ballots.models import Channel
from civicplatform.territory.tests.factories import DistrictFactory, MunicipalityFactory
from forums.tests.factories import CommentFactory, ForumFactory, ThreadFactory
from petitions.models import PetitionStatus
from petitions.tests.factories import PetitionFactory, SignatureFactory


@pytest.fixture(autouse=True)
def _opendata_settings(settings):
    settings.OPENDATA_CACHE_SECONDS = 0
    settings.OPENDATA_MIN_COUNT = 5
    settings.ACCOUNTS_STAFF_MFA_REQUIRED = False
    settings.PETITIONS_COUNT_CACHE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def municipality(db):
    return MunicipalityFactory()


@pytest.fixture
def north(municipality):
    return DistrictFactory(municipality=municipality, name="Nord", slug="nord", population=4000)


@pytest.fixture
def south(municipality):
    return DistrictFactory(municipality=municipality, name="Sud", slug="sud", population=6000)


@pytest.fixture
def counted_budget(db, north):
    """A vote closed yesterday: 100 000 €; A 40 000 € (7 votes), B 50 000 € (6), C 30 000 € (4).

    Nine ballots from residents of the north (born 1980), one paper ballot."""
    process = BudgetProcessFactory(
        slug="bp-2025", title="Budget participatif 2025", ballot_type=BallotType.KNAPSACK, voting_scope=VotingScope.ALL
    )
    add_phase(process, PhaseKind.VOTING, start_days=-20, end_days=-1)
    budget = BudgetFactory(process=process, slug="ville", name="Toute la ville", amount=100000)
    projects = [
        ProjectFactory(
            budget=budget,
            title=title,
            cost=cost,
            status=ProjectStatus.SHORTLISTED,
            author=ResidentFactory(district=north, pseudonym=f"Auteur {title[0]}"),
            district=north,
            latitude=Decimal("47.9") if title.startswith("A") else None,
            longitude=Decimal("1.9") if title.startswith("A") else None,
        )
        for title, cost in (("A - Arbres", 40000), ("B - Bancs", 50000), ("C - Composteurs", 30000))
    ]
    a, b, c = (project.pk for project in projects)
    for choice in [[a, b]] * 5 + [[a, c]] * 2 + [[c]] * 2:
        person = ResidentFactory(district=north, birth_year=1980)
        ballots.ballot_cast(election=budget, person=person, choices={"projects": choice})
    ballots.ballots_import(election=budget, choices=[{"projects": [b]}], channel=Channel.PAPER, actor=None)
    return process, budget, projects


@pytest.fixture
def petition(municipality, north, south):
    """A published petition: 12 signatures from the north, 2 from the south, 1 without a district;
    10 signed three days ago, 5 yesterday; 3 more pending (not counted)."""
    petition = PetitionFactory(
        municipality=municipality, status=PetitionStatus.OPEN, title="Des arbres rue Jeanne", open_for=(10, 80)
    )
    now = timezone.now()
    districts = [north] * 12 + [south] * 2 + [None]
    for index, district in enumerate(districts):
        SignatureFactory(
            petition=petition,
            district=district,
            name=f"Signataire Secret {index}",
            created_at=now - datetime.timedelta(days=3 if index < 10 else 1),
        )
    for _index in range(3):
        SignatureFactory(petition=petition, district=north, state="pending", confirmed_at=None)
    return petition


@pytest.fixture
def draft_petition(municipality):
    return PetitionFactory(municipality=municipality, status=PetitionStatus.DRAFT, title="Brouillon confidentiel")


@pytest.fixture
def comments(db, north):
    """Six comments by three people in a public thread, two in a members-only forum."""
    thread = ThreadFactory()
    people = [ResidentFactory(district=north) for _ in range(3)]
    for index in range(6):
        CommentFactory(target=thread, author=people[index % 3])
    private = ThreadFactory(forum=ForumFactory(visibility="members"))
    for _index in range(2):
        CommentFactory(target=private, author=people[0])
    return thread
