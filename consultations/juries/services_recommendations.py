"""What the seated jury produces: drafting recommendations together, the secret vote on them with
levels of support, minority views and the published report.

Drafting is optimistic: a member's form carries the revision it started from, and saving is refused
(nothing is lost: the view keeps the text in the form) when someone else saved in between. Numbers
(R1, R2...) are given under a lock on the jury row, with the database's unique constraint behind it.

The vote is a `civicplatform.ballots` election: the ledger stops a second vote, the anonymous ballot
holds {"<number>": <level>} and the member keeps a receipt to change it until closing. A vote closes
when staff close it or on its closing time, whichever comes first: the `juries.recommendation_votes_close`
beat task closes due votes every few minutes, and every page that reads a vote closes it first if its
time has passed (`recommendation_votes_close_due`), so nobody can vote late and results never wait for
the worker. Closing counts the ballots once, stores the distribution and decides each recommendation.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicplatform.ballots import services as ballots
from civicplatform.core.services import audit_record
from civicplatform.notifications import kinds
from civicplatform.notifications.services import notify

from .models import (
    SUPPORTING_LEVELS,
    Jury,
    JuryReport,
    JuryStatus,
    MinorityView,
    Recommendation,
    RecommendationRevision,
    RecommendationStatus,
    RecommendationVote,
    SupportLevel,
    VoteStatus,
)
from .rules import takes_part
from .signals import report_published

LEVELS = [int(level) for level in SupportLevel]
VOTE_CLOSED_KIND = "juries.recommendation_vote_closed"


def register_notification_kinds() -> None:
    kinds.register_kind(
        VOTE_CLOSED_KIND,
        gettext_lazy("Results of the votes on recommendations (citizen juries)"),
        kinds.DeliveryMode.IMMEDIATE,
        gettext_lazy("When a secret vote of the jury you sit on closes and its results can be read."),
        order=61,
    )


def _fill(template: str, values: dict) -> str:
    return str(template) % values


# Notification texts are stored in the site's language (notify() translates inside an override).
_fill_lazy = lazy(_fill, str)


def _notify_vote_closed(vote: RecommendationVote, actor: Any) -> None:
    """Tell the members seated when the vote closed that its results can be read (sent once: closing is)."""
    jury = vote.jury
    seats = jury.seats.current().select_related("user")
    notify(
        recipients=[seat.user for seat in seats],
        kind=VOTE_CLOSED_KIND,
        target=jury,
        actor=actor,
        title=_fill_lazy(
            gettext_lazy("The vote “%(vote)s” of the jury “%(title)s” is closed: read the results"),
            {"vote": vote.title, "title": jury.title},
        ),
        url=reverse("juries:recommendation_vote", args=[jury.slug, vote.pk]),
    )


class EditConflict(ValidationError):
    """Someone else saved the draft after the form was opened; carries their revision."""

    def __init__(self, latest: RecommendationRevision | None) -> None:
        self.latest = latest
        super().__init__(
            _(
                "Someone else saved this recommendation after you opened it. Your text is kept below: compare "
                "it with the current version, then save again."
            ),
            code="conflict",
        )


def _may_draft(user: Any, jury: Jury) -> None:
    if not (takes_part(user, jury) or user.has_perm("juries.manage_jury")):
        raise PermissionDenied(_("Only the members of the jury and its facilitators may do this."))


def _report_open(jury: Jury) -> None:
    if JuryReport.objects.filter(jury=jury, published_at__isnull=False).exists():
        raise ValidationError(_("The report has been published: the jury's work is closed."))


def latest_revision_id(recommendation: Recommendation) -> int | None:
    return recommendation.revisions.order_by("-edited_at", "-id").values_list("pk", flat=True).first()


# ---------------------------------------------------------------- drafting


def recommendation_create(*, jury: Jury, actor: Any, title: str, text: str, rationale: str = "") -> Recommendation:
    """A new draft, numbered after the jury's last one (under a lock on the jury), with its first revision."""
    _may_draft(actor, jury)
    _report_open(jury)
    with transaction.atomic():
        Jury.objects.select_for_update().filter(pk=jury.pk).first()
        number = (jury.recommendations.aggregate(last=Max("number"))["last"] or 0) + 1
        recommendation = Recommendation(
            jury=jury, number=number, title=title, text=text, rationale=rationale, created_by=actor
        )
        recommendation.full_clean()
        recommendation.save()
        RecommendationRevision.objects.create(
            recommendation=recommendation, title=title, text=text, rationale=rationale, edited_by=actor
        )
        audit_record(action="juries.recommendation_create", actor=actor, target=recommendation)
    return recommendation


def recommendation_update(
    *,
    recommendation: Recommendation,
    actor: Any,
    title: str,
    text: str,
    rationale: str = "",
    base_revision: int | None,
) -> Recommendation:
    """Save a new wording of a draft, unless someone else saved since `base_revision` (EditConflict)."""
    _may_draft(actor, recommendation.jury)
    _report_open(recommendation.jury)
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if locked.status != RecommendationStatus.DRAFT:
            raise ValidationError(_("Only a recommendation being drafted can be changed."))
        latest = locked.revisions.order_by("-edited_at", "-id").first()
        if latest is not None and latest.pk != base_revision:
            raise EditConflict(latest)
        if latest is not None and (latest.title, latest.text, latest.rationale) == (title, text, rationale):
            return locked  # nothing changed: no empty revision in the history
        locked.title, locked.text, locked.rationale = title, text, rationale
        locked.full_clean()
        locked.save(update_fields=["title", "text", "rationale", "updated_at"])
        RecommendationRevision.objects.create(
            recommendation=locked, title=title, text=text, rationale=rationale, edited_by=actor
        )
        audit_record(action="juries.recommendation_update", actor=actor, target=locked)
    return locked


def may_withdraw(user: Any, recommendation: Recommendation) -> bool:
    """Only the draft's author (still seated) or staff withdraw it."""
    if user.has_perm("juries.manage_jury"):
        return True
    return recommendation.created_by_id == user.pk and takes_part(user, recommendation.jury)


def recommendation_withdraw(*, recommendation: Recommendation, actor: Any) -> Recommendation:
    if not may_withdraw(actor, recommendation):
        raise PermissionDenied(_("Only the author of this draft and the facilitators may withdraw it."))
    _report_open(recommendation.jury)
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if locked.status != RecommendationStatus.DRAFT:
            raise ValidationError(_("Only a recommendation being drafted can be withdrawn."))
        locked.status = RecommendationStatus.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        audit_record(action="juries.recommendation_withdraw", actor=actor, target=locked)
    return locked


# ---------------------------------------------------------------- the secret vote


def recommendation_vote_open(
    *,
    jury: Jury,
    actor: Any,
    title: str,
    recommendations: Iterable[Recommendation],
    closes_at: datetime.datetime,
    threshold_percent: int,
    now: datetime.datetime | None = None,
) -> RecommendationVote:
    """Staff put drafts to a secret vote: they leave drafting (status VOTING) until the vote closes."""
    if not actor.has_perm("juries.manage_jury"):
        raise PermissionDenied
    _report_open(jury)
    now = now or timezone.now()
    if closes_at <= now:
        raise ValidationError({"closes_at": _("The closing time must be in the future.")})
    if not 1 <= threshold_percent <= 100:
        raise ValidationError({"threshold_percent": _("The threshold is a percentage between 1 and 100.")})
    ids = [r.pk for r in recommendations]
    with transaction.atomic():
        chosen = list(Recommendation.objects.select_for_update().filter(jury=jury, pk__in=ids).order_by("number"))
        if not chosen or len(chosen) != len(set(ids)):
            raise ValidationError({"recommendations": _("Choose at least one recommendation of this jury.")})
        late = [f"R{r.number}" for r in chosen if r.status != RecommendationStatus.DRAFT]
        if late:
            raise ValidationError(
                {"recommendations": _("These are no longer being drafted: %(list)s.") % {"list": ", ".join(late)}}
            )
        vote = RecommendationVote(
            jury=jury, title=title, closes_at=closes_at, threshold_percent=threshold_percent, status=VoteStatus.OPEN
        )
        vote.full_clean()
        vote.save()
        vote.recommendations.set(chosen)
        Recommendation.objects.filter(pk__in=[r.pk for r in chosen]).update(
            status=RecommendationStatus.VOTING, updated_at=now
        )
        audit_record(
            action="juries.vote_open",
            actor=actor,
            target=vote,
            data={"recommendations": [r.number for r in chosen], "threshold": threshold_percent},
        )
    return vote


def vote_is_open(vote: RecommendationVote, now: datetime.datetime | None = None) -> bool:
    return vote.status == VoteStatus.OPEN and vote.closes_at > (now or timezone.now())


def _ballot_choices(vote: RecommendationVote, levels: dict[int, int]) -> dict[str, int]:
    numbers = set(vote.recommendations.values_list("number", flat=True))
    if set(levels) != numbers or any(level not in LEVELS for level in levels.values()):
        raise ValidationError(_("Give one level of support for each recommendation (or abstain)."))
    return {str(number): int(level) for number, level in sorted(levels.items())}


def _may_vote(vote: RecommendationVote, person: Any, now: datetime.datetime | None) -> None:
    if not takes_part(person, vote.jury):
        raise PermissionDenied(_("Only the seated members of the jury vote."))
    if not vote_is_open(vote, now):
        raise ValidationError(_("This vote is closed."))


def recommendation_ballot_cast(
    *, vote: RecommendationVote, person: Any, levels: dict[int, int], now: datetime.datetime | None = None
) -> str:
    """Cast a member's secret ballot ({number: level}) and return the receipt code.

    A second vote raises ballots.AlreadyVoted (the ledger's unique constraint, also under concurrency).
    """
    _may_vote(vote, person, now)
    choices = _ballot_choices(vote, levels)
    return ballots.ballot_cast(election=vote, person=person, choices=choices, today=timezone.localdate(now))


def recommendation_ballot_change(
    *,
    vote: RecommendationVote,
    person: Any,
    receipt: str,
    levels: dict[int, int],
    now: datetime.datetime | None = None,
) -> None:
    """Replace the member's ballot with the receipt code, until the vote closes."""
    _may_vote(vote, person, now)
    choices = _ballot_choices(vote, levels)
    ballots.ballot_change(election=vote, person=person, receipt=receipt, choices=choices)


def vote_tally(vote: RecommendationVote) -> dict[str, dict[str, int]]:
    """Count the anonymous ballots: {"<number>": {"<level>": count}} with every level present.

    A ballot that says nothing about a recommendation counts as an abstention on it.
    """
    numbers = [str(n) for n in vote.recommendations.order_by("number").values_list("number", flat=True)]
    tally = {number: {str(level): 0 for level in LEVELS} for number in numbers}
    for choices in ballots.ballots_for(vote).values_list("choices", flat=True):
        for number in numbers:
            level = choices.get(number, SupportLevel.ABSTAIN) if isinstance(choices, dict) else SupportLevel.ABSTAIN
            key = str(level) if str(level) in tally[number] else str(int(SupportLevel.ABSTAIN))
            tally[number][key] += 1
    return tally


def is_adopted(counts: dict[str, int], threshold_percent: int) -> bool:
    """The rule of the model: supporting votes (support, strong support) over votes that do not abstain
    reach the threshold. Integer arithmetic: exactly at the threshold is adopted. No votes: not adopted."""
    expressed = sum(counts.get(str(level), 0) for level in LEVELS if level != SupportLevel.ABSTAIN)
    supporting = sum(counts.get(str(int(level)), 0) for level in SUPPORTING_LEVELS)
    return expressed > 0 and 100 * supporting >= threshold_percent * expressed


def recommendation_vote_close(
    *, vote: RecommendationVote, actor: Any = None, now: datetime.datetime | None = None
) -> RecommendationVote:
    """Close the vote (staff, or its closing time passed), count it and decide each recommendation.

    Safe to call twice or concurrently: the vote row is locked and a closed vote is returned as is.
    """
    if actor is not None and not actor.has_perm("juries.manage_jury"):
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        locked = RecommendationVote.objects.select_for_update().get(pk=vote.pk)
        if locked.status == VoteStatus.CLOSED:
            return locked
        locked.tally = vote_tally(locked)
        locked.status = VoteStatus.CLOSED
        locked.closed_at = now
        locked.save(update_fields=["tally", "status", "closed_at"])
        adopted = []
        for recommendation in locked.recommendations.select_for_update().order_by("number"):
            counts = locked.tally.get(str(recommendation.number), {})
            ok = is_adopted(counts, locked.threshold_percent)
            recommendation.status = RecommendationStatus.ADOPTED if ok else RecommendationStatus.NOT_ADOPTED
            recommendation.save(update_fields=["status", "updated_at"])
            if ok:
                adopted.append(recommendation.number)
        audit_record(
            action="juries.vote_close",
            actor=actor,
            target=locked,
            data={"adopted": adopted, "by": "staff" if actor is not None else "closing time"},
        )
        transaction.on_commit(partial(_notify_vote_closed, locked, actor))
    return locked


def recommendation_votes_close_due(*, jury: Jury | None = None, now: datetime.datetime | None = None) -> int:
    """Close every vote whose closing time has passed (the beat task; pages for one jury)."""
    now = now or timezone.now()
    due = RecommendationVote.objects.filter(status=VoteStatus.OPEN, closes_at__lte=now)
    if jury is not None:
        due = due.filter(jury=jury)
    closed = 0
    for vote in due:
        recommendation_vote_close(vote=vote, now=now)
        closed += 1
    return closed


# ---------------------------------------------------------------- minority views


def minority_view_create(
    *, jury: Jury, actor: Any, title: str, text: str, recommendation: Recommendation | None = None
) -> MinorityView:
    """A member writes a minority view; they are its first signatory."""
    if not takes_part(actor, jury):
        raise PermissionDenied(_("Only the seated members of the jury write minority views."))
    _report_open(jury)
    if recommendation is not None and recommendation.jury_id != jury.pk:
        raise ValidationError({"recommendation": _("Choose a recommendation of this jury.")})
    with transaction.atomic():
        view = MinorityView(jury=jury, title=title, text=text, recommendation=recommendation, created_by=actor)
        view.full_clean()
        view.save()
        view.signatories.add(actor)
        audit_record(action="juries.minority_view_create", actor=actor, target=view)
    return view


def minority_view_toggle_signature(*, view: MinorityView, actor: Any) -> bool:
    """Sign the view, or withdraw one's signature; returns whether the member now signs it."""
    if not takes_part(actor, view.jury):
        raise PermissionDenied(_("Only the seated members of the jury sign minority views."))
    _report_open(view.jury)
    with transaction.atomic():
        MinorityView.objects.select_for_update().filter(pk=view.pk).first()
        signed = view.signatories.filter(pk=actor.pk).exists()
        if signed:
            view.signatories.remove(actor)
        else:
            view.signatories.add(actor)
        audit_record(
            action="juries.minority_view_sign" if not signed else "juries.minority_view_unsign",
            actor=actor,
            target=view,
        )
    return not signed


# ---------------------------------------------------------------- the report


def report_save(*, jury: Jury, actor: Any, introduction: str, method: str) -> JuryReport:
    if not actor.has_perm("juries.manage_jury"):
        raise PermissionDenied
    with transaction.atomic():
        report = JuryReport.objects.select_for_update().filter(jury=jury).first() or JuryReport(jury=jury)
        if report.published_at is not None:
            raise ValidationError(_("The report has been published and can no longer be changed."))
        report.introduction, report.method = introduction, method
        report.full_clean(exclude=["published_by"])
        report.save()
        audit_record(action="juries.report_save", actor=actor, target=report)
    return report


def report_publish(*, jury: Jury, actor: Any, now: datetime.datetime | None = None) -> JuryReport:
    """Publish the report once: the jury's status becomes REPORTED and `report_published` goes out on commit."""
    if not actor.has_perm("juries.manage_jury"):
        raise PermissionDenied
    now = now or timezone.now()
    recommendation_votes_close_due(jury=jury, now=now)
    with transaction.atomic():
        report = JuryReport.objects.select_for_update().filter(jury=jury).first()
        if report is None or not report.introduction.strip():
            raise ValidationError(_("Write the report's introduction before publishing it."))
        if report.published_at is not None:
            raise ValidationError(_("The report is already published."))
        if jury.votes.filter(status=VoteStatus.OPEN).exists():
            raise ValidationError(_("A vote is still open: close it before publishing the report."))
        report.published_at = now
        report.published_by = actor
        report.save(update_fields=["published_at", "published_by"])
        Jury.objects.filter(pk=jury.pk).update(status=JuryStatus.REPORTED, updated_at=now)
        jury.status = JuryStatus.REPORTED
        audit_record(action="juries.report_publish", actor=actor, target=report)
        transaction.on_commit(lambda: report_published.send(sender=JuryReport, jury=jury, report=report))
    return report
