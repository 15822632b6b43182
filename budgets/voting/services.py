"""Casting and changing budget ballots, and importing paper ballots.

The secret-ballot mechanics (ledger, anonymous ballot, receipt, audit) live in
civicplatform.ballots; this module adds the budget rules: the vote is open, the person
may vote in this budget, and in an "any one budget" process only in one of them.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets.models import BallotType, Budget, BudgetProcess, Project
from budgets.voting.selectors import exclusive_budgets, project_codes, vote_decision
from civicplatform.ballots import services as ballots
from civicplatform.ballots.models import Channel, SecretBallot
from civicplatform.core.models import AuditEvent

PAPER_IMPORT_ACTION = "ballots.paper"
# A paper-ballot file is refused beyond this size: a town's polling stations fit easily.
MAX_PAPER_FILE_BYTES = 5 * 1024 * 1024


class VoteRefused(PermissionDenied):
    """The person may not vote here now; carries the Decision that says why."""

    def __init__(self, decision: Any) -> None:
        self.decision = decision
        super().__init__(decision.reason)


def budget_vote_cast(
    *,
    process: BudgetProcess,
    budget: Budget,
    person: Any,
    choices: dict[str, Any],
    channel: str = Channel.ONLINE,
    actor: Any = None,
    on_behalf_of: Any = None,
    now: datetime.datetime | None = None,
) -> str:
    """Cast `person`'s ballot in `budget` and return the receipt code.

    Raises VoteRefused (with the reason) when the vote is closed or the person may not
    vote here, and ballots.AlreadyVoted on a second vote, including one in another
    budget of an "any one budget" process (checked under a lock in the transaction).
    """
    now = now or timezone.now()
    decision = vote_decision(process, budget, person, now)
    if not decision.allowed:
        raise VoteRefused(decision)
    return ballots.ballot_cast(
        election=budget,
        person=person,
        choices=choices,
        channel=channel,
        actor=actor,
        on_behalf_of=on_behalf_of,
        exclusive_with=exclusive_budgets(process),
        today=timezone.localdate(now),
    )


def budget_vote_change(
    *,
    process: BudgetProcess,
    budget: Budget,
    person: Any,
    receipt: str,
    choices: dict[str, Any],
    actor: Any = None,
    on_behalf_of: Any = None,
    now: datetime.datetime | None = None,
) -> SecretBallot:
    """Replace the choices of the person's ballot, while the vote is open (same receipt)."""
    now = now or timezone.now()
    decision = vote_decision(process, budget, person, now)
    if not decision.allowed:
        raise VoteRefused(decision)
    return ballots.ballot_change(
        election=budget, person=person, receipt=receipt, choices=choices, actor=actor, on_behalf_of=on_behalf_of
    )


# ---------------------------------------------------------------- paper ballots in bulk


@dataclass
class PaperImportReport:
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _parse_paper_line(
    cells: list[str], *, line: int, process: BudgetProcess, budgets: dict[str, Budget], codes: dict[str, dict[str, int]]
) -> tuple[Budget, dict[str, Any]]:
    if not cells or len(cells) < 2:
        raise ValidationError(_("Line %(line)d: expected the budget and the project codes.") % {"line": line})
    slug, listed = cells[0].strip(), cells[1].strip()
    budget = budgets.get(slug)
    if budget is None:
        raise ValidationError(_("Line %(line)d: unknown budget “%(budget)s”.") % {"line": line, "budget": slug})
    by_code = codes[slug]
    projects: list[int] = []
    points: list[int] = []
    for item in (part.strip() for part in listed.split(",")):
        if not item:
            continue
        code, _sep, amount = item.partition(":")
        if code not in by_code:
            raise ValidationError(
                _("Line %(line)d: no project with the code “%(code)s” in this budget.") % {"line": line, "code": code}
            )
        if by_code[code] in projects:
            raise ValidationError(
                _("Line %(line)d: the project “%(code)s” is listed twice.") % {"line": line, "code": code}
            )
        projects.append(by_code[code])
        if process.ballot_type == BallotType.CUMULATIVE:
            try:
                points.append(int(amount))
            except ValueError:
                raise ValidationError(
                    _("Line %(line)d: give the points as code:points (for example %(example)s).")
                    % {"line": line, "example": f"{code}:2"}
                ) from None
    if not projects:
        raise ValidationError(_("Line %(line)d: the ballot names no project.") % {"line": line})
    if process.ballot_type == BallotType.CUMULATIVE:
        pairs = sorted(zip(projects, points, strict=True), key=lambda pair: -pair[1])
        return budget, {"projects": [pk for pk, _n in pairs], "points": [n for _pk, n in pairs]}
    return budget, {"projects": projects}


def paper_ballots_import(*, process: BudgetProcess, data: bytes, actor: Any) -> PaperImportReport:
    """Add anonymous paper ballots from a CSV file (`budget;code,code,...` per line).

    These ballots were collected at a polling station that checks voters against its own
    register, so they have no person on the platform's ledger: the platform cannot stop
    someone from voting both there and online, the polling station's register must.
    The whole file is refused if any line is wrong (nothing is half-imported), and a file
    already imported for this process is refused (its SHA-256 is kept in the audit log).
    Ballots are checked for the process's limits only as far as the tally needs (known,
    distinct projects); a paper ballot the counting table judged valid counts as cast.
    """
    report = PaperImportReport()
    if len(data) > MAX_PAPER_FILE_BYTES:
        raise ValidationError(_("This file is too large (5 MB at most)."))
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("This file is not UTF-8 text: save it as “CSV UTF-8”.")) from None
    budgets = {budget.slug: budget for budget in process.budgets.all()}
    projects = list(Project.objects.filter(process=process).on_ballot())
    codes_by_pk = project_codes(projects)
    codes = {slug: {} for slug in budgets}
    budget_slug_by_id = {budget.pk: slug for slug, budget in budgets.items()}
    for project in projects:
        slug = budget_slug_by_id.get(project.budget_id)
        if slug is not None:
            codes[slug][codes_by_pk[project.pk]] = project.pk
    by_budget: dict[str, list[dict[str, Any]]] = {slug: [] for slug in budgets}
    reader = csv.reader(io.StringIO(text), delimiter=";")
    for line, cells in enumerate(reader, start=1):
        if not any(cell.strip() for cell in cells):
            continue
        if line == 1 and cells[0].strip().lower() in ("budget", "budget_slug"):
            continue
        try:
            budget, choices = _parse_paper_line(cells, line=line, process=process, budgets=budgets, codes=codes)
        except ValidationError as error:
            report.errors.extend(error.messages)
            continue
        by_budget[budget.slug].append(choices)
    if report.errors:
        return report
    if not any(by_budget.values()):
        raise ValidationError(_("This file holds no ballot."))
    with transaction.atomic():
        already = AuditEvent.objects.filter(action=PAPER_IMPORT_ACTION, data__sha256=digest).exists()
        if already:
            raise ValidationError(_("This file has already been imported: its ballots are counted once."))
        for slug, items in by_budget.items():
            if items:
                report.counts[slug] = ballots.ballots_import(
                    election=budgets[slug],
                    choices=items,
                    channel=Channel.PAPER,
                    actor=actor,
                    action=PAPER_IMPORT_ACTION,
                    data={"sha256": digest},
                )
    return report
