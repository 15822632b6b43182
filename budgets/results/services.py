"""Writes around results: importing a pabulib election, and recording the outcome on projects."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from budgets import tally
from budgets.models import (
    BallotType,
    Budget,
    BudgetPhase,
    BudgetProcess,
    Category,
    PhaseKind,
    Project,
    ProjectStatus,
    TallyRule,
    TieBreaking,
    VotingScope,
)
from budgets.results.selectors import process_results
from civicplatform.ballots import services as ballots
from civicplatform.ballots.models import Channel
from civicplatform.core.services import audit_record

# Pabulib rule labels and the platform rule that counts them; labels the platform does not
# implement exactly (exclusive projects, Poznań's 80 % rule, the comparison step) are
# counted with the nearest rule and the page says so.
IMPORTED_RULES = {
    "greedy": TallyRule.GREEDY,
    "greedy-no-skip": TallyRule.GREEDY_NO_SKIP,
    "greedy-threshold": TallyRule.GREEDY_THRESHOLD,
    "equalshares/add1": TallyRule.MES_ADD1,
}
MAX_PB_BYTES = 50 * 1024 * 1024
COORDINATE = Decimal("0.000001")


@dataclass
class ImportResult:
    process: BudgetProcess
    warnings: list[str] = field(default_factory=list)


def _whole(amount: Fraction, what: str) -> int:
    if amount.denominator != 1:
        raise ValidationError(
            _("%(what)s has cents (%(amount)s): the platform counts whole amounts only.")
            % {"what": what, "amount": tally.format_amount(amount)}
        )
    return int(amount)


def _pb_day(text: str, *, end: bool) -> datetime.datetime | None:
    text = (text or "").strip()
    try:
        if len(text) == 4 and text.isdigit():
            day = datetime.date(int(text), 12, 31) if end else datetime.date(int(text), 1, 1)
        else:
            day = datetime.datetime.strptime(text, "%d.%m.%Y").date()  # noqa: DTZ007 - a date, made aware below
    except ValueError:
        return None
    if end:
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _int_meta(meta: dict[str, str], key: str) -> int | None:
    try:
        return int(Fraction(meta[key])) if meta.get(key, "").strip() else None
    except (ValueError, ZeroDivisionError):
        return None


def _unique_slug(base: str) -> str:
    base = (slugify(base) or "pabulib")[:100]
    slug, number = base, 1
    while BudgetProcess.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _coordinate(text: str, limit: int) -> Decimal | None:
    try:
        value = Decimal(text).quantize(COORDINATE)
    except (InvalidOperation, TypeError):
        return None
    return value if -limit <= value <= limit else None


def _process_settings(election: tally.Election, warnings: list[str]) -> dict[str, Any]:
    meta = election.meta
    vote_type = election.vote_type
    lengths = [len(ballot.projects) for ballot in election.ballots] or [0]
    settings: dict[str, Any] = {
        "min_projects": _int_meta(meta, "min_length"),
        "max_projects": _int_meta(meta, "max_length"),
    }
    if vote_type == "scoring":
        raise ValidationError(_("Scoring ballots (points that may be negative) are not supported."))
    if vote_type == "approval":
        settings["ballot_type"] = BallotType.KNAPSACK if meta.get("max_sum_cost") else BallotType.APPROVAL
    elif vote_type == "choose-1":
        settings.update(ballot_type=BallotType.APPROVAL, max_projects=1)
    elif vote_type == "cumulative":
        sums = [sum(ballot.points or ()) for ballot in election.ballots] or [1]
        settings.update(
            ballot_type=BallotType.CUMULATIVE,
            points_total=_int_meta(meta, "max_sum_points") or max(sums) or 1,
            max_points_per_project=_int_meta(meta, "max_points"),
        )
    else:
        settings.update(ballot_type=BallotType.RANKED, rank_k=settings["max_projects"] or max(lengths) or 1)
    if settings["min_projects"] and settings["max_projects"] and settings["min_projects"] > settings["max_projects"]:
        settings["min_projects"] = settings["max_projects"]
    label = meta.get("rule", "unknown").strip().lower()
    rule = IMPORTED_RULES.get(label)
    if rule is None:
        rule = TallyRule.MES_ADD1 if label.startswith("equalshares") else TallyRule.GREEDY
        warnings.append(
            _("The file's rule “%(label)s” is counted here with “%(rule)s”, the nearest rule the platform has.")
            % {"label": label, "rule": TallyRule(rule).label}
        )
    settings["tally_rule"] = rule
    if rule == TallyRule.GREEDY_THRESHOLD:
        settings["threshold"] = tally.meta_threshold(election)
        if not settings["threshold"]:
            raise ValidationError(_("The file uses a vote threshold but does not say which one."))
    return settings


def pb_import(*, data: bytes, actor: Any, filename: str = "", slug: str = "") -> ImportResult:
    """Create a finished process from a pabulib `.pb` file, so that any real election can be replayed.

    One process (imported, no vote on the platform: its voting phase carries the file's
    dates), one budget, its projects (Pabulib ids kept as external ids; selected or not as
    the file says, or as the platform counts when the file does not say), and every vote
    as an anonymous ballot of channel "imported" (the file's voter ids are not kept: the
    published file gets new ones). Amounts with cents are refused. Problems the pabulib
    checker would flag but that do not stop a count come back as warnings.
    """
    if len(data) > MAX_PB_BYTES:
        raise ValidationError(_("This file is too large (50 MB at most)."))
    try:
        election = tally.parse_pb(data)
    except tally.PbFormatError as error:
        raise ValidationError(_("This is not a readable pabulib file: %(error)s") % {"error": error}) from None
    warnings = [str(problem) for problem in tally.consistency_problems(election)]
    meta = election.meta
    amount = _whole(election.budget, _("The budget"))
    for project in election.projects.values():
        _whole(project.cost, _("The cost of project %(id)s") % {"id": project.id})
        if len(project.id) > 64:
            raise ValidationError(_("Project ids longer than 64 characters are not supported."))
    settings = _process_settings(election, warnings)
    place = meta.get("district") or meta.get("subunit") or ""
    title = (meta.get("description") or Path(filename).stem or _("Imported participatory budget"))[:200]
    description = "\n\n".join(
        part
        for part in (
            _("Imported from the pabulib file %(file)s.") % {"file": filename or "(.pb)"},
            meta.get("comment", ""),
            meta.get("acknowledgments", ""),
        )
        if part
    )
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        process = BudgetProcess(
            slug=_unique_slug(slug or Path(filename).stem or title),
            title=title,
            description=description,
            voting_scope=VotingScope.ALL,
            tie_breaking=TieBreaking.DEFAULT,
            currency=(meta.get("currency") or "EUR")[:3].upper(),
            is_imported=True,
            **settings,
        )
        process.full_clean(exclude=["restricted_districts"])
        process.save()
        starts, ends = _pb_day(meta.get("date_begin", ""), end=False), _pb_day(meta.get("date_end", ""), end=True)
        if starts and ends and ends > starts:
            BudgetPhase.objects.create(process=process, kind=PhaseKind.VOTING, starts_at=starts, ends_at=ends)
        budget = Budget.objects.create(
            process=process,
            slug=slugify(place)[:120] or "budget",
            name=(place or meta.get("unit") or title)[:200],
            amount=amount,
        )
        categories: dict[str, Category] = {}
        outcome = None
        if not any("selected" in project.fields for project in election.projects.values()):
            outcome = tally.tally(
                election, settings["tally_rule"], tie_breaking=TieBreaking.DEFAULT, threshold=settings.get("threshold")
            )
        projects = []
        for project in election.projects.values():
            fields = project.fields
            name = (fields.get("category") or "").split(",")[0].strip()
            if name and name not in categories:
                categories[name] = Category.objects.create(
                    process=process, name=name[:120], slug=(slugify(name) or "c")[:100] + f"-{len(categories) + 1}"
                )
            if outcome is not None:
                selected = outcome.results[project.id].selected
            else:
                selected = fields.get("selected", "0") in ("1", "2", "3")
            latitude = _coordinate(fields.get("latitude", ""), 90)
            longitude = _coordinate(fields.get("longitude", ""), 180)
            if latitude is None or longitude is None:
                latitude = longitude = None
            projects.append(
                Project(
                    process=process,
                    budget=budget,
                    title=(fields.get("name") or _("Project %(id)s") % {"id": project.id})[:200],
                    summary=(fields.get("description") or "")[:300],
                    description=fields.get("description", ""),
                    cost=int(project.cost),
                    category=categories.get(name),
                    external_id=project.id,
                    status=ProjectStatus.SELECTED if selected else ProjectStatus.NOT_SELECTED,
                    latitude=latitude,
                    longitude=longitude,
                )
            )
        Project.objects.bulk_create(projects)
        pk_by_id = {project.external_id: project.pk for project in projects}
        points_ballots = election.vote_type == "cumulative"

        def choices():
            for ballot in election.ballots:
                item: dict[str, Any] = {"projects": [pk_by_id[pid] for pid in ballot.projects]}
                if points_ballots:
                    item["points"] = list(ballot.points or ())
                for _copy in range(ballot.multiplicity):
                    yield item

        count = ballots.ballots_import(
            election=budget, choices=choices(), channel=Channel.IMPORTED, actor=actor, action="ballots.import"
        )
        audit_record(
            action="budgets.pb_import",
            actor=actor,
            target=process,
            data={"file": filename, "sha256": digest, "ballots": count, "projects": len(projects)},
        )
    return ImportResult(process=process, warnings=warnings)


def results_apply(*, process: BudgetProcess, actor: Any) -> int:
    """Mark every project on the ballot "selected" or "not selected" as the count says.

    Only once the vote is over; projects already in progress or completed keep their status.
    Returns the number of projects selected.
    """
    if not process.is_voting_over():
        raise ValidationError(_("The results can be recorded once the vote has closed."))
    winners: list[int] = []
    losers: list[int] = []
    for result in process_results(process):
        for row in result.rows:
            (winners if row.result.selected else losers).append(row.project.pk)
    votable = [ProjectStatus.SHORTLISTED, ProjectStatus.FEASIBLE, ProjectStatus.SELECTED, ProjectStatus.NOT_SELECTED]
    with transaction.atomic():
        Project.objects.filter(pk__in=winners, status__in=votable).update(status=ProjectStatus.SELECTED)
        Project.objects.filter(pk__in=losers, status__in=votable).update(status=ProjectStatus.NOT_SELECTED)
        audit_record(
            action="budgets.results_apply",
            actor=actor,
            target=process,
            data={"selected": len(winners), "not_selected": len(losers)},
        )
    return len(winners)
