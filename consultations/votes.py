"""Local consultations and referendums: who may vote, casting a secret ballot, and the result.

The secret-ballot mechanics (ledger of who voted, anonymous ballot, receipt, audit) are
civicplatform.ballots'; this module adds the rules of the poll: the register is the
electoral list (verification level 3, possibly restricted to districts for a consultation
of part of the territory), the polling period, and the validity rule of LO1112-7: a local
referendum is adopted only if at least half of the registered electors took part and a
majority of the votes cast approve. A consultation (L1112-15) is advisory: no quorum.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplatform.ballots import services as ballots
from civicplatform.ballots.models import Channel
from civicplatform.ballots.selectors import ParticipationStatistics, participation_statistics
from civicplatform.core.charts import BarChart, bar_chart
from civicplatform.core.eligibility import ALLOWED, Decision

from .models import LocalVote, VoteChoice


class VoteRefused(PermissionDenied):
    """The person may not vote here now; carries the Decision that says why."""

    def __init__(self, decision: Decision) -> None:
        self.decision = decision
        super().__init__(decision.reason)


def vote_get(slug: str) -> LocalVote:
    vote = LocalVote.objects.prefetch_related("phases", "restricted_districts").filter(slug=slug).first()
    if vote is None:
        raise Http404
    return vote


def get_vote_for_user(request: Any, slug: str, perm: str = "consultations.view_vote") -> LocalVote:
    """The vote named in the URL: 404 when unknown or unpublished (for the public), 403 when `perm` is refused."""
    vote = vote_get(slug)
    if not request.user.has_perm("consultations.view_vote", vote):
        raise Http404
    if perm != "consultations.view_vote" and not request.user.has_perm(perm, vote):
        raise PermissionDenied
    return vote


def vote_decision(vote: LocalVote, person: Any, now: datetime.datetime | None = None) -> Decision:
    """May `person` vote now? Not published or not open, not on the register, or already voted."""
    now = now or timezone.now()
    if not vote.published:
        return Decision(allowed=False, reason=_("This vote is not published."))
    if not vote.is_open(now):
        if vote.is_closed(now):
            return Decision(allowed=False, reason=_("The poll is closed."))
        return Decision(allowed=False, reason=_("The poll is not open yet."))
    decision = vote.eligibility_policy().check(person, today=timezone.localdate(now))
    if not decision.allowed:
        return decision
    if ballots.has_voted(elections=[vote], person=person):
        return Decision(allowed=False, reason=_("You have already voted in this poll."))
    return ALLOWED


def local_vote_cast(
    *,
    vote: LocalVote,
    person: Any,
    choice: str,
    channel: str = Channel.ONLINE,
    actor: Any = None,
    on_behalf_of: Any = None,
    now: datetime.datetime | None = None,
) -> str:
    """Cast `person`'s secret ballot and return the receipt code.

    A paper ballot handed in at the desk is recorded with channel "paper" under the
    person's name in the ledger, so that they cannot vote online as well (and the other
    way round); the ballots service refuses a second vote under a unique constraint.
    """
    now = now or timezone.now()
    if choice not in VoteChoice.values:
        raise VoteRefused(Decision(allowed=False, reason=_("Choose Yes, No or Blank vote.")))
    decision = vote_decision(vote, person, now)
    if not decision.allowed:
        raise VoteRefused(decision)
    return ballots.ballot_cast(
        election=vote,
        person=person,
        choices={"choice": choice},
        channel=channel,
        actor=actor,
        on_behalf_of=on_behalf_of,
        today=timezone.localdate(now),
    )


@dataclass(frozen=True)
class VoteResults:
    vote: LocalVote
    registered: int
    yes: int
    no: int
    blank: int
    chart: BarChart
    statistics: ParticipationStatistics

    @property
    def ballots(self) -> int:
        return self.yes + self.no + self.blank

    @property
    def cast(self) -> int:
        """Votes cast ("suffrages exprimés"): blank votes are not counted in the majority."""
        return self.yes + self.no

    @property
    def turnout(self) -> float:
        return round(100 * self.ballots / self.registered, 1) if self.registered else 0.0

    @property
    def yes_share(self) -> float:
        return round(100 * self.yes / self.cast, 1) if self.cast else 0.0

    @property
    def quorum_met(self) -> bool:
        # LO1112-7: at least half of the registered electors took part.
        return self.registered > 0 and 2 * self.ballots >= self.registered

    @property
    def approved(self) -> bool:
        return self.yes > self.no

    @property
    def adopted(self) -> bool:
        """A referendum binds the council only with the quorum and a majority of votes cast."""
        return self.vote.is_referendum and self.quorum_met and self.approved


def local_vote_results(vote: LocalVote, *, year: int | None = None) -> VoteResults:
    counts = dict(ballots.ballots_for(vote).order_by().values_list("choices__choice").annotate(n=Count("pk")))
    yes, no, blank = (counts.get(value, 0) for value in (VoteChoice.YES, VoteChoice.NO, VoteChoice.BLANK))
    chart = bar_chart([(VoteChoice.YES.label, [yes]), (VoteChoice.NO.label, [no]), (VoteChoice.BLANK.label, [blank])])
    phase = vote.vote_phase()
    return VoteResults(
        vote=vote,
        registered=vote.registered_electors,
        yes=yes,
        no=no,
        blank=blank,
        chart=chart,
        statistics=participation_statistics(
            [vote], year=year or (phase.ends_at.year if phase else timezone.now().year)
        ),
    )
