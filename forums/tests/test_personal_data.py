from __future__ import annotations

import pytest

from civicplatform.core.registry import erasure_hooks, personal_data_exporters
from forums.models import Comment, Reaction
from forums.tests.factories import CommentFactory, ReactionFactory

pytestmark = pytest.mark.django_db


def test_the_archive_holds_the_persons_comments_and_reactions_only(article, citizen, resident):
    mine = CommentFactory(target=article, author=citizen, source="My idea")
    CommentFactory(target=article, author=resident, source="Someone else's idea")
    ReactionFactory(comment=CommentFactory(target=article, author=resident), user=citizen, value=-1)

    exporters = personal_data_exporters()
    comments = exporters["forums.comments"](citizen)
    reactions = exporters["forums.reactions"](citizen)

    assert [row["text"] for row in comments] == ["My idea"]
    assert comments[0]["id"] == mine.public_id
    assert comments[0]["on"] == f"wagtailcore.page {article.pk}"
    assert [row["value"] for row in reactions] == [-1]
    assert "Someone else's idea" not in str(reactions)


def test_erasing_an_account_removes_its_reactions_but_keeps_its_comments(article, citizen):
    comment = CommentFactory(target=article, author=citizen)
    ReactionFactory(user=citizen, comment=CommentFactory(target=article))

    erasure_hooks()["forums.reactions"](citizen)

    assert not Reaction.objects.filter(user=citizen).exists()
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_the_archive_holds_the_persons_threads_memberships_questions_and_supports(
    thread, council, council_member, live_event, resident
):
    from forums.tests.factories import QuestionFactory, QuestionVoteFactory

    asked = QuestionFactory(thread=live_event, author=council_member, text="Sunday opening?")
    QuestionVoteFactory(question=QuestionFactory(thread=live_event, author=resident), user=council_member)

    exporters = personal_data_exporters()

    assert [row["title"] for row in exporters["forums.threads"](resident)] == ["More trees on the square?"]
    assert exporters["forums.memberships"](council_member)[0]["forum"] == "Conseil de quartier Nord"
    assert exporters["forums.questions"](council_member)[0]["id"] == asked.public_id
    assert len(exporters["forums.question_votes"](council_member)) == 1
    assert exporters["forums.questions"](resident)[0]["text"] != "Sunday opening?"


def test_erasing_an_account_removes_its_memberships_and_supports_but_keeps_its_questions(
    live_event, council_member, resident
):
    from forums.models import Membership, Question, QuestionVote
    from forums.tests.factories import QuestionFactory, QuestionVoteFactory

    question = QuestionFactory(thread=live_event, author=council_member)
    QuestionVoteFactory(question=QuestionFactory(thread=live_event, author=resident), user=council_member)

    erasure_hooks()["forums.memberships"](council_member)
    erasure_hooks()["forums.question_votes"](council_member)

    assert not Membership.objects.filter(user=council_member).exists()
    assert not QuestionVote.objects.filter(user=council_member).exists()
    assert Question.objects.filter(pk=question.pk).exists()
