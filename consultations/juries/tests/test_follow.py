"""Following a jury through the generic follow address: a jury that is not published stays hidden."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicplatform.notifications.models import Follow

from .factories import make_jury

pytestmark = pytest.mark.django_db


def _follow_url(jury) -> str:
    return reverse("notifications:follow", args=["juries.jury", jury.pk])


def test_a_resident_follows_a_published_jury(client, resident):
    jury = make_jury()
    client.force_login(resident)

    response = client.post(_follow_url(jury), {"action": "follow"})

    assert response.status_code == 302
    assert Follow.objects.filter(user=resident, object_id=str(jury.pk)).exists()


def test_an_unpublished_jury_cannot_be_followed_or_seen_by_a_resident(client, resident):
    jury = make_jury(published=False)
    client.force_login(resident)

    for response in (client.get(_follow_url(jury)), client.post(_follow_url(jury), {"action": "follow"})):
        assert response.status_code == 404
        assert jury.title not in response.content.decode()
    assert not Follow.objects.exists()
