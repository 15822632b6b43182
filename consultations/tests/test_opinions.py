"""Opinion maps: statements, votes, the grouping (PCA + k-means + silhouette), the consensus,
the page on a phone and the exports."""

from __future__ import annotations

import csv
import datetime
import io

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from civicplatform.accounts.tests.factories import StaffFactory, UserFactory
from civicplatform.moderation import services as moderation
from consultations.grouping import group_participants, silhouette, vote_matrix
from consultations.models import Conversation, ConversationPhase, OpinionGrouping, Statement, StatementVote
from consultations.services.opinions import (
    ParticipationRefused,
    grouping_compute,
    statement_submit,
    statement_vote,
)
from consultations.tasks import conversation_group

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- the mathematics (no database)


def _two_camps(people=40, statements=12, seed=3, noise=0.1):
    rng = np.random.default_rng(seed)
    camp = np.arange(people) % 2
    opinions = np.array([[1] * (statements // 2) + [-1] * (statements - statements // 2)])
    opinions = np.vstack([opinions, -opinions])
    opinions[:, -1] = 1  # the last statement: everyone agrees
    matrix = opinions[camp].astype(float)
    flip = rng.random(matrix.shape) < noise
    matrix[flip & (np.arange(statements) < statements - 1)] *= -1
    return matrix, camp


@pytest.mark.django_db(False)
def test_two_camps_are_found_with_their_distinctive_and_consensus_statements():
    matrix, camp = _two_camps()
    result = group_participants(matrix, np.arange(100, 140), np.arange(1, 13))
    assert result.k == 2 and result.silhouette > 0.5
    assert sorted(g.size for g in result.groups) == [20, 20]
    # Each found group is one camp.
    found = result.labels
    assert len({(c, g) for c, g in zip(camp, found, strict=True)}) == 2
    consensus_ids = [statement for statement, _score, _shares in result.consensus]
    assert consensus_ids[0] == 12
    for group in result.groups:
        assert group.representative and all(item.share > 0.5 for item in group.representative)


@pytest.mark.django_db(False)
def test_people_with_fewer_than_seven_votes_are_not_grouped():
    matrix, _camp = _two_camps()
    matrix[:5, :6] = np.nan  # five people voted on 6 statements only
    result = group_participants(matrix, np.arange(40), np.arange(12))
    assert len(result.participants) == 35


@pytest.mark.django_db(False)
def test_too_few_participants_give_no_groups():
    matrix, _camp = _two_camps(people=3)
    assert group_participants(matrix, np.arange(3), np.arange(12)) is None


@pytest.mark.django_db(False)
def test_the_grouping_is_deterministic():
    matrix, _camp = _two_camps(people=60)
    first = group_participants(matrix, np.arange(60), np.arange(12))
    second = group_participants(matrix, np.arange(60), np.arange(12))
    assert np.array_equal(first.labels, second.labels) and np.allclose(first.points, second.points)


@pytest.mark.django_db(False)
def test_silhouette_of_two_tight_far_clusters_is_near_one():
    points = np.array([[0, 0], [0, 0.1], [10, 10], [10, 10.1]])
    squares = (points**2).sum(axis=1)
    distances = np.sqrt(np.maximum(squares[:, None] + squares[None] - 2 * points @ points.T, 0))
    assert silhouette(distances, np.array([0, 0, 1, 1])) > 0.98
    assert silhouette(distances, np.array([0, 1, 0, 1])) < 0


@pytest.mark.django_db(False)
def test_vote_matrix_marks_unseen_statements_as_missing():
    matrix, people, statements = vote_matrix(np.array([1.0, -1.0, 0.0]), np.array([7, 7, 9]), np.array([3, 4, 3]))
    assert list(people) == [7, 9] and list(statements) == [3, 4]
    assert matrix[0].tolist() == [1.0, -1.0] and matrix[1, 0] == 0.0 and np.isnan(matrix[1, 1])


# ---------------------------------------------------------------- services and pages


@pytest.fixture
def conversation(db):
    conversation = Conversation.objects.create(
        slug="centre-ville",
        title="Le centre-ville",
        topic="Que faire du centre-ville ?",
        published=True,
        min_verification_level=1,
    )
    now = timezone.now()
    ConversationPhase.objects.create(
        conversation=conversation, starts_at=now - datetime.timedelta(days=1), ends_at=now + datetime.timedelta(days=9)
    )
    author = UserFactory()
    for index in range(12):
        Statement.objects.create(conversation=conversation, author=author, text=f"Proposition {index}", is_seed=True)
    return conversation


def _vote_in_camps(conversation, people=20):
    matrix, _camp = _two_camps(people=people, noise=0.0)
    statements = list(conversation.statements.order_by("pk"))
    voters = [UserFactory() for _n in range(people)]
    StatementVote.objects.bulk_create(
        StatementVote(statement=s, conversation=conversation, participant=p, value=int(matrix[i, j]))
        for i, p in enumerate(voters)
        for j, s in enumerate(statements)
    )
    return voters


def test_a_vote_is_recorded_once_and_can_be_changed(conversation, citizen):
    statement = conversation.statements.first()
    statement_vote(statement=statement, participant=citizen, value=1)
    statement_vote(statement=statement, participant=citizen, value=-1)
    assert StatementVote.objects.get().value == -1


def test_votes_need_an_open_map_and_a_valid_value(conversation, citizen):
    statement = conversation.statements.first()
    with pytest.raises(ValidationError):
        statement_vote(statement=statement, participant=citizen, value=7)
    phase = conversation.phases.get()
    with pytest.raises(ParticipationRefused):
        statement_vote(statement=statement, participant=citizen, value=1, now=phase.ends_at)


def test_statements_are_trimmed_limited_and_not_duplicated(conversation, citizen):
    statement = statement_submit(conversation=conversation, author=citizen, text="  Plus   de  bancs ")
    assert statement.text == "Plus de bancs"
    with pytest.raises(ValidationError):
        statement_submit(conversation=conversation, author=citizen, text="plus de bancs")
    with pytest.raises(ValidationError):
        statement_submit(conversation=conversation, author=citizen, text="x" * 201)


def test_the_task_groups_participants_and_leaves_hidden_statements_out(conversation):
    _vote_in_camps(conversation)
    assert conversation_group(conversation.pk) == 2
    grouping = OpinionGrouping.objects.get(conversation=conversation)
    assert grouping.participants == 20 and grouping.votes == 240
    hidden = conversation.statements.order_by("pk").first()
    moderation.content_hide(content=hidden, actor=StaffFactory(), reason="Hors sujet")
    grouping_compute(conversation=conversation)
    assert OpinionGrouping.objects.get(conversation=conversation).votes == 220


def test_a_vote_schedules_the_grouping_after_commit(conversation, citizen, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    cache.clear()
    _vote_in_camps(conversation)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        statement_vote(statement=conversation.statements.first(), participant=citizen, value=1)
    assert len(callbacks) == 1
    assert OpinionGrouping.objects.filter(conversation=conversation).exists()  # eager Celery ran it


def test_the_page_shows_one_statement_at_a_time_and_votes_move_on(client, conversation, citizen):
    client.force_login(citizen)
    page = client.get(reverse("consultations:conversation", args=[conversation.slug])).content.decode()
    assert "Proposition 0" in page and "Proposition 1" not in page
    first = conversation.statements.get(text="Proposition 0")
    response = client.post(
        reverse("consultations:statement_vote", args=[conversation.slug, first.public_id]), {"value": "1"}
    )
    assert response.status_code == 302
    page = client.get(reverse("consultations:conversation", args=[conversation.slug])).content.decode()
    assert "Proposition 1" in page
    bad = client.post(
        reverse("consultations:statement_vote", args=[conversation.slug, first.public_id]), {"value": "x"}
    )
    assert bad.status_code == 400
    assert (
        client.get(reverse("consultations:statement_vote", args=[conversation.slug, first.public_id])).status_code
        == 405
    )


def test_anonymous_visitors_see_the_groups_but_must_log_in_to_vote(client, conversation):
    _vote_in_camps(conversation)
    conversation_group(conversation.pk)
    page = client.get(reverse("consultations:conversation", args=[conversation.slug])).content.decode()
    assert "<circle" in page and "data-groups-table" in page and "data-consensus" in page
    first = conversation.statements.first()
    response = client.post(
        reverse("consultations:statement_vote", args=[conversation.slug, first.public_id]), {"value": "1"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_submitting_a_statement_through_the_page(client, conversation, citizen):
    client.force_login(citizen)
    url = reverse("consultations:statement_submit", args=[conversation.slug])
    assert client.post(url, {"text": ""}).status_code == 400
    assert client.post(url, {"text": "Une fontaine place du marché"}).status_code == 302
    assert Statement.objects.filter(text="Une fontaine place du marché", author=citizen).exists()


def test_exports_use_participant_numbers_not_accounts(client, conversation):
    voters = _vote_in_camps(conversation, people=6)
    conversation_group(conversation.pk)
    votes = client.get(reverse("consultations:conversation_export", args=[conversation.slug, "votes"]))
    rows = list(csv.reader(io.StringIO(b"".join(votes.streaming_content).decode())))
    assert rows[0] == ["date", "statement-id", "participant", "vote"]
    assert {row[2] for row in rows[1:]} == {"1", "2", "3", "4", "5", "6"}
    content = b"".join(
        client.get(
            reverse("consultations:conversation_export", args=[conversation.slug, "participants-votes"])
        ).streaming_content
    ).decode()
    matrix = list(csv.reader(io.StringIO(content)))
    assert matrix[0][:5] == ["participant", "group-id", "n-votes", "n-agree", "n-disagree"]
    assert len(matrix) == 7 and all(row[2] == "12" for row in matrix[1:])
    assert all(voter.email not in content for voter in voters)
    statements = b"".join(
        client.get(
            reverse("consultations:conversation_export", args=[conversation.slug, "statements"])
        ).streaming_content
    ).decode()
    assert "Proposition 0" in statements
