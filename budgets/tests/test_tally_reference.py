"""Our rules against real outcomes: the cities' published winners (the `selected` column) and
pabutools' reference winners recorded in ../shared/data/pabulib/expected.json."""

from __future__ import annotations

import pytest

from budgets.tally import Ballot, Election, MesOptions, meta_threshold, parse_pb, tally
from budgets.tests.tally_helpers import PABULIB, expected, require_pabulib

PABUTOOLS_TIES = ("id",)  # pabutools' lexico_tie_breaking, used for every expected.json rule but two
EQSH_TIES = ("min_cost", "max_votes", "id")  # the `*_eqsh*` entries (equalshares.net / pabulib checker)
PABUTOOLS_ADD1 = {"start": "exact", "stop": "exhaustive"}

# expected.json rule -> (our rule, tie-breaking, MES options as keywords or None)
SAME_SEMANTICS = {
    "greedy_votes": ("greedy", PABUTOOLS_TIES, None),
    "greedy_points": ("greedy", PABUTOOLS_TIES, None),
    "mes_cost": ("mes-add1", PABUTOOLS_TIES, {"utility": "cost", "start": "exact", "add1": False}),
    "mes_approval": ("mes-add1", PABUTOOLS_TIES, {"utility": "cardinality", "start": "exact", "add1": False}),
    "mes_points": ("mes-add1", PABUTOOLS_TIES, {"utility": "points", "start": "exact", "add1": False}),
    "mes_cost_add1_greedy": ("mes-add1-greedy", PABUTOOLS_TIES, {"utility": "cost", **PABUTOOLS_ADD1}),
    "mes_approval_add1_greedy": ("mes-add1-greedy", PABUTOOLS_TIES, {"utility": "cardinality", **PABUTOOLS_ADD1}),
    "mes_points_add1_greedy": ("mes-add1-greedy", PABUTOOLS_TIES, {"utility": "points", **PABUTOOLS_ADD1}),
    # The pabulib `equalshares/add1` rule is our mes-add1 as it stands.
    "mes_cost_add1_eqsh_noexh": ("mes-add1", EQSH_TIES, None),
}
# The `*_approvalized*` entries (points ballots read as approval ballots) were computed with
# every distinct ballot counted once, not with its multiplicity: see the test at the end. With
# the real multiplicities, live pabutools agrees with us (test_tally_pabutools.py).
APPROVALIZED = {
    "mes_cost_approvalized": ("mes-add1", {"utility": "cost", "start": "exact", "add1": False}),
    "mes_cost_approvalized_add1_greedy": ("mes-add1-greedy", {"utility": "cost", **PABUTOOLS_ADD1}),
}
META_RULES = {"greedy": "greedy", "greedy-threshold": "greedy-threshold", "greedy-no-skip": "greedy-no-skip"}


def reference_cases() -> list[tuple[str, str]]:
    if not (PABULIB / "expected.json").is_file():
        return []
    import json

    data = json.loads((PABULIB / "expected.json").read_text(encoding="utf-8"))
    return [
        (name, rule)
        for name, entry in data.items()
        if name != "_about"
        for rule, result in entry["rules"].items()
        if result.get("status") == "ok" and (rule in SAME_SEMANTICS or rule == "greedy_city_rule")
    ]


def test_every_expected_rule_we_implement_is_checked():
    require_pabulib()
    assert len(reference_cases()) >= 25


@pytest.mark.parametrize(("name", "rule"), reference_cases())
def test_winners_equal_pabutools_reference_outcomes(name, rule):
    election = parse_pb(require_pabulib() / name)
    reference = expected()[name]["rules"][rule]
    if rule == "greedy_city_rule":
        ours = META_RULES.get(reference["meta_rule"], "greedy")
        mode = "greedy-no-skip" if reference["mode"] == "no-skip" else ours
        outcome = tally(election, mode, tie_breaking=PABUTOOLS_TIES, threshold=reference["threshold"] or None)
    else:
        ours, ties, options = SAME_SEMANTICS[rule]
        outcome = tally(election, ours, tie_breaking=ties, mes_options=MesOptions(**options) if options else None)
    assert sorted(outcome.selected) == reference["winners"]
    if "total_cost" in reference:
        assert str(outcome.spent) == reference["total_cost"]


PUBLISHED = [
    ("Poland_Warszawa_2026_Stegny.pb", "greedy-threshold"),
    ("Poland_Czestochowa_2024_Mirow.pb", "greedy"),
    ("Poland_Krakow_2022_Zwierzyniec.pb", "greedy"),
    ("Netherlands_Assen_2024.pb", "mes-add1"),
]


@pytest.mark.parametrize(("name", "rule"), PUBLISHED)
def test_winners_equal_the_outcome_the_city_published(name, rule):
    election = parse_pb(require_pabulib() / name)
    outcome = tally(election, rule)
    published = sorted(pid for pid, project in election.projects.items() if project.fields.get("selected") == "1")
    assert sorted(outcome.selected) == published
    assert published == expected()[name]["actual_selected"]


def test_warsaw_takes_its_threshold_from_meta():
    election = parse_pb(require_pabulib() / "Poland_Warszawa_2026_Stegny.pb")
    assert meta_threshold(election) == 30
    outcome = tally(election, "greedy-threshold")
    assert outcome.threshold == 30
    expensive = outcome.results["671"]
    assert (expensive.reason_code, expensive.reason_params["cost"]) == ("did_not_fit", "590200")


def test_assen_explains_its_equal_shares_round_by_round():
    outcome = tally(parse_pb(require_pabulib() / "Netherlands_Assen_2024.pb"), "mes-add1")
    assert outcome.endowment == 2033
    assert outcome.runs > 800  # from ⌊100000 / 84⌋ = 1190 up, one euro per voter at a time
    assert [entry.project for entry in outcome.rounds] == list(outcome.selected)
    first = outcome.rounds[0]
    # Nobody has paid anything yet: the effective vote count is the plain vote count.
    assert (first.project, first.effective_votes) == ("3", outcome.results["3"].votes)
    assert all(later.rho >= earlier.rho for earlier, later in zip(outcome.rounds, outcome.rounds[1:], strict=False))
    losers = [result for result in outcome.results.values() if not result.selected]
    assert {result.reason_code for result in losers} == {"shares_insufficient"}


def test_assen_with_greedy_completion_adds_the_project_pabutools_adds():
    outcome = tally(parse_pb(require_pabulib() / "Netherlands_Assen_2024.pb"), "mes-add1-greedy")
    assert outcome.results["7"].reason_code == "selected_in_completion"
    assert outcome.results["8"].reason_code == "did_not_fit"


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("Poland_Czestochowa_2024_Mirow.pb", "mes_cost_approvalized"),
        ("Poland_Krakow_2022_Zwierzyniec.pb", "mes_cost_approvalized"),
        ("Poland_Krakow_2022_Zwierzyniec.pb", "mes_cost_approvalized_add1_greedy"),
    ],
)
def test_approvalized_reference_entries_counted_each_distinct_ballot_once(name, rule):
    election = parse_pb(require_pabulib() / name)
    once_each = Election(
        meta=election.meta,
        projects=election.projects,
        ballots=[Ballot(ballot.projects, 1, ballot.points) for ballot in election.ballots],
    )
    ours, options = APPROVALIZED[rule]
    outcome = tally(once_each, ours, tie_breaking=PABUTOOLS_TIES, mes_options=MesOptions(**options))
    assert sorted(outcome.selected) == expected()[name]["rules"][rule]["winners"]
