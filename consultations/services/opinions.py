"""Opinion maps: writing statements, voting on them, and computing the opinion groups."""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplatform.core.services import audit_record
from civicplatform.moderation.models import ModerationState

from ..grouping import group_participants, vote_matrix
from ..models import Conversation, OpinionGrouping, Statement, StatementVote, VoteValue
from ..opinion_selectors import conversation_decision

# Votes arriving within this many seconds share one grouping run.
GROUPING_DEBOUNCE = getattr(settings, "CONSULTATIONS_GROUPING_DEBOUNCE_SECONDS", 30)


class ParticipationRefused(PermissionDenied):
    def __init__(self, decision: Any) -> None:
        self.decision = decision
        super().__init__(decision.reason)


def statement_submit(
    *, conversation: Conversation, author: Any, text: str, now: datetime.datetime | None = None
) -> Statement:
    """Add a statement for others to vote on; moderators can hide it (it then leaves the map)."""
    decision = conversation_decision(conversation, author, now)
    if not decision.allowed:
        raise ParticipationRefused(decision)
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": _("Write your statement.")})
    if len(text) > conversation.max_statement_length:
        raise ValidationError(
            {"text": _("At most %(count)d characters.") % {"count": conversation.max_statement_length}}
        )
    with transaction.atomic():
        if Statement.objects.filter(conversation=conversation, text__iexact=text).exists():
            raise ValidationError({"text": _("This statement has already been submitted: vote on it instead.")})
        statement = Statement.objects.create(conversation=conversation, author=author, text=text)
        audit_record(action="consultations.statement_submit", actor=author, target=statement)
    return statement


def statement_vote(
    *, statement: Statement, participant: Any, value: int, now: datetime.datetime | None = None
) -> StatementVote:
    """Agree (1), disagree (−1) or pass (0) on a statement; a second vote replaces the first.

    One row per person and statement (unique constraint); the grouping task is scheduled
    after commit, at most once per debounce window.
    """
    conversation = statement.conversation
    decision = conversation_decision(conversation, participant, now)
    if not decision.allowed:
        raise ParticipationRefused(decision)
    if value not in VoteValue.values:
        raise ValidationError(_("Choose agree, disagree or pass."))
    if statement.is_hidden:
        raise ValidationError(_("This statement has been hidden by a moderator."))
    try:
        with transaction.atomic():
            vote, _created = StatementVote.objects.update_or_create(
                statement=statement, participant=participant, defaults={"value": value, "conversation": conversation}
            )
    except IntegrityError:
        # The same person voted twice at the same instant: keep the last value.
        vote = StatementVote.objects.get(statement=statement, participant=participant)
        vote.value = value
        vote.save(update_fields=["value"])
    transaction.on_commit(lambda: grouping_schedule(conversation.pk))
    return vote


def grouping_schedule(conversation_id: int) -> None:
    from ..tasks import conversation_group

    if cache.add(f"consultations:grouping:{conversation_id}", 1, GROUPING_DEBOUNCE):
        conversation_group.apply_async(args=[conversation_id], countdown=GROUPING_DEBOUNCE)


def grouping_compute(*, conversation: Conversation) -> OpinionGrouping | None:
    """Group the participants of `conversation` and store the result (replacing the last one).

    Hidden statements are left out of the matrix (Pol.is "moderated out"). Returns None,
    and removes any stale result, when too few people have voted enough.
    """
    # One plain scan of the conversation's votes (no join: a join to statements lets the
    # planner pick a nested loop on fresh tables), hidden statements dropped in numpy.
    hidden = list(
        Statement.objects.filter(conversation=conversation)
        .exclude(moderation_state=ModerationState.VISIBLE)
        .values_list("pk", flat=True)
    )
    table = StatementVote._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT participant_id, statement_id, value FROM {table} "  # noqa: S608 - our table name
            "WHERE conversation_id = %s AND participant_id IS NOT NULL",
            [conversation.pk],
        )
        data = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 3)
    if hidden and len(data):
        data = data[~np.isin(data[:, 1], hidden)]
    if not len(data):
        OpinionGrouping.objects.filter(conversation=conversation).delete()
        return None
    matrix, people, statements = vote_matrix(data[:, 2].astype(float), data[:, 0], data[:, 1])
    result = group_participants(matrix, people, statements)
    if result is None:
        OpinionGrouping.objects.filter(conversation=conversation).delete()
        return None
    payload = {
        "points": [
            [round(float(x), 4), round(float(y), 4), int(label)]
            for (x, y), label in zip(result.points, result.labels, strict=True)
        ],
        "participants": result.participants,
        "groups": [
            {
                "index": group.index,
                "size": group.size,
                "centre": list(group.centre),
                "representative": [vars(item) for item in group.representative],
            }
            for group in result.groups
        ],
        "consensus": [
            {"statement": statement, "score": score, "shares": shares} for statement, score, shares in result.consensus
        ],
    }
    grouping, _created = OpinionGrouping.objects.update_or_create(
        conversation=conversation,
        defaults={
            "computed_at": timezone.now(),
            "participants": len(result.participants),
            "votes": result.votes,
            "k": result.k,
            "silhouette": result.silhouette,
            "data": payload,
        },
    )
    return grouping
