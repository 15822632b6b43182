"""Reads for the drafting area, the vote pages and the report: each a fixed number of queries,
whatever the number of recommendations, revisions, ballots or signatories."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from civicplatform.ballots.models import ParticipationLedger
from civicplatform.ballots.services import election_key
from civicplatform.core.charts import BarChart, bar_chart

from .models import (
    SUPPORTING_LEVELS,
    Jury,
    JuryReport,
    MinorityView,
    Recommendation,
    RecommendationRevision,
    RecommendationStatus,
    RecommendationVote,
    Seat,
    SupportLevel,
    VoteStatus,
)

LEVEL_ORDER = list(SupportLevel)


def pseudonyms(jury: Jury) -> dict[int, str]:
    """Each seated (or formerly seated) member's pseudonym by account: what members see of each other."""
    return dict(Seat.objects.filter(jury=jury).values_list("user_id", "registrant__pseudonym"))


def author_name(user_id: int | None, names: dict[int, str]) -> str:
    if user_id is None:
        return _("a former participant")
    return names.get(user_id) or _("a facilitator")


def drafting_list(jury: Jury) -> QuerySet[Recommendation]:
    return jury.recommendations.annotate(revision_count=Count("revisions")).order_by("number")


def recommendation_for_edit(jury: Jury, number: int) -> Recommendation | None:
    return jury.recommendations.filter(number=number).first()


@dataclass
class HistoryRow:
    revision: RecommendationRevision
    editor: str


def history(recommendation: Recommendation, names: dict[int, str]) -> list[HistoryRow]:
    return [HistoryRow(r, author_name(r.edited_by_id, names)) for r in recommendation.revisions.all()]


def _word_diff(old: str, new: str) -> SafeString:
    """The change between two texts, word by word, as escaped HTML with <del> and <ins>."""
    before, after = old.split(), new.split()
    parts: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(before[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(' '.join(before[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(' '.join(after[j1:j2]))}</ins>")
    return mark_safe(" ".join(parts))  # noqa: S308 - every piece of text is escaped above


@dataclass
class LastChange:
    editor: str
    edited_at: Any
    fields: list[tuple[str, SafeString]] = field(default_factory=list)


def last_change(rows: list[HistoryRow]) -> LastChange | None:
    """What the latest save changed compared with the one before (None for a draft saved once)."""
    if len(rows) < 2:
        return None
    new, old = rows[0].revision, rows[1].revision
    change = LastChange(editor=rows[0].editor, edited_at=new.edited_at)
    for label, name in ((_("Title"), "title"), (_("Recommendation"), "text"), (_("Why"), "rationale")):
        if getattr(old, name) != getattr(new, name):
            change.fields.append((label, _word_diff(getattr(old, name), getattr(new, name))))
    return change


# ---------------------------------------------------------------- votes and results


def jury_votes(jury: Jury) -> list[RecommendationVote]:
    return list(
        jury.votes.prefetch_related(Prefetch("recommendations", queryset=Recommendation.objects.order_by("number")))
    )


def vote_for_jury(jury: Jury, vote_id: int) -> RecommendationVote | None:
    return (
        jury.votes.filter(pk=vote_id)
        .prefetch_related(Prefetch("recommendations", queryset=Recommendation.objects.order_by("number")))
        .first()
    )


def turnout(vote: RecommendationVote) -> int:
    """How many members voted (from the ledger: it says who took part, never how)."""
    type_id, object_id = election_key(vote)
    return ParticipationLedger.objects.filter(election_type_id=type_id, election_id=object_id).count()


def seated_count(jury: Jury) -> int:
    return jury.seats.current().count()


def votes_with_my_participation(jury: Jury, user: Any) -> list[RecommendationVote]:
    """The jury's votes, each with `voted` (whether `user` took part) and `ballots` (turnout)."""
    from django.contrib.contenttypes.models import ContentType

    type_id = ContentType.objects.get_for_model(RecommendationVote).pk
    ledger = ParticipationLedger.objects.filter(election_type_id=type_id, election_id=OuterRef("pk"))
    queryset = jury.votes.annotate(
        voted=Exists(ledger.filter(voter_id=getattr(user, "pk", None))),
    ).prefetch_related(Prefetch("recommendations", queryset=Recommendation.objects.order_by("number")))
    votes = list(queryset)
    counts = dict(
        ParticipationLedger.objects.filter(election_type_id=type_id, election_id__in=[v.pk for v in votes])
        .values_list("election_id")
        .annotate(n=Count("pk"))
    )
    for vote in votes:
        vote.ballots = counts.get(vote.pk, 0)
    return votes


@dataclass
class Support:
    """One recommendation's result in a closed vote: the members' page, the report, the public
    recommendation page, the response overview and open data all read it from here."""

    number: int
    counts: dict[int, int]
    threshold: int

    @property
    def expressed(self) -> int:
        """Votes that do not abstain: the base of the adoption rule."""
        return sum(n for level, n in self.counts.items() if level != SupportLevel.ABSTAIN)

    @property
    def abstentions(self) -> int:
        return self.counts.get(int(SupportLevel.ABSTAIN), 0)

    @property
    def ballots(self) -> int:
        return self.expressed + self.abstentions

    @property
    def supporting(self) -> int:
        return sum(self.counts.get(int(level), 0) for level in SUPPORTING_LEVELS)

    @property
    def share(self) -> float:
        return round(100 * self.supporting / self.expressed, 1) if self.expressed else 0.0

    @property
    def chart_id(self) -> str:
        return f"support-r{self.number}"

    @cached_property
    def chart(self) -> BarChart:
        return bar_chart([(level.label, [self.counts.get(int(level), 0)]) for level in LEVEL_ORDER])


def _support(number: int, raw: dict, threshold: int) -> Support:
    return Support(
        number=number,
        counts={int(level): int(raw.get(str(int(level)), 0)) for level in LEVEL_ORDER},
        threshold=threshold,
    )


def support_for(vote: RecommendationVote, number: int) -> Support | None:
    """The distribution of levels for recommendation `number`, once the vote is closed (else None)."""
    if vote.status != VoteStatus.CLOSED or str(number) not in (vote.tally or {}):
        return None
    return _support(number, vote.tally[str(number)], vote.threshold_percent)


def supports_by_number(juries) -> dict[tuple[int, int], Support]:
    """{(jury id, recommendation number): Support} from the closed votes of these juries, in one query
    (a later vote on the same recommendation replaces an earlier one)."""
    found: dict[tuple[int, int], Support] = {}
    votes = RecommendationVote.objects.filter(jury__in=juries, status=VoteStatus.CLOSED).order_by(
        "closed_at", "opened_at", "id"
    )
    for vote in votes.only("jury_id", "tally", "threshold_percent"):
        for number, raw in (vote.tally or {}).items():
            found[(vote.jury_id, int(number))] = _support(int(number), raw or {}, vote.threshold_percent)
    return found


def vote_results(vote: RecommendationVote) -> list[tuple[Recommendation, Support | None]]:
    return [(r, support_for(vote, r.number)) for r in vote.recommendations.all()]


# ---------------------------------------------------------------- minority views and the report


def minority_views(jury: Jury, user: Any = None) -> QuerySet[MinorityView]:
    """With `signed` (count) and, for `user`, `mine` (whether they sign it): never the names."""
    queryset = jury.minority_views.select_related("recommendation").annotate(signed=Count("signatories"))
    if user is not None and getattr(user, "pk", None):
        through = MinorityView.signatories.through
        queryset = queryset.annotate(
            mine=Exists(through.objects.filter(minorityview_id=OuterRef("pk"), user_id=user.pk))
        )
    return queryset


def report_minority_views(jury: Jury) -> QuerySet[MinorityView]:
    """The minority views the report publishes: general ones, or about a recommendation the report shows
    (adopted or not adopted), never about a draft that was withdrawn or never voted on."""
    return minority_views(jury).filter(
        Q(recommendation__isnull=True)
        | Q(recommendation__status__in=[RecommendationStatus.ADOPTED, RecommendationStatus.NOT_ADOPTED])
    )


def report_get(jury: Jury) -> JuryReport | None:
    return JuryReport.objects.filter(jury=jury).first()


def decided_recommendations(jury: Jury) -> list[tuple[Recommendation, Support | None]]:
    """Adopted then not adopted recommendations, each with its support in the vote that decided it."""
    closed = RecommendationVote.objects.filter(status=VoteStatus.CLOSED).order_by("-closed_at", "-id")
    decided = list(
        jury.recommendations.filter(status__in=[RecommendationStatus.ADOPTED, RecommendationStatus.NOT_ADOPTED])
        .prefetch_related(Prefetch("votes", queryset=closed, to_attr="closed_votes"))
        .order_by("number")
    )
    rows = []
    for recommendation in decided:
        vote = recommendation.closed_votes[0] if recommendation.closed_votes else None
        rows.append((recommendation, support_for(vote, recommendation.number) if vote else None))
    rows.sort(key=lambda row: (row[0].status != RecommendationStatus.ADOPTED, row[0].number))
    return rows
