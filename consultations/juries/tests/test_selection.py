"""Quotas, feasibility and the fair selection (library maximin, our leximin on HiGHS, legacy)."""

from __future__ import annotations

import pytest

from ..services import feasibility_check
from ..sortition import engine
from .factories import fr

QUOTAS = [
    {"feature": "gender", "value": "f", "min": 2, "max": 2},
    {"feature": "gender", "value": "m", "min": 2, "max": 2},
    {"feature": "age", "value": "young", "min": 1, "max": 3},
    {"feature": "age", "value": "old", "min": 1, "max": 3},
]


def pool(profiles, households=None):
    households = households or {}
    return [
        {"id": f"P{i:02d}", "household": households.get(i, f"H{i:02d}"), "gender": g, "age": a}
        for i, (g, a) in enumerate(profiles)
    ]


# Old men are rare: two of them, so each should sit with probability 1/2 at best under fairness.
SKEWED = [("f", "young")] * 3 + [("f", "old")] * 3 + [("m", "young")] * 4 + [("m", "old")] * 2


def distribution(rows, algorithm, quotas=QUOTAS, size=4):
    features = engine.load_features(quotas, size)
    people = engine.load_people(rows, features)
    return engine.find_distribution(features, people, size, algorithm=algorithm, legacy_runs=300)


class TestFeasibility:
    def test_feasible_quotas_pass(self):
        assert feasibility_check(quotas=QUOTAS, pool=pool(SKEWED), size=4).ok

    def test_minimums_above_the_panel_size_are_explained(self):
        quotas = [{**q, "min": 3, "max": 3} if q["feature"] == "gender" else q for q in QUOTAS]
        result = feasibility_check(quotas=quotas, pool=pool(SKEWED), size=4)
        assert not result.ok
        assert (
            fr(
                "%(feature)s: the minimums add up to %(low)d, more than the %(size)d seats.",
                feature="gender",
                low=6,
                size=4,
            )
            in result.problems
        )

    def test_too_few_volunteers_for_a_minimum_is_explained_and_relaxed(self):
        quotas = [{**q, "min": 3} if q["value"] == "old" else q for q in QUOTAS]
        quotas = [{**q, "max": 1} if q["value"] == "young" else q for q in quotas]
        rows = pool([("f", "young")] * 4 + [("m", "young")] * 4 + [("f", "old")] * 2)
        result = feasibility_check(quotas=quotas, pool=rows, size=4)
        assert not result.ok
        assert (
            fr(
                "%(feature)s = %(value)s: %(min)d seats required but only %(count)d volunteers.",
                feature="age",
                value="old",
                min=3,
                count=2,
            )
            in result.problems
        )
        assert result.relaxations, "the library suggests a relaxation"
        relaxed = {(r.feature, r.value): (r.new_min, r.new_max) for r in result.relaxations}
        assert any(low < 3 for (feature, value), (low, _) in relaxed.items() if value == "old") or any(
            high > 1 for (feature, value), (_, high) in relaxed.items() if value == "young"
        )

    def test_households_can_make_quotas_infeasible(self):
        # The only two old men share a household: at most one can sit, but two old seats need men... make it so.
        quotas = [
            {"feature": "gender", "value": "f", "min": 0, "max": 0},
            {"feature": "gender", "value": "m", "min": 2, "max": 2},
            {"feature": "age", "value": "young", "min": 0, "max": 0},
            {"feature": "age", "value": "old", "min": 2, "max": 2},
        ]
        rows = pool([("m", "old"), ("m", "old"), ("f", "young")], households={0: "H-same", 1: "H-same"})
        result = feasibility_check(quotas=quotas, pool=rows, size=2)
        assert not result.ok
        assert fr("No panel meets every quota with at most one person per household.") in result.problems
        # The same pool without the shared household is fine.
        assert feasibility_check(quotas=quotas, pool=pool([("m", "old"), ("m", "old"), ("f", "young")]), size=2).ok

    def test_no_quotas_at_all_is_refused(self):
        assert not feasibility_check(quotas=[], pool=pool(SKEWED), size=4).ok


class TestFairSelection:
    def test_maximin_gives_everyone_a_chance_and_respects_quotas(self):
        result = distribution(pool(SKEWED), "maximin")
        assert sum(result.probabilities) == pytest.approx(1)
        assert sum(result.marginals.values()) == pytest.approx(4)
        assert result.minimum > 0.2
        for panel in result.panels:
            assert len(panel) == 4
            assert sum(1 for p in panel if p in {"P00", "P01", "P02", "P03", "P04", "P05"}) == 2  # women

    def test_leximin_on_highs_matches_maximin_minimum_and_is_more_even(self):
        maximin = distribution(pool(SKEWED), "maximin")
        leximin = distribution(pool(SKEWED), "leximin")
        assert leximin.minimum == pytest.approx(maximin.minimum, abs=0.001)
        assert sum(leximin.marginals.values()) == pytest.approx(4, abs=1e-6)
        # Leximin is symmetric: people with the same profile get the same probability.
        young_women = [leximin.marginals[f"P{i:02d}"] for i in range(3)]
        assert max(young_women) - min(young_women) < 0.001

    def test_no_panel_seats_two_people_of_one_household(self):
        rows = pool(SKEWED, households={10: "H-shared", 11: "H-shared"})  # the two old men
        for algorithm in ("maximin", "leximin"):
            result = distribution(rows, algorithm)
            assert all(not {"P10", "P11"} <= panel for panel in result.panels)

    def test_legacy_estimates_probabilities_from_repeated_runs(self):
        result = distribution(pool(SKEWED), "legacy")
        assert len(result.panels) == 300
        assert sum(result.marginals.values()) == pytest.approx(4)

    def test_rounding_gives_m_equally_likely_valid_panels_reproducibly(self):
        result = distribution(pool(SKEWED), "maximin")
        lottery = engine.round_to_lottery(result, 100, seed=7)
        assert len(lottery) == 100
        assert lottery == engine.round_to_lottery(result, 100, seed=7)
        for person, probability in result.marginals.items():
            share = sum(1 for panel in lottery if person in panel) / 100
            assert abs(share - probability) <= 0.02 + 1e-9

    def test_infeasible_quotas_raise_with_a_suggestion(self):
        # Four old people with three men among them, but only two old men volunteered.
        quotas = [
            {"feature": "gender", "value": "f", "min": 1, "max": 1},
            {"feature": "gender", "value": "m", "min": 3, "max": 3},
            {"feature": "age", "value": "young", "min": 0, "max": 0},
            {"feature": "age", "value": "old", "min": 4, "max": 4},
        ]
        with pytest.raises(engine.InfeasibleQuotasError) as error:
            distribution(pool(SKEWED), "maximin", quotas=quotas)
        assert error.value.features


@pytest.mark.parametrize(("inner", "prune_every"), [("simplex", 100), ("ipm", 100), ("simplex", 1)])
def test_inner_solvers_and_pruning_give_the_same_leximin(inner, prune_every):
    features = engine.load_features(QUOTAS, 4)
    people = engine.load_people(pool(SKEWED), features)
    panels, probabilities = engine.find_distribution_leximin_highs(
        features, people, 4, ["household"], inner=inner, prune_every=prune_every
    )
    marginals = engine.marginals_of(people, panels, probabilities)
    reference = distribution(pool(SKEWED), "leximin").marginals
    assert all(abs(marginals[p] - reference[p]) < 0.001 for p in reference)
