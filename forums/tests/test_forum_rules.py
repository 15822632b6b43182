"""Who may do what in forums, threads and live events: the matrix of forums/rules.py."""

from __future__ import annotations

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from civicplatform.accounts.models import VerificationLevel
from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.moderation.models import ModerationState, UserBlock
from forums.models import QuestionStatus, ThreadKind
from forums.tests.factories import CommentFactory, QuestionFactory, ThreadFactory

pytestmark = pytest.mark.django_db

PERMISSIONS = [
    "forums.view_forum",
    "forums.view_thread",
    "forums.add_thread",
    "forums.add_structured_thread",
    "forums.moderate_thread",
    "forums.close_thread",
    "forums.ask_question",
    "forums.vote_question",
    "forums.moderate_question",
]


@pytest.fixture
def people(db, citizen, council_member, forum_moderator, staff, outsider):
    blocked = UserFactory(pseudonym="Blocked")
    UserBlock.objects.create(user=blocked, reason="Spam", blocked_by=staff)
    return {
        "anonymous": AnonymousUser(),
        "unconfirmed": UserFactory(verification_level=VerificationLevel.NONE),
        "blocked": blocked,
        "citizen": citizen,
        "outsider": outsider,
        "member": council_member,
        "forum_moderator": forum_moderator,
        "staff": staff,
    }


@pytest.mark.parametrize("permission", PERMISSIONS)
def test_perm_exists(permission):
    assert rules.perm_exists(permission)


@pytest.mark.parametrize(
    ("person", "public", "members_only"),
    [
        ("anonymous", True, False),
        ("unconfirmed", True, False),
        ("blocked", True, False),
        ("citizen", True, False),
        ("outsider", True, False),
        ("member", True, True),
        ("forum_moderator", True, False),  # moderates the public forum only
        ("staff", True, True),
    ],
)
def test_who_may_read_a_public_and_a_members_only_forum(people, forum, council, person, public, members_only):
    user = people[person]

    assert user.has_perm("forums.view_forum", forum) is public
    assert user.has_perm("forums.view_forum", council) is members_only
    assert user.has_perm("forums.view_thread", ThreadFactory(forum=council)) is members_only


@pytest.mark.parametrize(
    ("person", "public", "members_only", "structured"),
    [
        ("anonymous", False, False, False),
        ("unconfirmed", False, False, False),
        ("blocked", False, False, False),
        ("citizen", True, False, False),
        ("outsider", True, False, False),
        ("member", True, True, False),
        ("forum_moderator", True, False, True),
        ("staff", True, True, True),
    ],
)
def test_who_may_start_threads(people, forum, council, person, public, members_only, structured):
    user = people[person]

    assert user.has_perm("forums.add_thread", forum) is public
    assert user.has_perm("forums.add_thread", council) is members_only
    assert user.has_perm("forums.add_structured_thread", forum) is structured


@pytest.mark.parametrize(
    ("person", "allowed"),
    [
        ("anonymous", False),
        ("citizen", False),
        ("member", False),
        ("blocked", False),
        ("forum_moderator", True),
        ("staff", True),
    ],
)
def test_who_may_moderate_and_close_a_thread(people, thread, person, allowed):
    user = people[person]

    assert user.has_perm("forums.moderate_thread", thread) is allowed
    assert user.has_perm("forums.close_thread", thread) is allowed
    assert user.has_perm("forums.moderate_question", QuestionFactory(thread=thread)) is allowed


def test_a_closed_thread_cannot_be_closed_again(people, thread):
    thread.closed_at = timezone.now()

    assert not people["staff"].has_perm("forums.close_thread", thread)
    assert people["staff"].has_perm("forums.moderate_thread", thread)


@pytest.mark.parametrize(
    ("person", "allowed"),
    [
        ("anonymous", False),
        ("unconfirmed", False),
        ("blocked", False),
        ("citizen", True),
        ("outsider", True),
        ("forum_moderator", True),
    ],
)
def test_who_may_ask_and_support_questions_during_a_live_event(people, live_event, person, allowed):
    user = people[person]
    question = QuestionFactory(thread=live_event)

    assert user.has_perm("forums.ask_question", live_event) is allowed
    assert user.has_perm("forums.vote_question", question) is allowed


@pytest.mark.parametrize("person", ["citizen", "forum_moderator", "staff"])
def test_no_questions_outside_live_events_or_once_the_event_is_over(people, thread, live_event, person):
    user = people[person]
    question = QuestionFactory(thread=live_event)
    live_event.closed_at = timezone.now()

    assert not user.has_perm("forums.ask_question", thread)
    assert not user.has_perm("forums.ask_question", live_event)
    assert not user.has_perm("forums.vote_question", question)


def test_only_approved_questions_by_others_can_be_supported(people, live_event):
    citizen = people["citizen"]

    assert not citizen.has_perm("forums.vote_question", QuestionFactory(thread=live_event, author=citizen))
    for status in (QuestionStatus.PENDING, QuestionStatus.ANSWERED, QuestionStatus.MERGED, QuestionStatus.DISMISSED):
        assert not citizen.has_perm("forums.vote_question", QuestionFactory(thread=live_event, status=status))


def test_members_only_live_events_take_questions_from_members_only(people, council):
    event = ThreadFactory(forum=council, kind=ThreadKind.LIVE_EVENT)

    assert people["member"].has_perm("forums.ask_question", event)
    assert not people["outsider"].has_perm("forums.ask_question", event)


@pytest.mark.parametrize(
    ("person", "allowed"),
    [("outsider", False), ("anonymous", False), ("member", True), ("staff", True)],
)
def test_comments_of_a_members_only_thread_follow_the_forum(people, council_thread, person, allowed):
    user = people[person]
    comment = CommentFactory(target=council_thread)

    assert user.has_perm("forums.add_comment", council_thread) is allowed
    assert user.has_perm("forums.reply_comment", comment) is allowed
    assert user.has_perm("forums.react_comment", comment) is allowed


def test_a_hidden_thread_is_read_only(people, thread):
    thread.moderation_state = ModerationState.HIDDEN
    comment = CommentFactory(target=thread)

    assert not people["citizen"].has_perm("forums.add_comment", thread)
    assert not people["citizen"].has_perm("forums.react_comment", comment)
    assert not people["staff"].has_perm("forums.close_thread", thread)


def test_a_page_of_permission_checks_asks_for_memberships_once(people, council, django_assert_num_queries):
    member = people["member"]
    threads = ThreadFactory.create_batch(5, forum=council)
    member.has_perm("forums.view_thread", threads[0])  # loads the memberships and moderator roles

    with django_assert_num_queries(0):
        assert all(member.has_perm("forums.view_thread", thread) for thread in threads)


def test_a_site_wide_moderator_who_is_not_a_member_has_no_right_in_a_members_only_forum(moderator, forum, council):
    live_event = ThreadFactory(forum=council, kind=ThreadKind.LIVE_EVENT)
    question = QuestionFactory(thread=live_event)

    for permission in PERMISSIONS:
        assert not moderator.has_perm(permission, question if "question" in permission else live_event), permission
    assert moderator.has_perm("forums.view_forum", forum)
    assert moderator.has_perm("forums.moderate_thread", ThreadFactory(forum=forum))


def test_a_member_with_the_moderator_role_moderates_the_members_only_forum(council, staff):
    from forums.models import MembershipRole
    from forums.services import membership_set

    own_moderator = UserFactory(pseudonym="Garante")
    membership_set(forum=council, user=own_moderator, role=MembershipRole.MODERATOR, actor=staff)
    thread = ThreadFactory(forum=council)

    assert own_moderator.has_perm("forums.view_thread", thread)
    assert own_moderator.has_perm("forums.add_thread", council)
    assert own_moderator.has_perm("forums.moderate_thread", thread)
    assert own_moderator.has_perm("forums.close_thread", thread)
