"""Results of a budget vote: the count, its explanation, the chart, and the ballot file.

Results are computed from the anonymous ballots, not stored. A result is a pure
function of the ballots and of the process's counting settings; storing it would mean
keeping a second copy in step with paper ballots imported after the close, with
corrected costs and with a changed rule. Counting is fast (identical ballots are
aggregated; a district of a few thousand voters takes milliseconds with greedy rules
and well under a second with equal shares), and the outcome is cached under a key
made of the ballots' version (civicplatform.ballots bumps it on every write), the
budget's amount and the rule, tie-breaking, threshold and projects (ids, costs): any
change gives a new key, so a cached result is never stale.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.core.cache import cache
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from budgets import tally
from budgets.models import IMPLEMENTATION_STATUSES, BallotType, Budget, BudgetProcess, PhaseKind, Project, TallyRule
from budgets.tally import explain
from budgets.voting.selectors import project_codes
from civicplatform.ballots.selectors import ParticipationStatistics, participation_statistics
from civicplatform.ballots.services import ballots_for, ballots_version

CACHE_SECONDS = 24 * 3600

VOTE_TYPES = {
    BallotType.KNAPSACK: "approval",
    BallotType.APPROVAL: "approval",
    BallotType.CUMULATIVE: "cumulative",
    BallotType.RANKED: "ordinal",
}
# Pabulib's `rule` label for each counting rule ("unknown" has a comment saying what it was).
PB_RULES = {
    TallyRule.GREEDY: "greedy",
    TallyRule.GREEDY_NO_SKIP: "greedy-no-skip",
    TallyRule.GREEDY_THRESHOLD: "greedy-threshold",
    TallyRule.MES_ADD1: "equalshares/add1",
    TallyRule.MES_ADD1_GREEDY: "unknown",
}
AMOUNT_PARAMS = ("remaining", "cost", "supporters_money", "endowment")


def results_visible(process: BudgetProcess, user: Any, now: datetime.datetime | None = None) -> bool:
    """Results and ballots are public once the vote is over; staff may look before."""
    if process.is_voting_over(now):
        return True
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def result_projects(process: BudgetProcess) -> list[Project]:
    """Every project that was on a ballot of the process, including the winners now being
    carried out (in progress, completed), in one query."""
    on_ballot = Project.objects.filter(process=process).on_ballot()
    carried_out = Project.objects.filter(process=process, status__in=IMPLEMENTATION_STATUSES)
    return list(
        (on_ballot | carried_out).select_related("process", "category", "district").order_by("budget_id", "title", "pk")
    )


# ---------------------------------------------------------------- ballots → election


def _meta(process: BudgetProcess, budget: Budget, projects: list[Project], municipality: str) -> dict[str, str]:
    phase = process.phase(PhaseKind.VOTING)
    meta = {
        "description": f"{process.title} — {budget.name}",
        "country": "France",
        "unit": municipality,
        "instance": str((phase.starts_at if phase else process.created_at).year),
        "num_projects": str(len(projects)),
        "num_votes": "0",
        "budget": str(budget.amount),
        "vote_type": VOTE_TYPES[process.ballot_type],
        "rule": PB_RULES[process.tally_rule],
        "date_begin": _pb_date(phase.starts_at) if phase else "",
        "date_end": _pb_date(phase.ends_at) if phase else "",
    }
    if budget.district_id:
        meta["district"] = budget.district.name
    if process.min_projects:
        meta["min_length"] = str(process.min_projects)
    if process.ballot_type == BallotType.RANKED and process.rank_k:
        meta["max_length"] = str(min(process.rank_k, len(projects)))
    elif process.max_projects:
        meta["max_length"] = str(min(process.max_projects, len(projects)))
    if process.ballot_type == BallotType.KNAPSACK:
        meta["max_sum_cost"] = str(budget.amount)
    if process.ballot_type == BallotType.CUMULATIVE:
        meta["max_sum_points"] = str(process.points_total or 0)
        if process.max_points_per_project:
            meta["max_points"] = str(process.max_points_per_project)
    if process.tally_rule == TallyRule.GREEDY_THRESHOLD and process.threshold:
        meta["min_project_score_threshold"] = str(process.threshold)
    if process.tally_rule == TallyRule.MES_ADD1_GREEDY:
        meta["comment"] = "#1: Method of Equal Shares (Add1), completed by greedy on the money left"
    meta["language"] = "fr"
    meta["currency"] = process.currency
    return {key: value for key, value in meta.items() if value != ""}


def _pb_date(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y")


def _municipality_name() -> str:
    from civicplatform.territory.models import Municipality

    municipality = Municipality.objects.order_by("pk").first()
    return municipality.name if municipality else ""


def budget_election(
    budget: Budget, projects: list[Project], *, with_voters: bool = False, municipality: str = ""
) -> tuple[tally.Election, dict[int, str]]:
    """The engine's Election for `budget` from its anonymous ballots, and each project's code.

    Identical ballots are counted once with a multiplicity. `with_voters` keeps one row
    per ballot, in publication order, whose voter_id is the start of its receipt hash:
    the line a voter finds with their receipt.
    """
    process = budget.process
    codes_by_pk = project_codes(projects)
    election_projects = {
        codes_by_pk[project.pk]: tally.Project(
            id=codes_by_pk[project.pk],
            cost=Fraction(project.ballot_cost),
            fields={
                "name": project.title,
                "category": project.category.name if project.category_id else "",
                "district": project.district.name if project.district_id else "",
            },
        )
        for project in projects
    }
    points_ballots = process.ballot_type == BallotType.CUMULATIVE
    index: dict[tuple, int] = {}
    keys: list[tuple] = []
    counts: list[int] = []
    voters: list[tally.Voter] = []
    rows = ballots_for(budget).values_list("receipt_hash", "choices")
    for receipt_hash, choices in rows.iterator(chunk_size=5000):
        listed = choices.get("projects", []) if isinstance(choices, dict) else []
        points = choices.get("points", []) if points_ballots else []
        ids: list[str] = []
        kept_points: list[int] = []
        for position, pk in enumerate(listed):
            code = codes_by_pk.get(pk)
            # A project taken off the ballot (withdrawn) no longer counts; the rest of the ballot does.
            if code is None or code in ids:
                continue
            ids.append(code)
            if points_ballots:
                kept_points.append(int(points[position]) if position < len(points) else 0)
        if process.ballot_type in (BallotType.KNAPSACK, BallotType.APPROVAL):
            ids.sort()
        key = (tuple(ids), tuple(kept_points) if points_ballots else None)
        number = index.get(key)
        if number is None:
            number = index[key] = len(keys)
            keys.append(key)
            counts.append(0)
        counts[number] += 1
        if with_voters:
            voters.append(tally.Voter(voter_id=receipt_hash[:16], ballot=number))
    ballots = [
        tally.Ballot(projects=ids, multiplicity=count, points=points)
        for (ids, points), count in zip(keys, counts, strict=True)
    ]
    election = tally.Election(
        meta=_meta(process, budget, projects, municipality),
        projects=election_projects,
        ballots=ballots,
        project_columns=("name", "category", "district"),
        voters=voters if with_voters else None,
    )
    return election, codes_by_pk


def _run_tally(process: BudgetProcess, election: tally.Election) -> tally.Outcome:
    return tally.tally(
        election,
        process.tally_rule,
        tie_breaking=process.tie_breaking,
        threshold=process.threshold if process.tally_rule == TallyRule.GREEDY_THRESHOLD else None,
    )


def _other_rules(process: BudgetProcess) -> list[str]:
    """The rules the results page also counts with, for comparison (threshold: only with one set)."""
    return [
        rule
        for rule in TallyRule.values
        if rule != process.tally_rule and (rule != TallyRule.GREEDY_THRESHOLD or process.threshold)
    ]


def _run_other(process: BudgetProcess, election: tally.Election, rule: str) -> tally.Outcome:
    return tally.tally(
        election,
        rule,
        tie_breaking=process.tie_breaking,
        threshold=process.threshold if rule == TallyRule.GREEDY_THRESHOLD else None,
    )


def _cache_key(budget: Budget, projects: list[Project]) -> str:
    process = budget.process
    settings_text = "|".join(
        [
            process.ballot_type,
            process.tally_rule,
            process.tie_breaking,
            str(process.threshold),
            str(budget.amount),
            ",".join(f"{project.pk}:{project.ballot_cost}:{project.external_id}" for project in projects),
        ]
    )
    digest = hashlib.sha256(settings_text.encode()).hexdigest()[:24]
    return f"budgets:outcome:v2:{budget.pk}:{ballots_version(budget)}:{digest}"


def budget_outcome(
    budget: Budget, projects: list[Project]
) -> tuple[tally.Outcome, int, dict[int, str], dict[str, tally.Outcome]]:
    """The outcome of `budget`'s vote, the number of ballots, the project codes and the
    outcomes the other rules would have given with the same ballots (all cached)."""
    key = _cache_key(budget, projects)
    cached = cache.get(key)
    if cached is not None:
        outcome, num_ballots, others = cached
        return outcome, num_ballots, project_codes(projects), others
    election, codes_by_pk = budget_election(budget, projects)
    process = budget.process
    outcome = _run_tally(process, election)
    others = {rule: _run_other(process, election, rule) for rule in _other_rules(process)}
    cache.set(key, (outcome, election.num_voters, others), CACHE_SECONDS)
    return outcome, election.num_voters, codes_by_pk, others


# ---------------------------------------------------------------- what the page shows


@dataclass(frozen=True)
class ProjectRow:
    project: Project
    code: str
    result: tally.ProjectResult
    explanation: str
    percent: float  # bar length, 0-100, relative to the best project


@dataclass(frozen=True)
class RuleComparison:
    """What another counting rule would have funded with the same ballots."""

    rule: str
    label: str
    description: str
    funded: list[str]  # project titles, in funding order
    spent: int
    same: bool  # funds exactly what the process's own rule funds
    added: list[str]  # titles funded by this rule and not by the official count
    dropped: list[str]  # titles funded by the official count and not by this rule


@dataclass(frozen=True)
class BudgetResult:
    budget: Budget
    outcome: tally.Outcome
    rows: list[ProjectRow]
    num_ballots: int
    rule_text: str
    uses_points: bool
    spent: int
    chart_height: int
    comparisons: tuple[RuleComparison, ...] = ()

    @property
    def selected_rows(self) -> list[ProjectRow]:
        return [row for row in self.rows if row.result.selected]


def _money(value: Fraction | str, currency: str) -> str:
    amount = Fraction(value)
    text = formats.number_format(float(amount), decimal_pos=0 if amount.denominator == 1 else 2, force_grouping=True)
    if currency == "EUR":
        return _("%(amount)s €") % {"amount": text}
    return f"{text} {currency}"


def explanation(
    result: tally.ProjectResult, *, points: bool, currency: str, titles: dict[str, str], outcome: tally.Outcome
) -> str:
    """Why a project won or lost, in the reader's language, amounts in the local format."""
    template = (explain.REASONS_POINTS if points else {}).get(result.reason_code) or explain.REASONS[result.reason_code]
    params = dict(result.reason_params)
    for name in AMOUNT_PARAMS:
        if name in params:
            params[name] = _money(params[name], currency)
    if "stopped_at" in params:
        params["stopped_at"] = titles.get(params["stopped_at"], params["stopped_at"])
    if "value" in params:
        params["value"] = formats.number_format(params["value"], force_grouping=True)
    return _(template) % params


def rule_description(outcome: tally.Outcome) -> str:
    return explain.describe(outcome, translate=_)


# Bars of the chart: one row per project, this many pixels high (label line + bar).
CHART_ROW = 44


def budget_result(budget: Budget, projects: list[Project]) -> BudgetResult:
    process = budget.process
    outcome, num_ballots, codes_by_pk, others = budget_outcome(budget, projects)
    points = process.ballot_type in (BallotType.CUMULATIVE, BallotType.RANKED)
    by_code = {codes_by_pk[project.pk]: project for project in projects}
    titles = {code: project.title for code, project in by_code.items()}
    measure = (lambda r: r.score) if points else (lambda r: r.votes)
    best = max((measure(result) for result in outcome.results.values()), default=0) or 1
    ordered = sorted(
        outcome.results.values(), key=lambda r: (not r.selected, -measure(r), by_code[r.id].ballot_cost, r.id)
    )
    rows = [
        ProjectRow(
            project=by_code[result.id],
            code=result.id,
            result=result,
            explanation=explanation(result, points=points, currency=process.currency, titles=titles, outcome=outcome),
            percent=round(100 * measure(result) / best, 1),
        )
        for result in ordered
    ]
    return BudgetResult(
        budget=budget,
        outcome=outcome,
        rows=rows,
        num_ballots=num_ballots,
        rule_text=rule_description(outcome),
        uses_points=points,
        spent=int(outcome.spent),
        chart_height=CHART_ROW * len(rows) + 8,
        comparisons=tuple(_comparison(rule, other, outcome, titles) for rule, other in others.items()),
    )


def _comparison(rule: str, other: tally.Outcome, official: tally.Outcome, titles: dict[str, str]) -> RuleComparison:
    chosen, funded = set(official.selected), set(other.selected)
    return RuleComparison(
        rule=rule,
        label=str(TallyRule(rule).label),
        description=rule_description(other),
        funded=[titles[code] for code in other.selected],
        spent=int(other.spent),
        same=chosen == funded,
        added=[titles[code] for code in other.selected if code not in chosen],
        dropped=[titles[code] for code in official.selected if code not in funded],
    )


def process_results(process: BudgetProcess) -> list[BudgetResult]:
    """Every budget's result, in the process's budget order (projects in one query)."""
    projects = result_projects(process)
    by_budget: dict[int, list[Project]] = {}
    for project in projects:
        by_budget.setdefault(project.budget_id, []).append(project)
    return [budget_result(budget, by_budget.get(budget.pk, [])) for budget in process.budgets.all()]


def process_statistics(process: BudgetProcess) -> ParticipationStatistics:
    phase = process.phase(PhaseKind.VOTING)
    year = (phase.starts_at if phase else timezone.now()).year
    return participation_statistics(list(process.budgets.all()), year=year)


# ---------------------------------------------------------------- the published ballot file


def budget_pb(budget: Budget) -> str:
    """The pabulib `.pb` file of `budget`: its projects with the result, and every anonymous
    ballot in receipt-hash order with the start of that hash as voter_id."""
    projects = [project for project in result_projects(budget.process) if project.budget_id == budget.pk]
    election, _codes = budget_election(budget, projects, with_voters=True, municipality=_municipality_name())
    outcome = _run_tally(budget.process, election)
    return tally.write_pb(election, outcome)


def pb_filename(budget: Budget) -> str:
    return f"{budget.process.slug}_{budget.slug}.pb"
