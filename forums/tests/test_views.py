from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from civicplatform.core.models import AuditEvent
from civicplatform.moderation.models import UserBlock
from forums.models import Comment, Reaction
from forums.tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def create_url(page) -> str:
    return reverse("forums:comment_create", args=["wagtailcore.page", page.pk])


# ---------------------------------------------------------------- urls


ID = "6f1c0a52-3e4c-4a51-9a3f-0f2b7e1d9c11"


@pytest.mark.parametrize(
    ("name", "args", "path"),
    [
        ("comment_create", ["cms.newsarticlepage", "12"], "/forums/commentaires/cms.newsarticlepage/12/publier/"),
        ("comment_reply", [ID], f"/forums/commentaires/{ID}/repondre/"),
        ("comment_edit", [ID], f"/forums/commentaires/{ID}/modifier/"),
        ("comment_delete", [ID], f"/forums/commentaires/{ID}/supprimer/"),
        ("comment_react", [ID], f"/forums/commentaires/{ID}/reagir/"),
    ],
)
def test_urls_round_trip(name, args, path):
    assert reverse(f"forums:{name}", args=args) == path
    assert resolve(path).view_name == f"forums:{name}"


# ---------------------------------------------------------------- publish


def test_anonymous_is_sent_to_log_in_and_back_to_the_discussion(client, article):
    response = client.post(create_url(article), {"comment-text": "Hello"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "budget-news" in response.url
    assert not Comment.objects.exists()


def test_publishing_only_accepts_post(client, citizen, article):
    client.force_login(citizen)

    assert client.get(create_url(article)).status_code == 405


def test_a_target_that_is_not_commentable_is_not_found(client, citizen, other_page):
    client.force_login(citizen)

    response = client.post(create_url(other_page), {"comment-text": "Hello"})

    assert response.status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize("target", ["accounts.user/1", "nope.model/1", "wagtailcore.page/not-a-number"])
def test_unknown_or_unregistered_targets_are_not_found(client, citizen, article, target):
    client.force_login(citizen)

    assert client.post(f"/forums/commentaires/{target}/publier/", {"comment-text": "Hi"}).status_code == 404


def test_publishing_redirects_to_the_new_comment_on_the_page(client, citizen, article):
    client.force_login(citizen)

    response = client.post(create_url(article), {"comment-text": "Plant trees!", "next": "/budget-news/?x=1"})

    comment = Comment.objects.get()
    assert comment.author == citizen
    assert comment.target == article
    assert comment.body == "<p>Plant trees!</p>"
    assert response.status_code == 302
    assert response.url == f"/budget-news/?x=1&tri_commentaires=recents#comment-{comment.public_id}"


def test_an_outside_next_address_is_ignored(client, citizen, article):
    client.force_login(citizen)

    response = client.post(create_url(article), {"comment-text": "Hi", "next": "https://evil.example/"})

    assert response.url.startswith("/budget-news/?")


def test_invalid_text_is_shown_again_with_the_error_and_a_400(client, citizen, article):
    client.force_login(citizen)
    typed = "<script>alert(1)</script>"

    response = client.post(create_url(article), {"comment-text": typed})

    assert response.status_code == 400
    content = response.content.decode()
    assert "Write something before posting." in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert 'aria-describedby="id_comment-text_helptext id_comment-text_error"' in content
    assert not Comment.objects.exists()


def test_too_long_text_is_kept_with_a_400(client, citizen, article):
    client.force_login(citizen)
    typed = "Long " * 1100

    response = client.post(create_url(article), {"comment-text": typed})

    assert response.status_code == 400
    assert typed.strip() in response.content.decode()


def test_a_blocked_person_gets_a_403_that_says_why(client, citizen, staff, article):
    UserBlock.objects.create(user=citizen, reason="Insults", blocked_by=staff)
    client.force_login(citizen)

    response = client.post(create_url(article), {"comment-text": "Hello"})

    assert response.status_code == 403
    assert "blocked your account" in response.content.decode()
    assert not Comment.objects.exists()


def test_posting_too_fast_answers_429_and_keeps_the_text(client, citizen, article, settings):
    settings.FORUMS_COMMENTS_PER_MINUTE = 1
    client.force_login(citizen)
    client.post(create_url(article), {"comment-text": "First"})

    response = client.post(create_url(article), {"comment-text": "Second thoughts"})

    assert response.status_code == 429
    content = response.content.decode()
    assert "wait a minute" in content
    assert "Second thoughts" in content
    assert Comment.objects.count() == 1


# ---------------------------------------------------------------- reply


def test_anonymous_reply_goes_to_log_in(client, article):
    parent = CommentFactory(target=article)

    response = client.get(reverse("forums:comment_reply", args=[parent.public_id]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_reply_form_quotes_the_comment_and_has_a_label(client, citizen, article):
    parent = CommentFactory(target=article, source="Trees please", author__pseudonym="Alix")
    client.force_login(citizen)

    response = client.get(reverse("forums:comment_reply", args=[parent.public_id]), {"next": "/budget-news/"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Reply to Alix</h1>" in content
    assert "Trees please" in content
    assert '<label for="id_comment-text">Your comment' in content


def test_replying_redirects_to_the_reply(client, citizen, article):
    parent = CommentFactory(target=article)
    client.force_login(citizen)

    response = client.post(
        reverse("forums:comment_reply", args=[parent.public_id]),
        {"comment-text": "I agree", "next": "/budget-news/?page_commentaires=2"},
    )

    reply = Comment.objects.get(parent=parent)
    assert response.url == f"/budget-news/?page_commentaires=2#comment-{reply.public_id}"


def test_an_empty_reply_is_a_400(client, citizen, article):
    parent = CommentFactory(target=article)
    client.force_login(citizen)

    response = client.post(reverse("forums:comment_reply", args=[parent.public_id]), {"comment-text": ""})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_reply_rejects_other_methods(client, citizen, article):
    parent = CommentFactory(target=article)
    client.force_login(citizen)

    assert client.put(reverse("forums:comment_reply", args=[parent.public_id])).status_code == 405


# ---------------------------------------------------------------- edit


def test_another_person_cannot_edit(client, resident, article, citizen):
    comment = CommentFactory(target=article, author=citizen)
    client.force_login(resident)

    assert client.get(reverse("forums:comment_edit", args=[comment.public_id])).status_code == 403
    response = client.post(reverse("forums:comment_edit", args=[comment.public_id]), {"comment-text": "Mine now"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.edited_at is None


def test_the_edit_form_starts_from_the_current_text(client, citizen, article):
    comment = CommentFactory(target=article, author=citizen, source="Original words")
    client.force_login(citizen)

    response = client.get(reverse("forums:comment_edit", args=[comment.public_id]))

    assert response.status_code == 200
    assert "Original words</textarea>" in response.content.decode()


def test_editing_saves_and_redirects_to_the_comment(client, citizen, article):
    comment = CommentFactory(target=article, author=citizen)
    client.force_login(citizen)

    response = client.post(
        reverse("forums:comment_edit", args=[comment.public_id]), {"comment-text": "Corrected", "next": "/budget-news/"}
    )

    assert response.url == f"/budget-news/#comment-{comment.public_id}"
    comment.refresh_from_db()
    assert comment.body == "<p>Corrected</p>"
    assert comment.edited_at is not None


def test_an_invalid_edit_keeps_the_text_with_a_400(client, citizen, article):
    comment = CommentFactory(target=article, author=citizen, source="Before")
    client.force_login(citizen)

    response = client.post(reverse("forums:comment_edit", args=[comment.public_id]), {"comment-text": "<b></b>"})

    assert response.status_code == 400
    assert "&lt;b&gt;&lt;/b&gt;" in response.content.decode()
    comment.refresh_from_db()
    assert comment.source == "Before"


# ---------------------------------------------------------------- delete


def test_the_delete_confirmation_page_works_without_javascript(client, citizen, article):
    comment = CommentFactory(target=article, author=citizen)
    client.force_login(citizen)

    response = client.get(reverse("forums:comment_delete", args=[comment.public_id]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Delete the comment?</h1>" in content
    assert 'method="post"' in content
    assert 'name="reason"' not in content


def test_the_author_deletes_and_comes_back_to_the_discussion(client, citizen, article):
    comment = CommentFactory(target=article, author=citizen)
    client.force_login(citizen)

    response = client.post(reverse("forums:comment_delete", args=[comment.public_id]), {"next": "/budget-news/"})

    assert response.url == f"/budget-news/#comment-{comment.public_id}"
    comment.refresh_from_db()
    assert comment.deleted_at is not None


def test_another_participant_cannot_delete(client, resident, citizen, article):
    comment = CommentFactory(target=article, author=citizen)
    client.force_login(resident)

    assert client.post(reverse("forums:comment_delete", args=[comment.public_id])).status_code == 403
    comment.refresh_from_db()
    assert comment.deleted_at is None


def test_a_moderator_must_give_a_reason(client, moderator, citizen, article):
    comment = CommentFactory(target=article, author=citizen)
    client.force_login(moderator)

    response = client.post(reverse("forums:comment_delete", args=[comment.public_id]), {"reason": ""})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    comment.refresh_from_db()
    assert comment.deleted_at is None


def test_a_moderator_deletion_is_audited(client, moderator, citizen, article):
    comment = CommentFactory(target=article, author=citizen)
    client.force_login(moderator)

    response = client.post(reverse("forums:comment_delete", args=[comment.public_id]), {"reason": "Doxxing"})

    assert response.status_code == 302
    assert AuditEvent.objects.for_target(comment).get().reason == "Doxxing"


def test_delete_rejects_other_methods(client, citizen, article):
    comment = CommentFactory(target=article, author=citizen)
    client.force_login(citizen)

    assert client.put(reverse("forums:comment_delete", args=[comment.public_id])).status_code == 405


# ---------------------------------------------------------------- react


def test_reacting_toggles_and_redirects_to_the_comment(client, citizen, article):
    comment = CommentFactory(target=article)
    client.force_login(citizen)
    url = reverse("forums:comment_react", args=[comment.public_id])

    response = client.post(url, {"value": "up", "next": "/budget-news/?tri_commentaires=anciens"})

    assert response.url == f"/budget-news/?tri_commentaires=anciens#comment-{comment.public_id}"
    assert Reaction.objects.get(comment=comment, user=citizen).value == 1
    client.post(url, {"value": "up"})
    assert not Reaction.objects.exists()


def test_anonymous_reaction_goes_to_log_in(client, article):
    comment = CommentFactory(target=article)

    response = client.post(reverse("forums:comment_react", args=[comment.public_id]), {"value": "up"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not Reaction.objects.exists()


def test_reacting_only_accepts_post(client, citizen, article):
    comment = CommentFactory(target=article)
    client.force_login(citizen)

    assert client.get(reverse("forums:comment_react", args=[comment.public_id])).status_code == 405


def test_an_unknown_reaction_is_a_400(client, citizen, article):
    comment = CommentFactory(target=article)
    client.force_login(citizen)

    response = client.post(reverse("forums:comment_react", args=[comment.public_id]), {"value": "love"})

    assert response.status_code == 400
    assert not Reaction.objects.exists()


def test_reacting_to_ones_own_comment_is_refused(client, citizen, article):
    comment = CommentFactory(target=article, author=citizen)
    client.force_login(citizen)

    response = client.post(reverse("forums:comment_react", args=[comment.public_id]), {"value": "up"})

    assert response.status_code == 403
    assert "your own comment" in response.content.decode()


def test_a_comment_on_an_unpublished_page_is_not_found(client, citizen, article):
    comment = CommentFactory(target=article)
    article.live = False
    article.save()
    client.force_login(citizen)

    response = client.post(reverse("forums:comment_react", args=[comment.public_id]), {"value": "up"})

    assert response.status_code == 404
