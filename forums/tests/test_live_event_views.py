"""A live public meeting: the audience asks and supports questions, moderators decide,
the room's screen shows the question pinned."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from civicplatform.core.models import AuditEvent
from forums.models import Question, QuestionStatus, QuestionVote
from forums.tests.factories import QuestionFactory, QuestionVoteFactory

pytestmark = pytest.mark.django_db

ID = "6f1c0a52-3e4c-4a51-9a3f-0f2b7e1d9c11"


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("question_vote", f"/forums/questions/{ID}/soutenir/"),
        ("question_moderate", f"/forums/questions/{ID}/moderer/"),
        ("question_merge", f"/forums/questions/{ID}/fusionner/"),
    ],
)
def test_urls_round_trip(name, path):
    assert reverse(f"forums:{name}", args=[ID]) == path
    assert resolve(path).view_name == f"forums:{name}"


def ask_url(event) -> str:
    return reverse("forums:question_ask", args=[event.forum.slug, event.slug])


# ---------------------------------------------------------------- the page


def test_the_audience_sees_approved_questions_by_support_but_not_pending_ones(client, live_event, citizen):
    popular = QuestionFactory(thread=live_event, text="Popular question?")
    QuestionVoteFactory.create_batch(2, question=popular)
    QuestionFactory(thread=live_event, text="Quiet question?")
    QuestionFactory(thread=live_event, text="Secret pending question?", status=QuestionStatus.PENDING)
    client.force_login(citizen)

    html = client.get(live_event.get_absolute_url()).content.decode()

    assert html.index("Popular question?") < html.index("Quiet question?")
    assert "2 supports" in html
    assert "Secret pending question?" not in html
    assert 'name="question-text"' in html
    assert html.count("<h1") == 1
    assert 'value="approve"' not in html


def test_moderators_see_the_queue_with_their_controls(client, live_event, forum_moderator):
    QuestionFactory(thread=live_event, text="Secret pending question?", status=QuestionStatus.PENDING)
    client.force_login(forum_moderator)

    html = client.get(live_event.get_absolute_url()).content.decode()

    assert "Awaiting moderation" in html
    assert "Secret pending question?" in html
    assert 'value="approve"' in html
    assert "Presenter screen" in html


def test_the_question_board_costs_a_constant_number_of_queries(
    client, live_event, citizen, django_assert_max_num_queries
):
    QuestionFactory.create_batch(2, thread=live_event)
    client.force_login(citizen)
    client.get(live_event.get_absolute_url())
    with django_assert_max_num_queries(40) as few:
        client.get(live_event.get_absolute_url())
    for question in QuestionFactory.create_batch(30, thread=live_event):
        QuestionVoteFactory(question=question)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(live_event.get_absolute_url())


# ---------------------------------------------------------------- asking


def test_anonymous_is_sent_to_log_in_to_ask(client, live_event):
    response = client.post(ask_url(live_event), {"question-text": "Why?"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not Question.objects.exists()


def test_asking_only_accepts_post(client, live_event, citizen):
    client.force_login(citizen)

    assert client.get(ask_url(live_event)).status_code == 405


def test_an_empty_question_is_refused_with_the_field_error(client, live_event, citizen):
    client.force_login(citizen)

    response = client.post(ask_url(live_event), {"question-text": ""})

    assert response.status_code == 400
    assert 'aria-describedby="id_question-text' in response.content.decode()


def test_a_question_is_sent_for_moderation(client, live_event, citizen, django_capture_on_commit_callbacks):
    client.force_login(citizen)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ask_url(live_event), {"question-text": "When does the pool reopen?"})

    assert response.status_code == 302
    assert response.url.endswith("#questions")
    question = Question.objects.get()
    assert (question.author, question.status) == (citizen, QuestionStatus.PENDING)


def test_asking_too_fast_keeps_the_text(client, live_event, citizen, settings):
    settings.FORUMS_QUESTIONS_PER_MINUTE = 1
    client.force_login(citizen)
    client.post(ask_url(live_event), {"question-text": "First question here?"})

    response = client.post(ask_url(live_event), {"question-text": "Second question here?"})

    assert response.status_code == 429
    assert "Second question here?" in response.content.decode()


def test_questions_on_a_discussion_are_refused(client, thread, citizen):
    client.force_login(citizen)

    response = client.post(ask_url(thread), {"question-text": "Is this a live event?"})

    assert response.status_code == 403
    assert "does not take questions" in response.content.decode()


# ---------------------------------------------------------------- supporting


def test_supporting_and_withdrawing_support(client, live_event, citizen):
    question = QuestionFactory(thread=live_event)
    url = reverse("forums:question_vote", args=[question.public_id])
    client.force_login(citizen)

    response = client.post(url, {"soutien": "1"})
    assert response.status_code == 302
    assert QuestionVote.objects.filter(question=question, user=citizen).exists()
    html = client.get(live_event.get_absolute_url()).content.decode()
    assert 'name="soutien" value="0"' in html
    assert 'aria-pressed="true"' in html

    client.post(url, {"soutien": "0"})
    assert not QuestionVote.objects.exists()


def test_pending_questions_cannot_be_reached_by_the_audience(client, live_event, citizen):
    question = QuestionFactory(thread=live_event, status=QuestionStatus.PENDING)
    client.force_login(citizen)

    assert client.post(reverse("forums:question_vote", args=[question.public_id])).status_code == 404


def test_voting_only_accepts_post(client, live_event, citizen):
    question = QuestionFactory(thread=live_event)
    client.force_login(citizen)

    assert client.get(reverse("forums:question_vote", args=[question.public_id])).status_code == 405


# ---------------------------------------------------------------- moderating


def test_participants_cannot_moderate_questions(client, live_event, citizen):
    question = QuestionFactory(thread=live_event)
    client.force_login(citizen)

    response = client.post(reverse("forums:question_moderate", args=[question.public_id]), {"action": "pin"})

    assert response.status_code == 403
    question.refresh_from_db()
    assert not question.pinned


def test_a_moderator_pins_a_question_on_the_screen(client, live_event, forum_moderator):
    question = QuestionFactory(thread=live_event, text="Who pays for the roof?")
    client.force_login(forum_moderator)

    response = client.post(reverse("forums:question_moderate", args=[question.public_id]), {"action": "pin"})

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.pinned
    assert AuditEvent.objects.filter(action="forums.question_pin", actor=forum_moderator).exists()
    screen = client.get(reverse("forums:thread_screen", args=[live_event.forum.slug, live_event.slug]))
    assert "Who pays for the roof?" in screen.content.decode()
    assert 'data-mode="screen"' in screen.content.decode()


def test_an_unknown_action_is_a_bad_request(client, live_event, forum_moderator):
    question = QuestionFactory(thread=live_event)
    client.force_login(forum_moderator)

    response = client.post(reverse("forums:question_moderate", args=[question.public_id]), {"action": "explode"})

    assert response.status_code == 400


def test_a_stale_decision_explains_itself(client, live_event, forum_moderator):
    question = QuestionFactory(thread=live_event, status=QuestionStatus.ANSWERED)
    client.force_login(forum_moderator)

    response = client.post(reverse("forums:question_moderate", args=[question.public_id]), {"action": "answer"})

    assert response.status_code == 400
    assert "changed meanwhile" in response.content.decode()


def test_merging_offers_the_other_open_questions_then_merges(client, live_event, forum_moderator):
    duplicate = QuestionFactory(thread=live_event, text="Pool in June?")
    kept = QuestionFactory(thread=live_event, text="When will the pool reopen?")
    QuestionFactory(thread=live_event, text="Already answered", status=QuestionStatus.ANSWERED)
    client.force_login(forum_moderator)

    page = client.get(reverse("forums:question_merge", args=[duplicate.public_id])).content.decode()
    assert "When will the pool reopen?" in page
    assert "Already answered" not in page

    client.post(
        reverse("forums:question_moderate", args=[duplicate.public_id]), {"action": "merge", "into": kept.public_id}
    )
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept


def test_the_screen_waits_for_a_question_and_redirects_for_discussions(client, live_event, thread):
    screen = client.get(reverse("forums:thread_screen", args=[live_event.forum.slug, live_event.slug]))
    assert "The next question will appear here." in screen.content.decode()

    response = client.get(reverse("forums:thread_screen", args=[thread.forum.slug, thread.slug]))
    assert response.status_code == 302
    assert response.url == thread.get_absolute_url()
