"""Sentences for the results page: why each project won or lost, and what the rule is.

The texts are English msgids with named placeholders. This package does not import
Django, so they are only *marked* here (`gettext_noop`, which `makemessages` extracts into
the budgets catalogue); the caller translates them — `gettext(REASONS[code]) % params` —
and formats amounts for the reader's locale before substituting them if it wishes.
`explain()` without a translate function gives the English text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from . import outcome as codes
from .outcome import Outcome, ProjectResult


def gettext_noop(message: str) -> str:
    """Mark a msgid for extraction without translating it (Django's helper, without Django)."""
    return message


REASONS: Mapping[str, str] = {
    codes.SELECTED: gettext_noop("Funded."),
    codes.SELECTED_IN_COMPLETION: gettext_noop(
        "Funded with the money left after the equal shares, in order of support."
    ),
    codes.NO_SUPPORT: gettext_noop("Not funded: not supported by anyone."),
    codes.BELOW_THRESHOLD: gettext_noop(
        "Not funded: below the threshold of %(threshold)s votes needed to be eligible (it got %(value)s)."
    ),
    codes.DID_NOT_FIT: gettext_noop(
        "Not funded: it did not fit in the remaining budget (%(remaining)s left, cost %(cost)s)."
    ),
    codes.GREEDY_STOPPED: gettext_noop(
        "Not funded: the count stopped at the first project that did not fit (project %(stopped_at)s)."
    ),
    codes.SHARES_INSUFFICIENT: gettext_noop(
        "Not funded: its supporters' equal shares could not cover its cost "
        "(they had %(supporters_money)s left for a cost of %(cost)s, with %(endowment)s per voter)."
    ),
}
# Cumulative, ordinal and scoring ballots count points, not votes.
REASONS_POINTS: Mapping[str, str] = {
    codes.BELOW_THRESHOLD: gettext_noop(
        "Not funded: below the threshold of %(threshold)s points needed to be eligible (it got %(value)s)."
    ),
}

RULE_DESCRIPTIONS: Mapping[str, str] = {
    "greedy": gettext_noop(
        "Projects are taken in order of support (votes, or points); a project that no longer fits in the "
        "remaining budget is skipped and the count continues with the next one."
    ),
    "greedy-no-skip": gettext_noop(
        "Projects are taken in order of support (votes, or points); the count stops at the first project that "
        "does not fit in the remaining budget."
    ),
    "greedy-threshold": gettext_noop(
        "Only projects with a support of at least %(threshold)s are eligible; they are taken in order of support "
        "(votes, or points), and a project that no longer fits is skipped."
    ),
    "mes-add1": gettext_noop(
        "Method of Equal Shares: the budget is shared equally among the voters, and a project is funded when "
        "its supporters can pay for it together, the most widely shared cost first. The share per voter is "
        "raised by 1 until a higher share would overspend the budget."
    ),
    "mes-add1-greedy": gettext_noop(
        "Method of Equal Shares as above, then the money left funds the remaining projects in order of support, "
        "as long as they fit."
    ),
}

TIE_CRITERIA: Mapping[str, str] = {
    "min_cost": gettext_noop("the cheaper project"),
    "max_cost": gettext_noop("the more expensive project"),
    "max_votes": gettext_noop("the project with more votes"),
    "min_votes": gettext_noop("the project with fewer votes"),
    "max_score": gettext_noop("the project with more points"),
    "order": gettext_noop("the project drawn first in the published lottery"),
    "id": gettext_noop("the project whose number comes first in alphabetical order"),
}
TIE_BREAKING = gettext_noop("When projects are exactly tied, the winner is %(chain)s.")
THEN = gettext_noop(", then ")


def explain(result: ProjectResult, *, points: bool = False, translate: Callable[[str], str] | None = None) -> str:
    """The sentence for one project's result (English unless `translate` is given).

    `points`: the ballots count points (cumulative, ordinal, scoring), not votes.
    """
    template = (REASONS_POINTS if points else {}).get(result.reason_code) or REASONS[result.reason_code]
    return _translated(translate, template) % dict(result.reason_params)


def describe(outcome: Outcome, translate: Callable[[str], str] | None = None) -> str:
    """Which rule was applied and how ties were broken, in two sentences."""
    rule = _translated(translate, RULE_DESCRIPTIONS[outcome.rule]) % {"threshold": outcome.threshold}
    chain = _translated(translate, THEN).join(
        _translated(translate, TIE_CRITERIA[name]) for name in outcome.tie_breaking
    )
    return f"{rule} {_translated(translate, TIE_BREAKING) % {'chain': chain}}"


def _translated(translate: Callable[[str], str] | None, message: str) -> str:
    return translate(message) if translate else message
