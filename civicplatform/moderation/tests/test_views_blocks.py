from __future__ import annotations

import pytest
from django.urls import reverse

from civicplatform.core.models import AuditEvent
from civicplatform.moderation.models import UserBlock

pytestmark = pytest.mark.django_db

LIST = "/moderation/bloques/"


def unblock_url(block) -> str:
    return reverse("moderation:unblock", args=[block.public_id])


def test_the_list_url():
    assert reverse("moderation:blocked_users") == LIST


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(LIST).status_code == 302


@pytest.mark.parametrize("persona", ["citizen", "moderator_a", "blocked"])
def test_only_staff_and_site_moderators_see_blocked_people(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403


@pytest.mark.parametrize("persona", ["site_moderator", "staff"])
def test_blocked_people_are_listed_with_their_justification(client, request, persona, blocked):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Personnes bloquées</h1>" in page
    assert "Bloque" in page
    assert "Repeated insults" in page
    assert unblock_url(blocked.block) in page


def test_unblocking_is_post_only(client, staff, blocked):
    client.force_login(staff)
    assert client.get(unblock_url(blocked.block)).status_code == 405


def test_a_space_moderator_cannot_unblock(client, moderator_a, blocked):
    client.force_login(moderator_a)
    prefix = f"unblock-{blocked.block.public_id}"
    assert client.post(unblock_url(blocked.block), {f"{prefix}-reason": "Sorry"}).status_code == 403
    assert UserBlock.objects.filter(user=blocked).exists()


def test_unblocking_needs_a_reason(client, staff, blocked):
    client.force_login(staff)
    response = client.post(unblock_url(blocked.block), {f"unblock-{blocked.block.public_id}-reason": ""})
    assert response.status_code == 400
    assert "Champ requis." in response.content.decode()
    assert UserBlock.objects.filter(user=blocked).exists()


def test_staff_lift_a_block_and_the_audit_log_keeps_why(client, staff, blocked):
    client.force_login(staff)
    block = blocked.block
    response = client.post(unblock_url(block), {f"unblock-{block.public_id}-reason": "Apologised at the town hall"})
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert not UserBlock.objects.filter(user=blocked).exists()
    event = AuditEvent.objects.get(action="moderation.user_unblock")
    assert (event.actor, event.reason) == (staff, "Apologised at the town hall")
    assert "Personne n’est bloqué." in client.get(LIST).content.decode()


def test_the_list_is_read_only(client, staff):
    client.force_login(staff)
    assert client.post(LIST).status_code == 405
