"""Writes on forums, threads and live-event questions, tested against the database."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from civicplatform.accounts.tests.factories import ResidentFactory, UserFactory
from civicplatform.core.models import AuditEvent
from civicplatform.moderation.models import ModeratorAssignment, UserBlock
from civicplatform.notifications import kinds
from civicplatform.notifications.models import Notification
from forums import events
from forums.models import (
    Alignment,
    Forum,
    Membership,
    MembershipRole,
    Question,
    QuestionStatus,
    QuestionVote,
    Thread,
    ThreadEvent,
    ThreadKind,
)
from forums.services import (
    RateLimited,
    comment_create,
    comment_edit,
    membership_remove,
    membership_set,
    question_ask,
    question_moderate,
    question_vote,
    thread_close,
    thread_create,
)
from forums.tests.factories import QuestionFactory, QuestionVoteFactory, ThreadFactory

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- memberships


def test_staff_make_someone_a_forum_moderator_through_a_moderation_assignment(council, resident, staff):
    membership_set(forum=council, user=resident, role=MembershipRole.MODERATOR, actor=staff)

    assert Membership.objects.get(forum=council, user=resident).role == MembershipRole.MODERATOR
    assignment = ModeratorAssignment.objects.get(user=resident)
    assert assignment.content_type == ContentType.objects.get_for_model(Forum)
    assert assignment.object_id == str(council.pk)
    assert AuditEvent.objects.filter(action="forums.membership_set", actor=staff).exists()
    assert resident.has_perm("forums.moderate_thread", ThreadFactory(forum=council))


def test_demoting_or_removing_a_member_ends_their_moderation(council, resident, staff):
    membership_set(forum=council, user=resident, role=MembershipRole.MODERATOR, actor=staff)

    membership_set(forum=council, user=resident, role=MembershipRole.MEMBER, actor=staff)
    assert not ModeratorAssignment.objects.filter(user=resident).exists()

    membership_remove(forum=council, user=resident, actor=staff)
    assert not Membership.objects.filter(user=resident).exists()
    assert AuditEvent.objects.filter(action="forums.membership_remove").count() == 1


def test_only_staff_manage_members(council, resident, council_member):
    with pytest.raises(PermissionDenied):
        membership_set(forum=council, user=resident, role=MembershipRole.MEMBER, actor=council_member)


# ---------------------------------------------------------------- threads


def test_a_participant_starts_a_discussion_with_a_readable_address(forum, citizen):
    thread = thread_create(forum=forum, author=citizen, title="  Bike   lanes on Rue Haute ", text="Could we?")

    assert thread.slug == "bike-lanes-on-rue-haute"
    assert thread.title == "Bike lanes on Rue Haute"
    assert thread.body == "<p>Could we?</p>"
    assert thread.kind == ThreadKind.DISCUSSION


def test_two_threads_with_the_same_title_get_different_addresses(forum, citizen):
    first = thread_create(forum=forum, author=citizen, title="Nouveau", text="One")
    second = thread_create(forum=forum, author=citizen, title="Nouveau", text="Two")

    # "nouveau" is the path of the "start a discussion" page: never a thread's address.
    assert (first.slug, second.slug) == ("nouveau-2", "nouveau-3")


def test_only_the_forums_moderators_open_debates_and_live_events(forum, citizen, forum_moderator):
    with pytest.raises(PermissionDenied, match="moderators of this forum"):
        thread_create(forum=forum, author=citizen, title="Car-free street?", kind=ThreadKind.DEBATE)

    debate = thread_create(forum=forum, author=forum_moderator, title="Car-free street?", kind=ThreadKind.DEBATE)
    assert debate.is_debate


def test_outsiders_and_blocked_people_cannot_start_threads(council, forum, outsider, citizen, staff):
    with pytest.raises(PermissionDenied, match="members of this forum"):
        thread_create(forum=council, author=outsider, title="Let me in", text="Please")
    UserBlock.objects.create(user=citizen, reason="Spam", blocked_by=staff)
    with pytest.raises(PermissionDenied, match="blocked"):
        thread_create(forum=forum, author=citizen, title="Spam again", text="Buy")


def test_a_discussion_needs_a_title_and_a_text(forum, citizen):
    with pytest.raises(ValidationError) as error:
        thread_create(forum=forum, author=citizen, title="Hey", text="")
    assert "title" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        thread_create(forum=forum, author=citizen, title="A fine title", text="  ")
    assert "text" in error.value.message_dict


def test_starting_threads_is_rate_limited(forum, citizen, settings):
    settings.FORUMS_THREADS_PER_HOUR = 1
    thread_create(forum=forum, author=citizen, title="First thread", text="One")

    with pytest.raises(RateLimited):
        thread_create(forum=forum, author=citizen, title="Second thread", text="Two")
    assert Thread.objects.count() == 1


def test_closing_records_the_conclusions_audits_and_broadcasts(
    thread, forum_moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        thread_close(thread=thread, actor=forum_moderator, conclusion="Forty trees in autumn.")

    thread.refresh_from_db()
    assert thread.is_closed
    assert thread.closed_by == forum_moderator
    assert thread.conclusion == "<p>Forty trees in autumn.</p>"
    assert not thread.accepts_comments()
    audit = AuditEvent.objects.get(action="forums.thread_close")
    assert audit.reason == "Forty trees in autumn."
    assert ThreadEvent.objects.get(thread=thread).kind == events.THREAD_CLOSED
    assert len(callbacks) == 1


def test_participants_cannot_close_and_a_closed_thread_stays_closed(thread, citizen, forum_moderator):
    with pytest.raises(PermissionDenied):
        thread_close(thread=thread, actor=citizen, conclusion="Done")
    thread_close(thread=thread, actor=forum_moderator, conclusion="Done")
    with pytest.raises(PermissionDenied, match="already closed"):
        thread_close(thread=thread, actor=forum_moderator, conclusion="Again")


def test_a_closed_thread_takes_no_comment(thread, citizen, forum_moderator):
    thread_close(thread=thread, actor=forum_moderator, conclusion="Done")

    with pytest.raises(PermissionDenied, match="closed"):
        comment_create(author=citizen, target=thread, text="Too late")


# ---------------------------------------------------------------- comments on threads: events and sides


def test_every_change_to_a_thread_gets_the_next_number(thread, citizen, resident):
    first = comment_create(author=citizen, target=thread, text="One")
    comment_create(author=resident, target=thread, text="Two", parent=first)
    comment_edit(comment=first, editor=citizen, text="One, edited")

    rows = list(ThreadEvent.objects.filter(thread=thread).order_by("seq").values_list("seq", "kind"))
    assert rows == [(1, "comment.created"), (2, "comment.created"), (3, "comment.edited")]
    thread.refresh_from_db()
    assert thread.last_event_seq == 3


def test_comments_elsewhere_record_no_thread_event(article, citizen):
    comment_create(author=citizen, target=article, text="On a news article")

    assert not ThreadEvent.objects.exists()


def test_the_broadcast_waits_for_the_commit(thread, citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        comment_create(author=citizen, target=thread, text="One")

    assert len(callbacks) == 1
    assert callbacks[0].func is events.broadcast


def test_a_debate_contribution_must_take_a_side_but_a_reply_takes_none(debate, citizen, resident):
    with pytest.raises(ValidationError) as error:
        comment_create(author=citizen, target=debate, text="Maybe")
    assert "alignment" in error.value.message_dict

    argument = comment_create(author=citizen, target=debate, text="Safer", alignment=Alignment.FOR)
    reply = comment_create(author=resident, target=debate, text="Why?", parent=argument, alignment=Alignment.AGAINST)

    assert argument.alignment == Alignment.FOR
    assert reply.alignment == ""


def test_a_side_is_ignored_outside_debates(thread, citizen):
    assert comment_create(author=citizen, target=thread, text="Hi", alignment=Alignment.FOR).alignment == ""


def test_outsiders_cannot_comment_a_members_only_thread(council_thread, outsider):
    with pytest.raises(PermissionDenied, match="members of its forum"):
        comment_create(author=outsider, target=council_thread, text="Let me in")


# ---------------------------------------------------------------- mentions


def test_a_mention_notifies_the_person_named(thread, citizen, resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_create(author=citizen, target=thread, text="What do you think, @camille?")

    notification = Notification.objects.get()
    assert notification.recipient == resident
    assert notification.kind == kinds.MENTION
    assert notification.actor == citizen
    assert notification.url == f"{thread.get_absolute_url()}#{comment.anchor}"
    assert citizen.public_name in notification.title


def test_pseudonyms_with_spaces_can_be_mentioned(thread, citizen):
    jean = UserFactory(pseudonym="Jean Dupont")
    UserFactory(pseudonym="Jean")

    comment_create(author=citizen, target=thread, text="Thanks @Jean Dupont, well said.")

    assert list(Notification.objects.values_list("recipient", flat=True)) == [jean.pk]


def test_nobody_is_notified_of_a_discussion_they_may_not_read(council_thread, council_member, outsider):
    outsider.pseudonym = "Curieux"
    outsider.save()

    comment_create(author=council_member, target=council_thread, text="Should we tell @Curieux?")

    assert not Notification.objects.exists()


def test_quotes_self_mentions_and_repeated_edits_notify_no_one_twice(thread, citizen, resident):
    comment = comment_create(
        author=citizen, target=thread, text=f"> @{resident.pseudonym} said so\n\nMe, @{citizen.pseudonym}"
    )
    assert not Notification.objects.exists()

    comment_edit(comment=comment, editor=citizen, text="Now asking @Camille")
    comment_edit(comment=comment, editor=citizen, text="Now asking @Camille again")

    assert Notification.objects.filter(recipient=resident).count() == 1


# ---------------------------------------------------------------- live-event questions


def test_a_question_waits_for_moderation_and_only_moderators_hear_of_it(live_event, resident):
    question = question_ask(thread=live_event, author=resident, text="  Will the pool reopen   in June? ")

    assert question.status == QuestionStatus.PENDING
    assert question.text == "Will the pool reopen in June?"
    event = ThreadEvent.objects.get()
    assert (event.kind, event.moderators_only) == (events.QUESTION_SUBMITTED, True)


def test_questions_need_a_live_event_that_is_still_open(thread, live_event, resident, forum_moderator):
    with pytest.raises(PermissionDenied, match="does not take questions"):
        question_ask(thread=thread, author=resident, text="Is this a question?")
    thread_close(thread=live_event, actor=forum_moderator, conclusion="Thank you all.")
    with pytest.raises(PermissionDenied, match="over"):
        question_ask(thread=live_event, author=resident, text="One more question?")


def test_asking_is_rate_limited_and_short_questions_are_refused(live_event, resident, settings):
    settings.FORUMS_QUESTIONS_PER_MINUTE = 1
    with pytest.raises(ValidationError):
        question_ask(thread=live_event, author=resident, text="Why")
    question_ask(thread=live_event, author=resident, text="Why not on Sundays?")

    with pytest.raises(RateLimited):
        question_ask(thread=live_event, author=resident, text="And on Mondays?")


def test_supporting_is_one_vote_per_person_and_can_be_withdrawn(live_event, resident, citizen):
    question = QuestionFactory(thread=live_event, author=resident)

    assert question_vote(question=question, user=citizen) is True
    assert question_vote(question=question, user=citizen) is True  # a double click changes nothing
    assert QuestionVote.objects.filter(question=question).count() == 1
    assert question_vote(question=question, user=citizen, support=False) is False
    assert not QuestionVote.objects.exists()
    assert ThreadEvent.objects.filter(kind=events.QUESTION_VOTED).count() == 2


def test_nobody_supports_their_own_or_a_pending_question(live_event, resident, citizen):
    own = QuestionFactory(thread=live_event, author=resident)
    pending = QuestionFactory(thread=live_event, status=QuestionStatus.PENDING)

    with pytest.raises(PermissionDenied, match="your own"):
        question_vote(question=own, user=resident)
    with pytest.raises(PermissionDenied, match="approved"):
        question_vote(question=pending, user=citizen)


def test_moderators_approve_then_mark_answered_with_an_audit_row(live_event, forum_moderator):
    question = QuestionFactory(thread=live_event, status=QuestionStatus.PENDING)

    question_moderate(question=question, actor=forum_moderator, action="approve")
    question_moderate(question=question, actor=forum_moderator, action="answer")

    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED
    assert question.answered_at is not None
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "forums.question_approve",
        "forums.question_answer",
    ]
    kinds_seen = list(ThreadEvent.objects.order_by("seq").values_list("kind", "moderators_only"))
    assert kinds_seen == [(events.QUESTION_APPROVED, False), (events.QUESTION_ANSWERED, False)]


def test_one_question_is_on_screen_at_a_time(live_event, forum_moderator):
    first, second = QuestionFactory.create_batch(2, thread=live_event)

    question_moderate(question=first, actor=forum_moderator, action="pin")
    question_moderate(question=second, actor=forum_moderator, action="pin")

    assert list(Question.objects.filter(pinned=True)) == [second]
    assert list(ThreadEvent.objects.order_by("seq").values_list("kind", flat=True)) == [
        events.QUESTION_PINNED,
        events.QUESTION_PINNED,
        events.QUESTION_UNPINNED,
    ]


def test_merging_moves_the_support_to_the_question_kept(live_event, forum_moderator, resident):
    kept = QuestionFactory(thread=live_event, author=resident)
    duplicate = QuestionFactory(thread=live_event)
    QuestionVoteFactory(question=duplicate, user=resident)  # the kept question's author: not moved
    voter = QuestionVoteFactory(question=duplicate).user
    QuestionVoteFactory(question=kept, user=voter)

    question_moderate(question=duplicate, actor=forum_moderator, action="merge", into=kept)

    duplicate.refresh_from_db()
    assert duplicate.status == QuestionStatus.MERGED
    assert duplicate.merged_into == kept
    assert list(QuestionVote.objects.filter(question=kept).values_list("user", flat=True)) == [voter.pk]


def test_a_merge_needs_another_open_question_of_the_same_event(live_event, forum_moderator):
    question = QuestionFactory(thread=live_event)
    answered = QuestionFactory(thread=live_event, status=QuestionStatus.ANSWERED)

    for into in (None, question, answered, QuestionFactory()):
        with pytest.raises(ValidationError):
            question_moderate(question=question, actor=forum_moderator, action="merge", into=into)


def test_dismissing_a_pending_question_stays_between_moderators(live_event, forum_moderator):
    question = QuestionFactory(thread=live_event, status=QuestionStatus.PENDING)

    question_moderate(question=question, actor=forum_moderator, action="dismiss")

    assert ThreadEvent.objects.get().moderators_only


def test_a_stale_decision_is_refused(live_event, forum_moderator):
    question = QuestionFactory(thread=live_event, status=QuestionStatus.ANSWERED)

    with pytest.raises(ValidationError, match="changed meanwhile"):
        question_moderate(question=question, actor=forum_moderator, action="pin")


def test_participants_and_moderators_of_other_forums_cannot_moderate_questions(live_event, resident):
    other_forum_moderator = ResidentFactory()
    ModeratorAssignment.objects.create(
        user=other_forum_moderator,
        content_type=ContentType.objects.get_for_model(Forum),
        object_id=str(ThreadFactory().forum.pk),
    )
    question = QuestionFactory(thread=live_event, status=QuestionStatus.PENDING)

    for person in (resident, other_forum_moderator):
        with pytest.raises(PermissionDenied):
            question_moderate(question=question, actor=person, action="approve")
