"""Quotas, feasibility and the fair selection (library maximin, our leximin on HiGHS, legacy)."""

from __future__ import annotations

import itertools

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

    def test_staff_read_the_questions_and_answers_as_worded_not_their_keys(self):
        quotas = [{**q, "min": 3} if q["value"] == "old" else q for q in QUOTAS]
        quotas = [{**q, "max": 1} if q["value"] == "young" else q for q in quotas]
        rows = pool([("f", "young")] * 4 + [("m", "young")] * 4 + [("f", "old")] * 2)
        labels = {"age": "Tranche d’âge", "age/old": "60 ans et plus", "age/young": "16 à 29 ans"}
        result = feasibility_check(quotas=quotas, pool=rows, size=4, labels=labels)
        assert (
            fr(
                "%(feature)s = %(value)s: %(min)d seats required but only %(count)d volunteers.",
                feature="Tranche d’âge",
                value="60 ans et plus",
                min=3,
                count=2,
            )
            in result.problems
        )
        shown = {(r.feature_label, r.value_label) for r in result.relaxations}
        assert shown and shown <= {
            ("Tranche d’âge", "60 ans et plus"),
            ("Tranche d’âge", "16 à 29 ans"),
            ("gender", "f"),
            ("gender", "m"),
        }

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


def valid(panel, rows, quotas, size):
    people = {row["id"]: row for row in rows}
    households = [people[p]["household"] for p in panel]
    counts = {(q["feature"], q["value"]): 0 for q in quotas}
    for person in panel:
        for feature, value in counts:
            counts[feature, value] += people[person][feature] == value
    return (
        len(panel) == size
        and len(set(households)) == len(households)
        and all(q["min"] <= counts[q["feature"], q["value"]] <= q["max"] for q in quotas)
    )


def brute_force_leximin(rows, quotas, size):
    """Leximin by the book, over every valid panel: maximise the smallest unfixed probability, then fix
    exactly those who cannot get more without someone unfixed getting less (one LP per person)."""
    import numpy as np
    from scipy.optimize import linprog

    ids = [row["id"] for row in rows]
    panels = [set(c) for c in itertools.combinations(ids, size) if valid(c, rows, quotas, size)]
    member = np.array([[person in panel for panel in panels] for person in ids], dtype=float)
    n, count = member.shape
    fixed: dict[int, float] = {}
    while len(fixed) < n:
        unfixed = [i for i in range(n) if i not in fixed]
        # variables: x_P..., z; maximise z
        a_ub = [np.append(-member[i], 1.0) for i in unfixed] + [np.append(-member[i], 0.0) for i in fixed]
        b_ub = [0.0] * len(unfixed) + [-fixed[i] + 1e-9 for i in fixed]
        a_eq = [np.append(np.ones(count), 0.0)]
        z = -linprog(np.append(np.zeros(count), -1.0), a_ub, b_ub, a_eq, [1.0], bounds=(0, None)).fun
        floor = [np.append(-member[i], 0.0) for i in range(n)]
        levels = [-fixed.get(i, z) + 1e-9 for i in range(n)]
        for i in unfixed:
            best = -linprog(np.append(-member[i], 0.0), floor, levels, a_eq, [1.0], bounds=(0, None)).fun
            if best <= z + 1e-7:
                fixed[i] = z
    return {ids[i]: value for i, value in fixed.items()}


# Repeated profiles (grouped into types by the engine), housemates who share a profile with others
# (they must be kept apart from their type) and quotas that give leximin several levels.
HOUSEMATES = {0: "H-a", 1: "H-a", 6: "H-b", 10: "H-b", 7: "H-c", 11: "H-c"}
LEVELS_QUOTAS = [
    {"feature": "gender", "value": "f", "min": 1, "max": 3},
    {"feature": "gender", "value": "m", "min": 1, "max": 3},
    {"feature": "age", "value": "young", "min": 1, "max": 2},
    {"feature": "age", "value": "old", "min": 2, "max": 3},
]


# Four leximin levels (1/5, 1/3, 1/2, 1); the first two people share a household and a profile.
REGIONS = [("f", "young", "n")] * 2 + [("f", "young", "s")] * 2 + [("m", "old", "s")] * 2
REGIONS += [("f", "young", "s"), ("m", "young", "s"), ("m", "young", "s"), ("m", "old", "n"), ("m", "old", "s")]
REGIONS_POOL = [
    {"id": f"P{i:02d}", "household": "H-a" if i < 2 else f"H{i:02d}", "gender": g, "age": a, "region": r}
    for i, (g, a, r) in enumerate(REGIONS)
]
REGIONS_QUOTAS = [
    *QUOTAS,
    {"feature": "region", "value": "n", "min": 1, "max": 3},
    {"feature": "region", "value": "s", "min": 1, "max": 2},
]


@pytest.mark.parametrize(
    ("rows", "quotas"),
    [(pool(SKEWED, HOUSEMATES), LEVELS_QUOTAS), (REGIONS_POOL, REGIONS_QUOTAS)],
    ids=["housemates", "four-levels"],
)
def test_leximin_equals_the_brute_force_leximin_over_every_panel(rows, quotas):
    expected = brute_force_leximin(rows, quotas, 4)
    assert len({round(v, 6) for v in expected.values()}) >= 2, "the case has several levels"
    result = distribution(rows, "leximin", quotas=quotas)
    assert result.marginals == pytest.approx(expected, abs=1e-6)
    assert sum(result.probabilities) == pytest.approx(1)
    assert all(valid(panel, rows, quotas, 4) for panel in result.panels)


@pytest.mark.parametrize(
    "options",
    [
        {"inner": "ipm"},
        {"alpha": 0.0, "neighbours_per_panel": 0},
        {"prune": False},
    ],
    ids=["interior-point", "no-smoothing-no-neighbours", "no-pruning"],
)
def test_solver_options_give_the_same_leximin(options):
    rows = pool(SKEWED, HOUSEMATES)
    features = engine.load_features(QUOTAS, 4)
    people = engine.load_people(rows, features)
    panels, probabilities = engine.find_distribution_leximin_highs(features, people, 4, ["household"], **options)
    marginals = engine.marginals_of(people, panels, probabilities)
    assert marginals == pytest.approx(brute_force_leximin(rows, QUOTAS, 4), abs=1e-6)
