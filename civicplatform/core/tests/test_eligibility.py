from __future__ import annotations

import datetime
import itertools

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import override

from civicplatform.accounts.models import VerificationLevel
from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.core.eligibility import (
    Decision,
    EligibilityPolicy,
    Refusal,
    eligibility_summary,
    policy_for,
)
from civicplatform.territory.tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 15)
LEVELS = list(VerificationLevel)


@pytest.fixture
def nord(db):
    return DistrictFactory(name="Nord", slug="nord")


@pytest.fixture
def sud(db):
    return DistrictFactory(name="Sud", slug="sud")


def test_anonymous_visitors_are_asked_to_log_in():
    decision = EligibilityPolicy().check(AnonymousUser(), today=TODAY)
    assert not decision
    assert decision.code == Refusal.LOGIN
    assert decision.link_url == "/comptes/login/"
    with override("fr"):
        decision = EligibilityPolicy().check(None, today=TODAY)
    assert decision.reason == "Connectez-vous pour participer."


def test_unconfirmed_email_is_asked_to_confirm_it():
    user = UserFactory(verification_level=VerificationLevel.NONE)
    with override("fr"):
        decision = EligibilityPolicy(min_level=VerificationLevel.EMAIL).check(user, today=TODAY)
    assert decision.code == Refusal.EMAIL
    assert decision.reason == "Confirmez votre adresse e-mail pour participer."
    assert decision.link_url


def test_refusal_names_the_district_in_plain_french(citizen, nord):
    policy = policy_for(min_level=VerificationLevel.RESIDENT, districts=[nord])
    with override("fr"):
        decision = policy.check(citizen, today=TODAY)
    assert decision == Decision(
        allowed=False,
        code=Refusal.RESIDENT,
        reason="Cette participation est réservée aux habitants vérifiés du quartier Nord.",
        link_url="/verification/",
        link_label="Vérifier mon domicile",
    )


def test_refusal_lists_several_districts_and_looks_names_up_from_ids(citizen, nord, sud):
    policy = EligibilityPolicy(min_level=VerificationLevel.RESIDENT, districts=frozenset({nord.pk, sud.pk}))
    with override("fr"):
        decision = policy.check(citizen, today=TODAY)
    assert decision.reason == "Cette participation est réservée aux habitants vérifiés des quartiers Nord, Sud."


def test_verified_resident_of_another_district_is_told_which_district(nord, sud):
    user = UserFactory(verification_level=VerificationLevel.RESIDENT, district=sud)
    with override("fr"):
        decision = policy_for(min_level=VerificationLevel.RESIDENT, districts=[nord]).check(user, today=TODAY)
    assert decision.code == Refusal.DISTRICT
    assert decision.reason == "Cette participation est réservée aux habitants du quartier Nord."


def test_elector_only_policy_explains_the_electoral_list(resident):
    with override("fr"):
        decision = EligibilityPolicy(min_level=VerificationLevel.ELECTOR).check(resident, today=TODAY)
    assert decision.code == Refusal.ELECTOR
    assert "liste électorale" in decision.reason


def test_too_young_person_is_told_the_minimum_age(district):
    user = UserFactory(verification_level=VerificationLevel.RESIDENT, district=district, birth_year=2011)
    with override("fr"):
        decision = EligibilityPolicy(min_level=VerificationLevel.RESIDENT, min_age=16).check(user, today=TODAY)
    assert decision.code == Refusal.AGE
    assert decision.reason == "Vous devez avoir au moins 16 ans."


def test_unknown_birth_year_points_to_the_profile(resident):
    resident.birth_year = None
    decision = EligibilityPolicy(min_level=VerificationLevel.RESIDENT, min_age=16).check(resident, today=TODAY)
    assert decision.code == Refusal.BIRTH_YEAR
    assert decision.link_url == "/moi/"


def test_closed_accounts_cannot_take_part(resident):
    resident.is_active = False
    assert EligibilityPolicy().check(resident, today=TODAY).code == Refusal.INACTIVE
    resident.is_active = True
    resident.erased_at = timezone.now()
    assert EligibilityPolicy().check(resident, today=TODAY).code == Refusal.INACTIVE


MATRIX = list(
    itertools.product(
        LEVELS,  # the person's level
        LEVELS,  # the level the process requires
        [True, False],  # the person lives in the Nord district
        [True, False],  # the process is restricted to Nord
        [2008, 2010, 2011, None],  # birth year
        [None, 16],  # minimum age
    )
)


def expected_refusal(user_level, min_level, in_district, restricted, birth_year, min_age) -> str:
    if user_level < min_level:
        if user_level < VerificationLevel.EMAIL:
            return Refusal.EMAIL
        return Refusal.ELECTOR if min_level == VerificationLevel.ELECTOR else Refusal.RESIDENT
    if restricted and not in_district:
        return Refusal.DISTRICT
    if min_age is not None and birth_year is None:
        return Refusal.BIRTH_YEAR
    if min_age is not None and 2026 - birth_year < min_age:
        return Refusal.AGE
    return Refusal.NONE


@time_machine.travel(datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC), tick=False)
def test_eligibility_matrix_of_levels_districts_and_ages(nord, sud):
    """Every combination, on 15 March 2026 (a person turning 16 in 2026 counts as 16)."""
    allowed = refused = 0
    for user_level, min_level, in_district, restricted, birth_year, min_age in MATRIX:
        user = UserFactory.build(
            verification_level=user_level, district=nord if in_district else sud, birth_year=birth_year
        )
        policy = EligibilityPolicy(
            min_level=min_level,
            districts=frozenset({nord.pk}) if restricted else None,
            min_age=min_age,
            district_names=("Nord",),
        )
        decision = policy.check(user, today=timezone.localdate())
        expected = expected_refusal(user_level, min_level, in_district, restricted, birth_year, min_age)
        case = (user_level, min_level, in_district, restricted, birth_year, min_age)
        assert decision.code == expected, case
        assert decision.allowed is (expected == Refusal.NONE), case
        assert bool(decision.reason) is (expected != Refusal.NONE), case
        allowed += decision.allowed
        refused += not decision.allowed
    # The matrix holds more refusals than admissions, as permission tests should.
    assert refused > allowed > 0


def test_age_is_counted_in_years_reached_during_the_calendar_year(district):
    user = UserFactory(verification_level=VerificationLevel.RESIDENT, district=district, birth_year=2010)
    policy = EligibilityPolicy(min_level=VerificationLevel.RESIDENT, min_age=16)
    with time_machine.travel(datetime.datetime(2025, 12, 31, 12, tzinfo=datetime.UTC), tick=False):
        assert not policy.check(user, today=timezone.localdate())
    with time_machine.travel(datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.UTC), tick=False):
        assert policy.check(user, today=timezone.localdate())


def test_policy_for_without_districts_opens_the_whole_municipality(resident):
    policy = policy_for(min_level=VerificationLevel.RESIDENT, districts=[])
    assert policy.districts is None
    assert policy.check(resident, today=TODAY)


def test_summary_sentence_describes_who_may_take_part(nord):
    policy = policy_for(min_level=VerificationLevel.RESIDENT, districts=[nord], min_age=16)
    with override("fr"):
        assert eligibility_summary(policy) == "Ouvert aux habitants vérifiés du quartier Nord âgés de 16 ans ou plus."


class _Process:
    """Stands in for a model using EligibilityFields (no table needed to test the method)."""

    def __init__(self, districts, min_level, min_age):
        self.pk = 1
        self.min_verification_level = min_level
        self.min_age = min_age
        self._districts = districts

    @property
    def restricted_districts(self):
        districts = self._districts

        class _Manager:
            def all(self):
                return districts

        return _Manager()


def test_models_using_eligibility_fields_build_their_policy_from_their_fields(nord):
    from civicplatform.core.eligibility import EligibilityFields

    process = _Process([nord], VerificationLevel.ELECTOR, 18)
    policy = EligibilityFields.eligibility_policy(process)
    assert policy == EligibilityPolicy(min_level=VerificationLevel.ELECTOR, districts=frozenset({nord.pk}), min_age=18)
    assert policy.district_names == ("Nord",)
    open_process = _Process([], VerificationLevel.RESIDENT, None)
    assert EligibilityFields.eligibility_policy(open_process).districts is None
