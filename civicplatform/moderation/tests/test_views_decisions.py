from __future__ import annotations

import uuid

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from civicplatform.core.models import AuditEvent
from civicplatform.moderation import services
from civicplatform.moderation.models import ModerationState, Report, ReportCategory, ReportResolution, UserBlock
from civicplatform.moderation.tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


def url(name: str, note) -> str:
    return reverse(f"moderation:{name}", args=["moderation.note", note.public_id])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def reported_note(note_a):
    services.report_create(content=note_a, category=ReportCategory.OFFENSIVE, note="Calls him an idiot", ip_hash="a")
    return note_a


# ---------------------------------------------------------------- the decision page


def test_anonymous_visitors_are_sent_to_log_in(client, note_a):
    response = client.get(url("content", note_a))
    assert response.status_code == 302
    assert "/comptes/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["citizen", "resident", "moderator_b", "blocked"])
def test_people_who_do_not_moderate_the_space_are_refused(client, request, persona, note_a):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url("content", note_a)).status_code == 403


def test_unknown_content_is_not_found(client, moderator_a, note_a):
    client.force_login(moderator_a)
    response = client.get(reverse("moderation:content", args=["moderation.note", uuid.uuid4()]))
    assert response.status_code == 404


def test_the_moderator_of_the_space_sees_the_content_its_reports_and_the_decisions(client, moderator_a, reported_note):
    client.force_login(moderator_a)
    response = client.get(url("content", reported_note))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Décision de modération</h1>" in page
    assert "The new cycle lane on rue Victor Hugo is dangerous." in page
    assert "Calls him an idiot" in page
    assert "Visiteur sans compte" in page
    assert "Masquer le contenu" in page
    assert "Classer les signalements sans suite" in page
    # Only staff and site-wide moderators block people.
    assert "Bloquer cette personne" not in page


def test_a_site_moderator_is_offered_to_block_the_author(client, site_moderator, note_a):
    client.force_login(site_moderator)
    assert "Bloquer Camille" in client.get(url("content", note_a)).content.decode()


# ---------------------------------------------------------------- hide


def test_hiding_is_post_only(client, moderator_a, note_a):
    client.force_login(moderator_a)
    assert client.get(url("hide", note_a)).status_code == 405


def test_hiding_without_a_reason_is_refused_with_an_explanation(client, moderator_a, note_a):
    client.force_login(moderator_a)
    response = client.post(url("hide", note_a), {"hide-reason": ""})
    assert response.status_code == 400
    assert "Champ requis." in response.content.decode()
    note_a.refresh_from_db()
    assert note_a.moderation_state == ModerationState.VISIBLE


def test_another_space_moderator_cannot_hide(client, moderator_b, note_a):
    client.force_login(moderator_b)
    assert client.post(url("hide", note_a), {"hide-reason": "Off-topic"}).status_code == 403
    note_a.refresh_from_db()
    assert not note_a.is_hidden


def test_a_moderator_hides_content_and_readers_see_the_reason(
    client, moderator_a, reported_note, django_capture_on_commit_callbacks
):
    client.force_login(moderator_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url("hide", reported_note), {"hide-reason": "Insult (charter, rule 2)"})
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:queue")
    assert messages_of(response) == ["Le contenu est masqué. Les lecteurs voient votre motif à sa place."]
    reported_note.refresh_from_db()
    assert reported_note.moderation_state == ModerationState.HIDDEN
    assert reported_note.moderation_reason == "Insult (charter, rule 2)"
    assert Report.objects.get().resolution == ReportResolution.HIDDEN
    assert AuditEvent.objects.get(action="moderation.content_hide").actor == moderator_a
    assert callbacks
    page = client.get(url("content", reported_note)).content.decode()
    assert "Contenu masqué par la modération\u00a0: Insult (charter, rule 2)" in page
    assert "Masqué par un modérateur · ModeratriceNord" in page


# ---------------------------------------------------------------- restore


def test_restoring_visible_content_is_refused_with_an_explanation(client, moderator_a, note_a):
    client.force_login(moderator_a)
    response = client.post(url("restore", note_a), {"restore-reason": "Checked"})
    assert response.status_code == 400
    assert "Ce contenu est déjà visible." in response.content.decode()


def test_restoring_needs_a_reason(client, moderator_a, note_a):
    services.content_hide(content=note_a, actor=moderator_a, reason="Doubtful")
    client.force_login(moderator_a)
    response = client.post(url("restore", note_a), {"restore-reason": " "})
    assert response.status_code == 400
    note_a.refresh_from_db()
    assert note_a.is_hidden


def test_a_moderator_restores_hidden_content(client, moderator_a, note_a):
    services.content_hide(content=note_a, actor=moderator_a, reason="Doubtful")
    client.force_login(moderator_a)
    response = client.post(url("restore", note_a), {"restore-reason": "Fair criticism after all"})
    assert response.status_code == 302
    note_a.refresh_from_db()
    assert note_a.moderation_state == ModerationState.VISIBLE
    assert AuditEvent.objects.get(action="moderation.content_restore").reason == "Fair criticism after all"


# ---------------------------------------------------------------- dismiss


def test_dismissing_without_open_reports_is_refused(client, moderator_a, note_a):
    client.force_login(moderator_a)
    response = client.post(url("dismiss", note_a), {"dismiss-reason": ""})
    assert response.status_code == 400
    assert "Aucun signalement n’attend de décision sur ce contenu." in response.content.decode()


def test_a_moderator_dismisses_the_reports(client, moderator_a, reported_note):
    client.force_login(moderator_a)
    response = client.post(url("dismiss", reported_note), {"dismiss-reason": "A fair opinion"})
    assert response.status_code == 302
    assert messages_of(response) == ["1 signalement classé sans suite."]
    assert Report.objects.get().resolution == ReportResolution.DISMISSED
    assert not Report.objects.open().exists()


# ---------------------------------------------------------------- block the author


def test_a_space_moderator_cannot_block_the_author(client, moderator_a, note_a):
    client.force_login(moderator_a)
    assert client.post(url("block_author", note_a), {"block-reason": "Insults"}).status_code == 403
    assert not UserBlock.objects.exists()


def test_blocking_needs_a_justification(client, site_moderator, note_a):
    client.force_login(site_moderator)
    response = client.post(url("block_author", note_a), {"block-reason": ""})
    assert response.status_code == 400
    assert "Champ requis." in response.content.decode()
    assert not UserBlock.objects.exists()


def test_blocking_twice_is_explained(client, site_moderator, note_a, resident):
    UserBlock.objects.create(user=resident, reason="Earlier")
    client.force_login(site_moderator)
    response = client.post(url("block_author", note_a), {"block-reason": "Insults again"})
    assert response.status_code == 400
    assert "Cette personne est déjà bloquée." in response.content.decode()


def test_content_without_an_author_has_nobody_to_block(client, site_moderator, space_a):
    note = NoteFactory(space=space_a, author=None)
    client.force_login(site_moderator)
    assert client.post(url("block_author", note), {"block-reason": "Insults"}).status_code == 404


def test_a_site_moderator_blocks_the_author_with_a_justification(
    client, site_moderator, note_a, resident, django_capture_on_commit_callbacks
):
    client.force_login(site_moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("block_author", note_a), {"block-reason": "Third insult this month"})
    assert response.status_code == 302
    assert messages_of(response) == ["Camille est bloqué·e."]
    block = UserBlock.objects.get(user=resident)
    assert (block.reason, block.blocked_by) == ("Third insult this month", site_moderator)
    event = AuditEvent.objects.get(action="moderation.user_block")
    assert event.data["public_id"] == str(note_a.public_id)


def test_the_decision_page_is_read_only(client, moderator_a, note_a):
    client.force_login(moderator_a)
    assert client.post(url("content", note_a)).status_code == 405
