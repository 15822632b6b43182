"""Forums and thread pages as readers, participants and moderators use them."""

from __future__ import annotations

import re

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from civicplatform.accounts.models import VerificationLevel
from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.core.models import AuditEvent
from civicplatform.moderation.models import ModerationState, UserBlock
from forums.models import Alignment, Comment, Thread, ThreadKind
from forums.tests.factories import CommentFactory, ThreadFactory

pytestmark = pytest.mark.django_db


def comment_ids(html: str) -> list[str]:
    return re.findall(r'<li class="comment comment--depth-\d" id="comment-([0-9a-f-]+)"', html)


# ---------------------------------------------------------------- urls


@pytest.mark.parametrize(
    ("name", "args", "path"),
    [
        ("index", [], "/forums/"),
        ("forum", ["conseil-nord"], "/forums/conseil-nord/"),
        ("thread_create", ["conseil-nord"], "/forums/conseil-nord/nouveau/"),
        ("thread", ["conseil-nord", "budget"], "/forums/conseil-nord/budget/"),
        ("thread_events", ["conseil-nord", "budget"], "/forums/conseil-nord/budget/evenements/"),
        ("thread_close", ["conseil-nord", "budget"], "/forums/conseil-nord/budget/cloturer/"),
        ("thread_screen", ["conseil-nord", "budget"], "/forums/conseil-nord/budget/ecran/"),
        ("question_ask", ["conseil-nord", "budget"], "/forums/conseil-nord/budget/questions/"),
    ],
)
def test_urls_round_trip(name, args, path):
    assert reverse(f"forums:{name}", args=args) == path
    assert resolve(path).view_name == f"forums:{name}"


# ---------------------------------------------------------------- index and forum pages


def test_the_index_lists_public_forums_but_hides_members_only_ones_from_outsiders(client, forum, council, outsider):
    client.force_login(outsider)

    html = client.get("/forums/").content.decode()

    assert "Place du marché" in html
    assert "Conseil de quartier Nord" not in html
    assert html.count("<h1") == 1


def test_members_see_their_members_only_forum_in_the_index(client, forum, council, council_member):
    client.force_login(council_member)

    html = client.get("/forums/").content.decode()

    assert "Conseil de quartier Nord" in html
    assert "Members only" in html


def test_a_site_address_in_the_forum_description_becomes_a_link_and_markup_stays_text(client, forum):
    forum.description = "Back to the council: /quartiers/nord/ and https://example.org/a/\n\n<b>bold</b>"
    forum.save()

    html = client.get(forum.get_absolute_url()).content.decode()

    assert '<a href="/quartiers/nord/">/quartiers/nord/</a>' in html
    assert 'href="/a/"' not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_the_forum_page_lists_threads_with_their_post_counts(client, thread):
    CommentFactory.create_batch(3, target=thread)
    ThreadFactory(forum=thread.forum, title="Night buses", kind=ThreadKind.DEBATE)

    html = client.get(thread.forum.get_absolute_url()).content.decode()

    assert "More trees on the square?" in html
    assert "3 posts" in html
    assert "Debate" in html
    assert "Log in to start a discussion" in html


def test_a_members_only_forum_is_not_found_for_outsiders_and_anonymous(client, council, outsider):
    assert client.get(council.get_absolute_url()).status_code == 404
    client.force_login(outsider)
    assert client.get(council.get_absolute_url()).status_code == 404


def test_the_forum_page_only_accepts_get(client, forum):
    assert client.post(forum.get_absolute_url()).status_code == 405


def test_the_thread_list_costs_a_constant_number_of_queries(client, forum, django_assert_max_num_queries):
    def add_threads(count: int) -> None:
        for _index in range(count):
            thread = ThreadFactory(forum=forum)
            CommentFactory(target=thread)

    add_threads(2)
    client.get(forum.get_absolute_url())  # warm the site chrome's caches
    with django_assert_max_num_queries(30) as small:
        client.get(forum.get_absolute_url())
    add_threads(23)

    # The forum, the count, the page of threads with their counts; the rest is the site chrome.
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(forum.get_absolute_url())

    assert response.content.decode().count('class="thread-item"') == 20


# ---------------------------------------------------------------- starting a thread


def test_anonymous_is_sent_to_log_in_to_start_a_thread(client, forum):
    response = client.get(reverse("forums:thread_create", args=[forum.slug]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_an_outsider_cannot_start_a_thread_in_a_members_only_forum(client, council, outsider):
    client.force_login(outsider)

    assert client.get(reverse("forums:thread_create", args=[council.slug])).status_code == 404


def test_a_blocked_person_is_told_why_they_cannot_start_a_thread(client, forum, citizen, staff):
    UserBlock.objects.create(user=citizen, reason="Spam", blocked_by=staff)
    client.force_login(citizen)

    response = client.get(reverse("forums:thread_create", args=[forum.slug]))

    assert response.status_code == 403
    assert "blocked your account" in response.content.decode()


def test_starting_a_thread_with_an_empty_text_shows_the_field_error(client, forum, citizen):
    client.force_login(citizen)

    response = client.post(
        reverse("forums:thread_create", args=[forum.slug]), {"thread-title": "Bike lanes", "thread-text": ""}
    )

    assert response.status_code == 400
    assert 'aria-describedby="id_thread-text' in response.content.decode()
    assert 'value="Bike lanes"' in response.content.decode()
    assert not Thread.objects.exists()


def test_a_participant_starts_a_discussion_but_cannot_choose_a_debate(client, forum, citizen):
    client.force_login(citizen)
    url = reverse("forums:thread_create", args=[forum.slug])

    assert 'name="thread-kind"' not in client.get(url).content.decode()
    response = client.post(
        url, {"thread-title": "Bike lanes on Rue Haute", "thread-text": "Could we?", "thread-kind": "debate"}
    )

    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response.url == "/forums/place-du-marche/bike-lanes-on-rue-haute/"
    assert thread.kind == ThreadKind.DISCUSSION
    assert thread.author == citizen


def test_a_forum_moderator_opens_a_debate(client, forum, forum_moderator):
    client.force_login(forum_moderator)

    client.post(
        reverse("forums:thread_create", args=[forum.slug]),
        {"thread-title": "Car-free market street?", "thread-text": "", "thread-kind": "debate"},
    )

    assert Thread.objects.get().kind == ThreadKind.DEBATE


# ---------------------------------------------------------------- thread page


def test_the_thread_page_shows_the_opening_text_the_comments_and_the_live_island(client, thread, citizen):
    comment = CommentFactory(target=thread, source="Plane trees please")
    client.force_login(citizen)

    html = client.get(thread.get_absolute_url()).content.decode()

    assert html.count("<h1") == 1
    assert "More trees on the square?" in html
    assert "Let us talk about it." in html
    assert "Plane trees please" in html
    assert f'id="{comment.anchor}"' in html
    assert 'data-widget="forum-live"' in html
    assert f'data-socket-path="/ws/forums/fils/{thread.public_id}/"' in html
    assert 'data-events-url="/forums/place-du-marche/arbres/evenements/"' in html
    assert 'data-last-seq="0"' in html
    assert 'data-viewer="participant"' in html
    assert 'aria-live="polite"' in html
    assert 'action="/forums/commentaires/forums.thread/' in html
    assert "js/forums-live.js" in html


def test_anonymous_readers_of_a_public_thread_get_the_page_and_a_log_in_link(client, thread):
    html = client.get(thread.get_absolute_url()).content.decode()

    assert "Log in to comment" in html
    assert 'data-viewer="anonymous"' in html
    assert 'data-viewer-key=""' in html


def test_a_members_only_thread_is_not_found_for_outsiders(client, council_thread, outsider):
    client.force_login(outsider)

    assert client.get(council_thread.get_absolute_url()).status_code == 404


def test_members_read_and_comment_a_members_only_thread(client, council_thread, council_member):
    client.force_login(council_member)

    html = client.get(council_thread.get_absolute_url()).content.decode()

    assert "Budget 2027 priorities" in html
    assert "<textarea" in html


def test_an_outsider_cannot_post_in_a_members_only_thread(client, council_thread, outsider):
    client.force_login(outsider)
    url = reverse("forums:comment_create", args=["forums.thread", council_thread.public_id])

    response = client.post(url, {"comment-text": "Let me in"})

    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_a_site_wide_moderator_who_is_not_a_member_neither_sees_nor_posts_in_a_members_only_forum(
    client, forum, council, council_thread, moderator
):
    client.force_login(moderator)

    assert "Conseil de quartier Nord" not in client.get("/forums/").content.decode()
    assert "Place du marché" in client.get("/forums/").content.decode()
    assert client.get(council.get_absolute_url()).status_code == 404
    assert client.get(council_thread.get_absolute_url()).status_code == 404
    url = reverse("forums:comment_create", args=["forums.thread", council_thread.public_id])
    assert client.post(url, {"comment-text": "Moderator passing by"}).status_code == 404
    assert not Comment.objects.exists()


def test_staff_and_the_forums_own_moderators_read_a_members_only_forum(client, council, council_thread, staff):
    from civicplatform.accounts.tests.factories import ResidentFactory
    from forums.models import MembershipRole
    from forums.services import membership_set

    own_moderator = ResidentFactory(pseudonym="Garante")
    membership_set(forum=council, user=own_moderator, role=MembershipRole.MODERATOR, actor=staff)

    for person in (staff, own_moderator):
        client.force_login(person)
        assert "Conseil de quartier Nord" in client.get("/forums/").content.decode()
        assert "Budget 2027 priorities" in client.get(council_thread.get_absolute_url()).content.decode()


def test_the_composer_of_a_members_only_thread_says_who_reads_it(client, council_thread, council_member):
    client.force_login(council_member)

    html = client.get(council_thread.get_absolute_url()).content.decode()

    assert "only the members of this forum and the organising team can read it" in html
    assert "comments are public" not in html


def test_the_composer_of_a_public_thread_says_comments_are_public(client, thread, citizen):
    client.force_login(citizen)

    assert "comments are public" in client.get(thread.get_absolute_url()).content.decode()


def test_starting_a_thread_in_a_members_only_forum_says_who_reads_it(client, council, council_member):
    client.force_login(council_member)

    html = client.get(reverse("forums:thread_create", args=[council.slug])).content.decode()

    assert "only the members of this forum and the organising team can read it" in html
    assert "comments are public" not in html


def test_an_outsider_cannot_reply_to_or_react_to_a_members_only_comment(client, council_thread, outsider):
    comment = CommentFactory(target=council_thread)
    client.force_login(outsider)

    assert client.get(reverse("forums:comment_reply", args=[comment.public_id])).status_code == 404
    assert client.post(reverse("forums:comment_react", args=[comment.public_id]), {"value": "up"}).status_code == 404


def test_a_thread_page_with_a_thousand_posts_is_paginated_at_a_constant_query_count(
    client, thread, citizen, django_assert_max_num_queries
):
    authors = UserFactory.create_batch(5)
    for index in range(10):
        CommentFactory(target=thread, author=authors[index % 5])
    client.force_login(citizen)
    client.get(thread.get_absolute_url())  # warm the site chrome's caches
    with django_assert_max_num_queries(40) as small:
        client.get(thread.get_absolute_url())
    few = len(small.captured_queries)

    Comment.objects.bulk_create(
        [
            Comment(target=thread, author=authors[index % 5], source=f"Post {index}", body=f"<p>Post {index}</p>")
            for index in range(990)
        ]
    )
    assert Comment.objects.for_target(thread).count() == 1000
    with django_assert_max_num_queries(few) as large:
        response = client.get(thread.get_absolute_url() + "?tri_commentaires=recents")

    html = response.content.decode()
    assert len(comment_ids(html)) == 20
    assert "Page 1 of 50" in html
    assert len(large.captured_queries) <= few


def test_a_debate_shows_its_sides_in_columns_with_a_label_on_each_contribution(client, debate, citizen):
    CommentFactory(target=debate, alignment=Alignment.FOR, source="Safer for children")
    CommentFactory(target=debate, alignment=Alignment.AGAINST, source="Deliveries get harder")
    client.force_login(citizen)

    html = client.get(debate.get_absolute_url()).content.decode()

    for_column = html.split('data-comment-list="for"')[1].split("</ol>")[0]
    against_column = html.split('data-comment-list="against"')[1].split("</ol>")[0]
    assert "Safer for children" in for_column
    assert "Deliveries get harder" in against_column
    assert '<span class="alignment alignment--for">For</span>' in for_column
    assert 'name="comment-alignment"' in html
    assert "No contribution on this side yet." in html  # the neutral side


def test_a_debate_contribution_without_a_side_is_refused_with_the_field_error(client, debate, citizen):
    client.force_login(citizen)
    url = reverse("forums:comment_create", args=["forums.thread", debate.public_id])

    response = client.post(url, {"comment-text": "I think so", "next": debate.get_absolute_url()})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert "I think so" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_debate_contribution_takes_its_side(client, debate, citizen):
    client.force_login(citizen)
    url = reverse("forums:comment_create", args=["forums.thread", debate.public_id])

    client.post(url, {"comment-text": "Yes", "comment-alignment": "against", "next": debate.get_absolute_url()})

    assert Comment.objects.get().alignment == Alignment.AGAINST


def test_quote_prefills_the_reply_with_the_quoted_text(client, thread, citizen):
    comment = CommentFactory(target=thread, source="Plane trees\ngive shade")
    client.force_login(citizen)

    html = client.get(reverse("forums:comment_reply", args=[comment.public_id]) + "?citer=1").content.decode()

    assert "&gt; Plane trees\n&gt; give shade\n" in html


# ---------------------------------------------------------------- closing


def test_only_moderators_of_the_forum_may_close_a_thread(client, thread, citizen, forum_moderator):
    url = reverse("forums:thread_close", args=[thread.forum.slug, thread.slug])
    client.force_login(citizen)
    assert client.get(url).status_code == 403

    client.force_login(forum_moderator)
    assert client.get(url).status_code == 200
    assert "Close the discussion" in client.get(thread.get_absolute_url()).content.decode()


def test_closing_without_conclusions_shows_the_field_error(client, thread, forum_moderator):
    client.force_login(forum_moderator)

    response = client.post(reverse("forums:thread_close", args=[thread.forum.slug, thread.slug]), {})

    assert response.status_code == 400
    assert 'aria-describedby="id_close-conclusion' in response.content.decode()
    thread.refresh_from_db()
    assert not thread.is_closed


def test_closing_publishes_the_conclusions_and_makes_the_thread_read_only(
    client, thread, forum_moderator, citizen, django_capture_on_commit_callbacks
):
    comment = CommentFactory(target=thread)
    client.force_login(forum_moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("forums:thread_close", args=[thread.forum.slug, thread.slug]),
            {"close-conclusion": "Forty trees will be planted in autumn."},
        )

    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.is_closed
    assert AuditEvent.objects.filter(action="forums.thread_close", actor=forum_moderator).exists()
    client.force_login(citizen)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Forty trees will be planted in autumn." in html
    assert "This discussion is closed." in html
    assert "<textarea" not in html
    assert client.post(reverse("forums:comment_react", args=[comment.public_id]), {"value": "up"}).status_code == 403
    assert client.post(
        reverse("forums:thread_close", args=[thread.forum.slug, thread.slug]), {"close-conclusion": "Again"}
    ).status_code in {403, 404}


def test_closing_only_accepts_get_and_post(client, thread, forum_moderator):
    client.force_login(forum_moderator)

    assert client.put(reverse("forums:thread_close", args=[thread.forum.slug, thread.slug])).status_code == 405


# ---------------------------------------------------------------- catch-up endpoint


def test_the_events_endpoint_returns_what_a_page_missed(client, thread, citizen, resident):
    from forums.services import comment_create

    first = comment_create(author=citizen, target=thread, text="First")
    second = comment_create(author=resident, target=thread, text="Second")

    data = client.get(reverse("forums:thread_events", args=[thread.forum.slug, thread.slug]) + "?apres=1").json()

    assert data["last_seq"] == 2
    assert data["reload"] is False
    assert [event["seq"] for event in data["events"]] == [2]
    assert data["events"][0]["kind"] == "comment.created"
    assert data["events"][0]["id"] == second.anchor
    assert "Second" in data["events"][0]["html"]
    assert first.anchor not in data["events"][0]["html"]


@pytest.mark.parametrize("after", ["", "abc", "-3"])
def test_the_events_endpoint_refuses_a_missing_or_negative_number(client, thread, after):
    response = client.get(reverse("forums:thread_events", args=[thread.forum.slug, thread.slug]) + f"?apres={after}")

    assert response.status_code == 400
    assert "last event seen" in response.json()["error"]


def test_the_events_endpoint_of_a_members_only_thread_is_not_found_for_outsiders(client, council_thread, outsider):
    client.force_login(outsider)

    url = reverse("forums:thread_events", args=[council_thread.forum.slug, council_thread.slug]) + "?apres=0"
    assert client.get(url).status_code == 404


def test_the_events_endpoint_only_accepts_get(client, thread):
    url = reverse("forums:thread_events", args=[thread.forum.slug, thread.slug])

    assert client.post(url + "?apres=0").status_code == 405


# ---------------------------------------------------------------- moderation


def test_a_hidden_thread_shows_the_reason_and_takes_no_comment(client, thread, citizen):
    Thread.objects.filter(pk=thread.pk).update(
        moderation_state=ModerationState.HIDDEN, moderation_reason="Advertising", moderated_at=timezone.now()
    )
    client.force_login(citizen)

    html = client.get(thread.get_absolute_url()).content.decode()

    assert "Let us talk about it." not in html
    assert "Advertising" in html
    assert "<textarea" not in html


def test_an_unconfirmed_account_reads_but_does_not_get_the_composer(client, thread):
    client.force_login(UserFactory(verification_level=VerificationLevel.NONE))

    html = client.get(thread.get_absolute_url()).content.decode()

    assert "Confirm your e-mail address" in html
    assert 'data-viewer="anonymous"' in html


# ---------------------------------------------------------------- reporting


def test_a_participant_reports_a_comment_from_the_thread_page(client, thread, citizen, resident):
    from civicplatform.moderation.models import Report

    comment = CommentFactory(target=thread, author=resident, source="Buy cheap watches here")
    client.force_login(citizen)
    page = client.get(thread.get_absolute_url()).content.decode()
    links = re.findall(r'<a class="report-link" href="([^"]+)"', page)
    comment_link = next(link for link in links if str(comment.public_id) in link)

    response = client.post(comment_link.split("?")[0], {"category": "spam", "next": thread.get_absolute_url()})

    assert response.status_code == 302
    assert response.url.startswith(thread.get_absolute_url())
    report = Report.objects.get()
    assert report.content == comment
    assert report.reporter == citizen


def test_reports_from_a_members_only_forum_stay_out_of_a_site_wide_moderators_queue(
    client, council, council_thread, council_member, moderator, staff
):
    from civicplatform.accounts.tests.factories import ResidentFactory
    from civicplatform.moderation.models import ReportCategory
    from civicplatform.moderation.services import report_create
    from forums.models import MembershipRole
    from forums.services import membership_set
    from forums.tests.factories import CommentFactory

    comment = CommentFactory(target=council_thread, author=council_member, source="Deliberation in confidence")
    from forums.tests.factories import MembershipFactory

    other_member = MembershipFactory(forum=council, user=ResidentFactory(pseudonym="Voisine")).user
    report_create(content=comment, category=ReportCategory.SPAM, reporter=other_member)
    content_url = reverse("moderation:content", args=[comment.moderation_content_key, comment.public_id])
    own_moderator = ResidentFactory(pseudonym="Garante")
    membership_set(forum=council, user=own_moderator, role=MembershipRole.MODERATOR, actor=staff)

    client.force_login(moderator)
    assert "Deliberation in confidence" not in client.get(reverse("moderation:queue")).content.decode()
    assert client.get(content_url).status_code == 403
    for person in (staff, own_moderator):
        client.force_login(person)
        assert "Deliberation in confidence" in client.get(reverse("moderation:queue")).content.decode()
        assert client.get(content_url).status_code == 200
