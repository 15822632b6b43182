"""The {% comments_for object %} section as a reader sees it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone, translation

from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.moderation.models import ModerationState
from forums.models import Comment
from forums.services import comment_create
from forums.tests.factories import CommentFactory, ReactionFactory

pytestmark = pytest.mark.django_db

TEMPLATE = Template("{% load forums_tags %}{% comments_for object %}")


def render_section(target, user=None, **params) -> str:
    request = RequestFactory().get("/budget-news/", params)
    request.user = user or AnonymousUser()
    return TEMPLATE.render(Context({"request": request, "object": target}))


def comment_ids(html: str) -> list[str]:
    return re.findall(r'<li class="comment comment--depth-\d" id="comment-([0-9a-f-]+)"', html)


def make_discussion(target, top_level: int) -> None:
    """`top_level` comments, each with a reply, a reply to the reply and two reactions."""
    authors = UserFactory.create_batch(3)
    for index in range(top_level):
        comment = CommentFactory(target=target, author=authors[index % 3])
        reply = CommentFactory(parent=comment, author=authors[(index + 1) % 3])
        CommentFactory(parent=reply, author=authors[(index + 2) % 3])
        ReactionFactory(comment=comment, user=authors[(index + 1) % 3], value=1)
        ReactionFactory(comment=reply, user=authors[(index + 2) % 3], value=-1)


def test_an_object_that_is_not_commentable_renders_nothing(other_page):
    assert render_section(other_page).strip() == ""


def test_anonymous_readers_see_the_count_and_a_log_in_link(article):
    CommentFactory.create_batch(2, target=article)

    html = render_section(article)

    assert '<h2 id="comments-heading">2 comments</h2>' in html
    assert "Log in to comment" in html
    assert "/comptes/login/?next=%2Fbudget-news%2F%23comments" in html
    assert "<textarea" not in html
    assert 'name="value"' not in html  # no reaction buttons, only counts


def test_a_participant_gets_a_labelled_composer(article, citizen):
    html = render_section(article, citizen)

    assert '<label for="id_comment-text">Your comment' in html
    assert 'action="/forums/commentaires/wagtailcore.page/' in html
    assert '<input type="hidden" name="next" value="/budget-news/">' in html
    assert "No comments yet." in html


def test_a_closed_discussion_says_so_instead_of_the_composer(article, citizen):
    article.live = False  # what a closed discussion looks like for a page

    html = render_section(article, citizen)

    assert "This discussion is closed." in html
    assert "<textarea" not in html


def test_a_comment_shows_its_author_date_and_actions(article, citizen, resident):
    comment = CommentFactory(target=article, author=resident, source="See https://example.org")

    html = render_section(article, citizen)

    assert f'id="comment-{comment.public_id}"' in html
    assert '<span class="comment__author">Camille</span>' in html
    assert f'<time datetime="{timezone.localtime(comment.created_at).isoformat()}' in html
    assert 'rel="nofollow ugc noopener"' in html
    assert f"/forums/commentaires/{comment.public_id}/repondre/?next=%2Fbudget-news%2F" in html
    assert f"/moderation/signaler/forums.comment/{comment.public_id}/" in html
    assert f"/forums/commentaires/{comment.public_id}/modifier/" not in html
    assert resident.email not in html


def test_the_author_can_edit_and_delete_but_not_react(article, citizen):
    comment = CommentFactory(target=article, author=citizen, edited_at=timezone.now())

    html = render_section(article, citizen)

    assert f"/forums/commentaires/{comment.public_id}/modifier/" in html
    assert f"/forums/commentaires/{comment.public_id}/supprimer/" in html
    assert 'name="value"' not in html
    assert "edited</time>" in html


def test_reaction_buttons_show_counts_and_the_pressed_state(article, citizen):
    comment = CommentFactory(target=article)
    ReactionFactory(comment=comment, user=citizen, value=1)
    ReactionFactory(comment=comment, value=1)
    ReactionFactory(comment=comment, value=-1)

    html = render_section(article, citizen)

    up = re.search(
        r'<button class="reaction" type="submit" name="value" value="up" aria-pressed="(\w+)">(.*?)</button>', html
    )
    down = re.search(
        r'<button class="reaction" type="submit" name="value" value="down" aria-pressed="(\w+)">(.*?)</button>', html
    )
    assert up.group(1) == "true"
    assert '<span class="reaction__count">2</span>' in up.group(2)
    assert down.group(1) == "false"
    assert '<span class="reaction__count">1</span>' in down.group(2)


def test_a_hidden_comment_shows_the_reason_instead_of_its_text(article, citizen):
    CommentFactory(
        target=article,
        source="Something hateful",
        moderation_state=ModerationState.HIDDEN,
        moderation_reason="Insults towards another participant",
    )

    html = render_section(article, citizen)

    assert "Something hateful" not in html
    assert "Insults towards another participant" in html
    assert "Content hidden by moderation" in html


def test_a_deleted_comment_stays_as_a_notice_while_it_has_replies(article, citizen):
    deleted_with_reply = CommentFactory(target=article, source="Gone", deleted_at=timezone.now())
    reply = CommentFactory(parent=deleted_with_reply, source="Still here")
    deleted_alone = CommentFactory(target=article, deleted_at=timezone.now())

    html = render_section(article, citizen)

    assert "Comment deleted by its author." in html
    assert "Still here" in html
    assert str(deleted_alone.public_id) not in html
    assert comment_ids(html) == [str(deleted_with_reply.public_id), str(reply.public_id)]
    assert '<h2 id="comments-heading">1 comment</h2>' in html


def test_a_capped_reply_says_whom_it_answers(article, citizen, resident):
    top = CommentFactory(target=article)
    level1 = CommentFactory(parent=top)
    level2 = CommentFactory(parent=level1)
    level3 = CommentFactory(parent=level2, author=resident)
    comment_create(author=citizen, target=article, text="Deep answer", parent=level3)

    html = render_section(article, citizen)

    assert f'In reply to <a href="#comment-{level3.public_id}">@Camille</a>' in html
    assert "comment--depth-4" not in html


def test_sorting_by_newest_oldest_and_best(article, citizen):
    first = CommentFactory(target=article)
    liked = CommentFactory(target=article)
    last = CommentFactory(target=article)
    ReactionFactory.create_batch(2, comment=liked, value=1)
    ReactionFactory(comment=last, value=-1)

    assert comment_ids(render_section(article, citizen, tri_commentaires="anciens")) == [
        str(c.public_id) for c in (first, liked, last)
    ]
    assert comment_ids(render_section(article, citizen, tri_commentaires="recents")) == [
        str(c.public_id) for c in (last, liked, first)
    ]
    best = render_section(article, citizen)
    assert comment_ids(best) == [str(c.public_id) for c in (liked, first, last)]
    assert '<a href="?tri_commentaires=meilleurs#comments" aria-current="true">Best</a>' in best


def test_most_discussed_counts_every_reply_under_a_comment_but_not_deleted_ones(article, citizen):
    quiet = CommentFactory(target=article)
    # One direct reply, answered twice down the chain: three replies in all.
    chain = CommentFactory(target=article)
    CommentFactory(parent=CommentFactory(parent=CommentFactory(parent=chain)))
    # Newer, with two replies and two more that their authors deleted.
    lively = CommentFactory(target=article)
    CommentFactory.create_batch(2, parent=lively)
    CommentFactory.create_batch(2, parent=lively, deleted_at=timezone.now(), source="", body="")

    html = render_section(article, citizen, tri_commentaires="discutes")

    top_level = {str(c.public_id) for c in (quiet, chain, lively)}
    assert [cid for cid in comment_ids(html) if cid in top_level] == [str(c.public_id) for c in (chain, lively, quiet)]
    assert '<a href="?tri_commentaires=discutes#comments" aria-current="true">Most discussed</a>' in html


def test_top_level_comments_come_twenty_per_page(article, citizen):
    CommentFactory.create_batch(25, target=article)

    first_page = render_section(article, citizen, tri_commentaires="anciens")
    second_page = render_section(article, citizen, tri_commentaires="anciens", page_commentaires="2")

    assert len(comment_ids(first_page)) == 20
    assert "Page 1 of 2" in first_page
    assert 'href="?tri_commentaires=anciens&amp;page_commentaires=2#comments" rel="next"' in first_page
    assert len(comment_ids(second_page)) == 5
    assert set(comment_ids(first_page)).isdisjoint(comment_ids(second_page))


@pytest.mark.parametrize("top_level", [2, 20])
def test_the_section_costs_a_constant_number_of_queries(article, citizen, top_level, django_assert_max_num_queries):
    make_discussion(article, top_level)
    # Sixty comments for twenty top-level ones: two counts, the page of top-level comments,
    # their replies, the reactions, and the block and moderator look-ups of the viewer.
    with django_assert_max_num_queries(7):
        html = render_section(article, citizen)

    assert len(comment_ids(html)) == top_level * 3


def test_fifty_comments_with_a_moderator_viewing(article, moderator, django_assert_max_num_queries):
    make_discussion(article, 17)
    assert Comment.objects.count() == 51

    with django_assert_max_num_queries(7):
        html = render_section(article, moderator)

    assert html.count("/supprimer/") == 51


def test_the_section_is_in_french_by_default(article):
    CommentFactory(target=article)

    with translation.override("fr"):
        html = render_section(article)

    assert "1 commentaire" in html
    assert "Se connecter pour commenter" in html
