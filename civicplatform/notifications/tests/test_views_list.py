from __future__ import annotations

import pytest
from django.urls import reverse

from civicplatform.notifications.models import Notification

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("notifications:list")


def test_anonymous_is_sent_to_login(client):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_list_is_read_only(client, resident):
    client.force_login(resident)

    assert client.post(LIST_URL).status_code == 405


def test_a_person_sees_their_own_notifications_newest_first_with_unread_marked(client, resident, other_resident):
    NotificationFactory(recipient=resident, title="Ancienne nouvelle")
    NotificationFactory(recipient=resident, title="Projet retenu au vote")
    NotificationFactory(recipient=other_resident, title="Pas pour vous")
    client.force_login(resident)

    response = client.get(LIST_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Projet retenu au vote" in html
    assert html.index("Projet retenu au vote") < html.index("Ancienne nouvelle")
    assert "Pas pour vous" not in html
    assert 'href="/budgets/jardin-partage/"' in html
    assert response.context["unread"] == 2


def test_the_list_is_paginated_with_a_constant_number_of_queries(client, resident, django_assert_max_num_queries):
    client.force_login(resident)
    client.get(LIST_URL)  # the first page view of a fresh site creates its settings rows
    NotificationFactory.create_batch(3, recipient=resident)
    with django_assert_max_num_queries(30) as few:
        client.get(LIST_URL)
    NotificationFactory.create_batch(45, recipient=resident)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST_URL, {"page": 2})

    assert len(response.context["page_obj"].object_list) == 20
    assert "Page 2 sur 3" in response.content.decode()


def test_a_nonsense_page_number_shows_a_page_rather_than_an_error(client, resident):
    NotificationFactory(recipient=resident)
    client.force_login(resident)

    assert client.get(LIST_URL, {"page": "beaucoup"}).status_code == 200


def test_marking_one_notification_read_needs_post(client, resident):
    notification = NotificationFactory(recipient=resident)
    client.force_login(resident)

    assert client.get(reverse("notifications:mark_read", args=[notification.public_id])).status_code == 405


def test_marking_one_notification_read_returns_to_the_same_page(client, resident):
    notification = NotificationFactory(recipient=resident)
    other = NotificationFactory(recipient=resident)
    client.force_login(resident)

    response = client.post(
        reverse("notifications:mark_read", args=[notification.public_id]), {"next": f"{LIST_URL}?page=1"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{LIST_URL}?page=1"
    notification.refresh_from_db()
    other.refresh_from_db()
    assert notification.read_at is not None
    assert other.read_at is None


def test_marking_read_ignores_a_next_address_on_another_site(client, resident):
    notification = NotificationFactory(recipient=resident)
    client.force_login(resident)

    response = client.post(
        reverse("notifications:mark_read", args=[notification.public_id]), {"next": "https://evil.example/"}
    )

    assert response["Location"] == LIST_URL


def test_someone_elses_notification_cannot_be_marked_read(client, resident, other_resident):
    notification = NotificationFactory(recipient=other_resident)
    client.force_login(resident)

    response = client.post(reverse("notifications:mark_read", args=[notification.public_id]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_anonymous_cannot_mark_read(client, resident):
    notification = NotificationFactory(recipient=resident)

    response = client.post(reverse("notifications:mark_read", args=[notification.public_id]))

    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_only_touches_my_notifications(client, resident, other_resident):
    NotificationFactory.create_batch(3, recipient=resident)
    theirs = NotificationFactory(recipient=other_resident)
    client.force_login(resident)

    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    response = client.post(reverse("notifications:mark_all_read"), follow=True)

    assert not Notification.objects.filter(recipient=resident, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert response.context["unread"] == 0
    assert "Toutes vos notifications sont marquées comme lues." in response.content.decode()
