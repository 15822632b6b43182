from __future__ import annotations

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from civicplatform.accounts.models import VerificationLevel
from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.moderation.models import ModerationState, ModeratorAssignment, UserBlock
from forums.tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

PERMISSIONS = [
    "forums.add_comment",
    "forums.reply_comment",
    "forums.change_comment",
    "forums.delete_comment",
    "forums.react_comment",
]


@pytest.fixture
def people(db, citizen, resident, staff, moderator):
    """citizen wrote the comment; resident is another participant."""
    blocked = UserFactory(pseudonym="Blocked")
    UserBlock.objects.create(user=blocked, reason="Spam", blocked_by=staff)
    return {
        "anonymous": AnonymousUser(),
        "unconfirmed": UserFactory(verification_level=VerificationLevel.NONE),
        "blocked": blocked,
        "author": citizen,
        "participant": resident,
        "moderator": moderator,
        "staff": staff,
    }


@pytest.mark.parametrize("permission", PERMISSIONS)
def test_perm_exists(permission):
    assert rules.perm_exists(permission)


@pytest.mark.parametrize(
    ("person", "allowed"),
    [
        ("anonymous", False),
        ("unconfirmed", False),
        ("blocked", False),
        ("author", True),
        ("participant", True),
        ("moderator", True),
    ],
)
def test_who_may_comment_on_an_open_discussion(people, article, person, allowed):
    assert people[person].has_perm("forums.add_comment", article) is allowed


@pytest.mark.parametrize("person", ["author", "participant", "moderator", "staff"])
def test_nobody_comments_on_a_closed_discussion(people, article, person):
    article.live = False

    assert not people[person].has_perm("forums.add_comment", article)


@pytest.mark.parametrize(
    ("person", "reply", "change", "delete", "react"),
    [
        ("anonymous", False, False, False, False),
        ("unconfirmed", False, False, False, False),
        ("blocked", False, False, False, False),
        ("author", True, True, True, False),
        ("participant", True, False, False, True),
        ("moderator", True, False, True, True),
        ("staff", True, False, True, True),
    ],
)
def test_what_each_person_may_do_with_a_visible_comment(people, article, person, reply, change, delete, react):
    comment = CommentFactory(target=article, author=people["author"])
    user = people[person]

    assert user.has_perm("forums.reply_comment", comment) is reply
    assert user.has_perm("forums.change_comment", comment) is change
    assert user.has_perm("forums.delete_comment", comment) is delete
    assert user.has_perm("forums.react_comment", comment) is react


@pytest.mark.parametrize("person", ["author", "participant", "moderator"])
def test_a_hidden_comment_takes_no_reply_edit_or_reaction(people, article, person):
    comment = CommentFactory(target=article, author=people["author"], moderation_state=ModerationState.HIDDEN)
    user = people[person]

    assert not user.has_perm("forums.reply_comment", comment)
    assert not user.has_perm("forums.change_comment", comment)
    assert not user.has_perm("forums.react_comment", comment)


def test_the_author_may_still_delete_a_hidden_comment(people, article):
    comment = CommentFactory(target=article, author=people["author"], moderation_state=ModerationState.HIDDEN)

    assert people["author"].has_perm("forums.delete_comment", comment)


def test_a_deleted_comment_cannot_be_deleted_again(people, article):
    comment = CommentFactory(target=article, author=people["author"], deleted_at=timezone.now())

    assert not people["author"].has_perm("forums.delete_comment", comment)
    assert not people["moderator"].has_perm("forums.delete_comment", comment)


def test_the_author_edits_only_while_the_discussion_is_open(people, article):
    comment = CommentFactory(target=article, author=people["author"])
    article.live = False
    comment.target = article

    assert not people["author"].has_perm("forums.change_comment", comment)
    assert people["author"].has_perm("forums.delete_comment", comment)


def test_a_moderator_of_another_space_does_not_delete(people, article, other_page):
    space_moderator = UserFactory()
    ModeratorAssignment.objects.create(user=space_moderator, content_type_id=other_page.content_type_id, object_id="1")
    comment = CommentFactory(target=article, author=people["author"])

    assert not space_moderator.has_perm("forums.delete_comment", comment)


def test_the_moderator_of_the_targets_space_may_delete(people, article, monkeypatch):
    # A participation item names its space (a budget project names its process);
    # here the page is its own space.
    monkeypatch.setattr(type(article), "get_moderation_space", lambda page: page, raising=False)
    space_moderator = UserFactory()
    ModeratorAssignment.objects.create(
        user=space_moderator, content_type_id=article.content_type_id, object_id=str(article.pk)
    )
    comment = CommentFactory(target=article, author=people["author"])

    assert space_moderator.has_perm("forums.delete_comment", comment)
