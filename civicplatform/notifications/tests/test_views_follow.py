from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from wagtail.models import Page

from civicplatform.core import registry
from civicplatform.notifications.models import Follow, Notification

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


def _url(model: str, ref) -> str:
    return reverse("notifications:follow", kwargs={"model": model, "ref": str(ref)})


@pytest.fixture
def district_url(followable, district):
    return _url("territory.district", district.pk)


def test_anonymous_is_sent_to_login_and_nothing_is_followed(client, district_url):
    for response in (client.get(district_url), client.post(district_url, {"action": "follow"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert not Follow.objects.exists()


def test_the_page_shows_whether_i_follow(client, resident, district, district_url):
    client.force_login(resident)

    html = client.get(district_url).content.decode()

    assert f"Suivre « {district} »" in html
    assert 'aria-pressed="false"' in html
    assert 'name="action" value="follow"' in html


def test_following_then_unfollowing(client, resident, district, district_url):
    client.force_login(resident)

    response = client.post(district_url, {"action": "follow", "next": "/budgets/"})

    assert response.status_code == 302
    assert response["Location"] == "/budgets/"
    follow = Follow.objects.get(user=resident)
    assert follow.object_id == str(district.pk)
    html = client.get(district_url).content.decode()
    assert 'aria-pressed="true"' in html
    assert 'name="action" value="unfollow"' in html

    client.post(district_url, {"action": "unfollow"})

    assert not Follow.objects.exists()


def test_following_twice_keeps_one_follow(client, resident, district_url):
    client.force_login(resident)

    client.post(district_url, {"action": "follow"})
    client.post(district_url, {"action": "follow"})

    assert Follow.objects.filter(user=resident).count() == 1


def test_an_invalid_action_is_explained(client, resident, district_url):
    client.force_login(resident)

    response = client.post(district_url, {"action": "like"})

    assert response.status_code == 400
    assert "Choisissez de suivre ou de ne plus suivre." in response.content.decode()
    assert not Follow.objects.exists()


def test_the_follow_address_accepts_only_get_and_post(client, resident, district_url):
    client.force_login(resident)

    assert client.delete(district_url).status_code == 405


@pytest.mark.parametrize(
    ("model", "ref"),
    [
        ("accounts.user", "1"),  # exists, but not registered as followable
        ("nowhere.nothing", "1"),
        ("not-a-model", "1"),
        ("territory.district", "abc"),
        ("territory.district", "999999"),
    ],
)
def test_anything_not_followable_is_not_found(client, resident, followable, model, ref):
    client.force_login(resident)

    assert client.post(_url(model, ref), {"action": "follow"}).status_code == 404
    assert not Follow.objects.exists()


def test_objects_with_a_public_id_are_addressed_by_it(client, resident, monkeypatch):
    # Any model with a public_id UUID will do; notifications have one.
    monkeypatch.setitem(registry._capabilities, "followable", {Notification})
    target = NotificationFactory()
    client.force_login(resident)

    assert client.post(_url("notifications.notification", target.pk), {"action": "follow"}).status_code == 404
    assert client.post(_url("notifications.notification", uuid.uuid4()), {"action": "follow"}).status_code == 404
    response = client.post(_url("notifications.notification", target.public_id), {"action": "follow"})

    assert response.status_code == 302
    assert Follow.objects.get().object_id == str(target.pk)


def test_only_published_pages_can_be_followed(client, resident, followable):
    root = Page.get_first_root_node()
    draft = root.add_child(instance=Page(title="Brouillon", slug="brouillon", live=False))
    published = root.add_child(instance=Page(title="Budget participatif 2026", slug="budget-2026"))
    client.force_login(resident)

    assert client.post(_url("wagtailcore.page", draft.pk), {"action": "follow"}).status_code == 404
    response = client.post(_url("wagtailcore.page", published.pk), {"action": "follow"})

    assert response.status_code == 302
    assert Follow.objects.get().object_id == str(published.pk)
