from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from civicplatform.accounts.models import VerificationLevel
from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.core.models import AuditEvent
from civicplatform.moderation.models import ModerationState, UserBlock
from forums.models import Comment, Reaction
from forums.services import (
    CommentRateLimited,
    comment_create,
    comment_delete,
    comment_edit,
    comment_react,
)
from forums.tests.factories import CommentFactory
from forums.text import render_comment_text

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- text


def test_it_strips_scripts_and_event_handlers():
    html = render_comment_text('Hello <script>alert("x")</script><b onclick="steal()">world</b> <img src=x onerror=y>')

    assert html == "<p>Hello world</p>"


def test_it_turns_addresses_and_bracket_links_into_links_with_a_ugc_rel():
    html = render_comment_text("See https://example.org/plan. And [the minutes](https://mairie.example.fr/cr).")

    assert '<a href="https://example.org/plan" rel="nofollow ugc noopener">https://example.org/plan</a>.' in html
    assert '<a href="https://mairie.example.fr/cr" rel="nofollow ugc noopener">the minutes</a>' in html


def test_it_drops_javascript_links_and_adds_rel_to_typed_links():
    html = render_comment_text('<a href="javascript:alert(1)">a</a> <a href="https://ok.fr" rel="opener">b</a>')

    assert "javascript" not in html
    assert '<a href="https://ok.fr" rel="nofollow ugc noopener">b</a>' in html


def test_blank_lines_make_paragraphs_and_single_newlines_line_breaks():
    assert render_comment_text("First\nstill first\n\nSecond") == "<p>First<br>still first</p><p>Second</p>"


def test_text_that_sanitises_to_nothing_is_refused(article, citizen):
    with pytest.raises(ValidationError) as error:
        comment_create(author=citizen, target=article, text="<script>alert(1)</script>")

    assert "Write something" in str(error.value)
    assert not Comment.objects.exists()


# ---------------------------------------------------------------- create


def test_it_posts_a_sanitised_comment_on_a_commentable_target(article, citizen):
    comment = comment_create(author=citizen, target=article, text="Merci !\n\n<i onmouseover=x>Bravo</i>")

    comment.refresh_from_db()
    assert comment.target == article
    assert comment.author == citizen
    assert comment.body == "<p>Merci !</p><p>Bravo</p>"
    assert comment.source == "Merci !\n\n<i onmouseover=x>Bravo</i>"
    assert comment.depth == 0
    assert comment.parent is None
    assert comment.root is None


def test_replies_nest_three_levels_then_are_filed_beside_the_comment_they_answer(article, citizen, resident):
    top = comment_create(author=citizen, target=article, text="Top")
    level1 = comment_create(author=resident, target=article, text="One", parent=top)
    level2 = comment_create(author=citizen, target=article, text="Two", parent=level1)
    level3 = comment_create(author=resident, target=article, text="Three", parent=level2)

    deeper = comment_create(author=citizen, target=article, text="Four", parent=level3)

    assert [level1.depth, level2.depth, level3.depth] == [1, 2, 3]
    assert deeper.depth == 3
    assert deeper.parent == level2
    assert deeper.in_reply_to == level3
    assert {level1.root_id, level2.root_id, level3.root_id, deeper.root_id} == {top.pk}


def test_a_reply_must_belong_to_the_same_discussion(article, other_page, citizen):
    parent = CommentFactory(target=other_page)

    with pytest.raises(ValidationError):
        comment_create(author=citizen, target=article, text="Hi", parent=parent)


def test_a_blocked_person_is_refused_with_a_clear_message(article, citizen, staff):
    UserBlock.objects.create(user=citizen, reason="Repeated insults", blocked_by=staff)

    with pytest.raises(PermissionDenied, match="blocked your account"):
        comment_create(author=citizen, target=article, text="Hello")
    assert not Comment.objects.exists()


def test_a_person_without_a_confirmed_email_is_refused(article):
    unconfirmed = UserFactory(verification_level=VerificationLevel.NONE)

    with pytest.raises(PermissionDenied, match="Confirm your e-mail"):
        comment_create(author=unconfirmed, target=article, text="Hello")


def test_a_target_that_is_not_commentable_is_refused(other_page, citizen):
    with pytest.raises(PermissionDenied):
        comment_create(author=citizen, target=other_page, text="Hello")


def test_an_unpublished_page_does_not_accept_comments(article, citizen):
    article.live = False
    article.save()

    with pytest.raises(PermissionDenied, match="closed"):
        comment_create(author=citizen, target=article, text="Hello")


def test_no_reply_to_a_hidden_comment(article, citizen):
    hidden = CommentFactory(target=article, moderation_state=ModerationState.HIDDEN)

    with pytest.raises(PermissionDenied):
        comment_create(author=citizen, target=article, text="Hello", parent=hidden)


def test_posting_is_rate_limited_per_person_and_minute(article, citizen, resident, settings):
    settings.FORUMS_COMMENTS_PER_MINUTE = 2
    with time_machine.travel(timezone.now().replace(second=5), tick=False) as traveller:
        comment_create(author=citizen, target=article, text="One")
        comment_create(author=citizen, target=article, text="Two")

        with pytest.raises(CommentRateLimited):
            comment_create(author=citizen, target=article, text="Three")
        # Another person is not affected.
        comment_create(author=resident, target=article, text="Mine")

        traveller.shift(timedelta(seconds=60))
        comment_create(author=citizen, target=article, text="Three, a minute later")

    assert Comment.objects.filter(author=citizen).count() == 3


# ---------------------------------------------------------------- edit


def test_editing_changes_the_text_and_marks_the_comment_edited(article, citizen):
    comment = comment_create(author=citizen, target=article, text="Teh park")

    comment_edit(comment=comment, editor=citizen, text="The park https://example.org")

    comment.refresh_from_db()
    assert comment.source == "The park https://example.org"
    assert 'rel="nofollow ugc noopener"' in comment.body
    assert comment.edited_at is not None


def test_saving_unchanged_text_does_not_mark_it_edited(article, citizen):
    comment = comment_create(author=citizen, target=article, text="Same")

    comment_edit(comment=comment, editor=citizen, text="Same ")

    comment.refresh_from_db()
    assert comment.edited_at is None


def test_only_the_author_can_edit(article, citizen, staff):
    comment = CommentFactory(target=article, author=citizen)

    with pytest.raises(PermissionDenied):
        comment_edit(comment=comment, editor=staff, text="Rewritten by staff")


def test_a_hidden_comment_can_no_longer_be_edited(article, citizen):
    comment = CommentFactory(target=article, author=citizen, moderation_state=ModerationState.HIDDEN)

    with pytest.raises(PermissionDenied, match="hidden"):
        comment_edit(comment=comment, editor=citizen, text="Sneaky fix")


def test_editing_is_closed_with_the_discussion(article, citizen):
    comment = CommentFactory(target=article, author=citizen)
    article.live = False
    article.save()

    with pytest.raises(PermissionDenied, match="closed"):
        comment_edit(comment=comment, editor=citizen, text="Late")


# ---------------------------------------------------------------- delete


def test_deleting_erases_the_text_but_keeps_the_replies(article, citizen, resident):
    comment = CommentFactory(target=article, author=citizen, source="My words")
    reply = CommentFactory(parent=comment, author=resident)

    comment_delete(comment=comment, actor=citizen)

    comment.refresh_from_db()
    assert comment.deleted_at is not None
    assert comment.source == ""
    assert comment.body == ""
    assert not comment.deleted_by_moderator
    assert Comment.objects.filter(pk=reply.pk, deleted_at__isnull=True).exists()
    assert not AuditEvent.objects.exists()


def test_a_moderator_deleting_someone_elses_comment_must_give_a_reason_and_is_audited(article, citizen, moderator):
    comment = CommentFactory(target=article, author=citizen)

    with pytest.raises(ValidationError):
        comment_delete(comment=comment, actor=moderator, reason="  ")
    comment_delete(comment=comment, actor=moderator, reason="Personal attack")

    comment.refresh_from_db()
    assert comment.deleted_by_moderator
    event = AuditEvent.objects.for_target(comment).get()
    assert event.action == "forums.comment_deleted"
    assert event.actor == moderator
    assert event.reason == "Personal attack"


def test_another_participant_cannot_delete_a_comment(article, citizen, resident):
    comment = CommentFactory(target=article, author=citizen)

    with pytest.raises(PermissionDenied):
        comment_delete(comment=comment, actor=resident)
    comment.refresh_from_db()
    assert comment.deleted_at is None


# ---------------------------------------------------------------- reactions


def test_reacting_twice_with_the_same_value_removes_the_reaction(article, citizen):
    comment = CommentFactory(target=article)

    assert comment_react(comment=comment, user=citizen, value=1) == 1
    assert Reaction.objects.get(comment=comment, user=citizen).value == 1
    assert comment_react(comment=comment, user=citizen, value=1) is None
    assert not Reaction.objects.filter(comment=comment, user=citizen).exists()


def test_reacting_with_the_other_value_switches_it(article, citizen):
    comment = CommentFactory(target=article)

    comment_react(comment=comment, user=citizen, value=1)
    assert comment_react(comment=comment, user=citizen, value=-1) == -1

    assert list(Reaction.objects.filter(comment=comment).values_list("value", flat=True)) == [-1]


def test_the_database_keeps_one_reaction_per_person_and_comment(article, citizen):
    comment = CommentFactory(target=article)
    Reaction.objects.create(comment=comment, user=citizen, value=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Reaction.objects.create(comment=comment, user=citizen, value=-1)


def test_a_reaction_racing_an_existing_row_recovers_from_the_integrity_error(article, citizen):
    # The other request's row already exists: the insert fails on the unique
    # constraint, and the service toggles the existing row instead of crashing.
    comment = CommentFactory(target=article)
    Reaction.objects.create(comment=comment, user=citizen, value=-1)

    assert comment_react(comment=comment, user=citizen, value=1) == 1
    assert Reaction.objects.get(comment=comment, user=citizen).value == 1


def test_nobody_reacts_to_their_own_comment(article, citizen):
    comment = CommentFactory(target=article, author=citizen)

    with pytest.raises(PermissionDenied):
        comment_react(comment=comment, user=citizen, value=1)


def test_a_blocked_person_cannot_react(article, citizen, staff):
    comment = CommentFactory(target=article)
    UserBlock.objects.create(user=citizen, reason="Spam", blocked_by=staff)

    with pytest.raises(PermissionDenied, match="blocked"):
        comment_react(comment=comment, user=citizen, value=1)
    assert not Reaction.objects.exists()


def test_an_invalid_reaction_value_is_refused(article, citizen):
    comment = CommentFactory(target=article)

    with pytest.raises(ValidationError):
        comment_react(comment=comment, user=citizen, value=5)
