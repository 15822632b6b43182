"""Reading opinion maps: access, who may take part, the next statement to vote on, and the
groups ready to draw."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplatform.core.eligibility import ALLOWED, Decision
from civicplatform.moderation.models import ModerationState

from .models import Conversation, OpinionGrouping, Statement, StatementVote

GROUP_NAMES = "ABCDE"
MAP_SIZE = 300
MAP_PADDING = 12


def conversation_get(slug: str) -> Conversation:
    conversation = Conversation.objects.prefetch_related("phases", "restricted_districts").filter(slug=slug).first()
    if conversation is None:
        raise Http404
    return conversation


def get_conversation_for_user(request: Any, slug: str, perm: str = "consultations.view_conversation") -> Conversation:
    """The opinion map named in the URL: 404 when unknown or unpublished (for the public)."""
    conversation = conversation_get(slug)
    if not request.user.has_perm("consultations.view_conversation", conversation):
        raise Http404
    if perm != "consultations.view_conversation" and not request.user.has_perm(perm, conversation):
        raise PermissionDenied
    return conversation


def conversation_decision(conversation: Conversation, person: Any, now: datetime.datetime | None = None) -> Decision:
    from civicplatform.moderation.selectors import user_is_blocked_cached

    now = now or timezone.now()
    if not conversation.published:
        return Decision(allowed=False, reason=_("This opinion map is not published."))
    if not any(phase.is_active_at(now) for phase in conversation.get_phases()):
        return Decision(allowed=False, reason=_("This opinion map is not open for statements and votes."))
    decision = conversation.eligibility_policy().check(person, today=timezone.localdate(now))
    if not decision.allowed:
        return decision
    if user_is_blocked_cached(person):
        return Decision(allowed=False, reason=_("Your account may no longer take part."))
    return ALLOWED


def visible_statements(conversation: Conversation):
    return Statement.objects.filter(conversation=conversation, moderation_state=ModerationState.VISIBLE)


def next_statement(conversation: Conversation, person: Any) -> Statement | None:
    """The statement to show next: one the person has not voted on nor written, the least
    voted first (so that new statements get seen), seeds first among equals."""
    return (
        visible_statements(conversation)
        .exclude(votes__participant=person)
        .exclude(author=person)
        .annotate(seen=Count("votes"))
        .order_by("seen", "-is_seed", "pk")
        .first()
    )


@dataclass
class Progress:
    voted: int
    total: int


def progress_of(conversation: Conversation, person: Any) -> Progress:
    counts = visible_statements(conversation).aggregate(
        total=Count("pk", filter=~Q(author=person)),
    )
    voted = StatementVote.objects.filter(
        conversation=conversation, participant=person, statement__moderation_state=ModerationState.VISIBLE
    ).count()
    return Progress(voted=voted, total=counts["total"])


@dataclass
class MapPoint:
    x: float
    y: float
    group: int
    is_you: bool


@dataclass
class GroupView:
    name: str
    index: int
    size: int
    x: float
    y: float
    representative: list[dict]


@dataclass
class GroupsView:
    grouping: OpinionGrouping
    points: list[MapPoint]
    groups: list[GroupView]
    consensus: list[dict]
    your_group: str
    size: int = MAP_SIZE


def groups_view(conversation: Conversation, person: Any = None) -> GroupsView | None:
    """The last grouping, with statement texts and map coordinates (two queries)."""
    grouping = OpinionGrouping.objects.filter(conversation=conversation).first()
    if grouping is None:
        return None
    data = grouping.data
    ids = {item["statement"] for g in data["groups"] for item in g["representative"]}
    ids |= {item["statement"] for item in data["consensus"]}
    texts = dict(
        Statement.objects.filter(pk__in=ids, moderation_state=ModerationState.VISIBLE).values_list("pk", "text")
    )
    span = MAP_SIZE - 2 * MAP_PADDING

    def place(value: float) -> float:
        return round(MAP_PADDING + value * span, 1)

    me = getattr(person, "pk", None)
    points = [
        MapPoint(x=place(x), y=place(1 - y), group=g, is_you=participant == me)
        for (x, y, g), participant in zip(data["points"], data["participants"], strict=True)
    ]
    your_group = next((GROUP_NAMES[p.group] for p in points if p.is_you), "")
    groups = [
        GroupView(
            name=GROUP_NAMES[g["index"]],
            index=g["index"],
            size=g["size"],
            x=place(g["centre"][0]),
            y=place(1 - g["centre"][1]),
            representative=[
                {**item, "text": texts[item["statement"]], "percent": round(100 * item["share"])}
                for item in g["representative"]
                if item["statement"] in texts
            ],
        )
        for g in data["groups"]
    ]
    consensus = [
        {
            **item,
            "text": texts[item["statement"]],
            "percents": [(GROUP_NAMES[i], round(100 * share)) for i, share in enumerate(item["shares"])],
        }
        for item in data["consensus"]
        if item["statement"] in texts
    ]
    return GroupsView(grouping=grouping, points=points, groups=groups, consensus=consensus, your_group=your_group)
