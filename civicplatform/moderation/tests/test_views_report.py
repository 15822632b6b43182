from __future__ import annotations

import uuid

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from civicplatform.moderation.models import ModerationState, Report
from civicplatform.moderation.tests.factories import NoteFactory
from civicplatform.moderation.tests.testmodels import Note

pytestmark = pytest.mark.django_db


def report_url(note) -> str:
    return reverse("moderation:report", args=["moderation.note", note.public_id])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_anyone_sees_the_report_form_with_the_reasons_and_the_content(client, note_a):
    response = client.get(report_url(note_a))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Signaler un contenu</h1>" in page
    assert "Spam ou publicité" in page
    assert "Injurieux, haineux ou harcelant" in page
    assert "The new cycle lane on rue Victor Hugo is dangerous." in page
    assert 'name="csrfmiddlewaretoken"' in page
    # The honeypot is labelled for the rare screen reader that reaches it, and kept off the tab order.
    assert "Laissez ce champ vide" in page
    assert 'tabindex="-1"' in page


def test_a_kind_of_content_that_is_not_reportable_is_not_found(client, note_a):
    assert client.get(reverse("moderation:report", args=["accounts.user", note_a.public_id])).status_code == 404
    assert client.get(reverse("moderation:report", args=["nothing", note_a.public_id])).status_code == 404


def test_unknown_content_is_not_found(client, note_a):
    assert client.get(reverse("moderation:report", args=["moderation.note", uuid.uuid4()])).status_code == 404


def test_only_get_and_post_are_accepted(client, note_a):
    assert client.put(report_url(note_a)).status_code == 405


def test_an_anonymous_visitor_reports_and_goes_back_to_the_content(client, note_a):
    response = client.post(report_url(note_a), {"category": "offensive", "note": "Insulting the mayor"})
    assert response.status_code == 302
    assert response["Location"] == note_a.get_absolute_url()
    report = Report.objects.get()
    assert (report.category, report.note, report.reporter) == ("offensive", "Insulting the mayor", None)
    assert report.ip_hash
    assert "127.0.0.1" not in report.ip_hash
    assert messages_of(response) == ["Merci. Votre signalement a été transmis aux modérateurs."]


def test_a_citizen_report_is_linked_to_their_account(client, citizen, note_a):
    client.force_login(citizen)
    client.post(report_url(note_a), {"category": "spam"})
    assert Report.objects.get().reporter == citizen


def test_reporting_twice_tells_the_person_it_is_already_done(client, citizen, note_a):
    client.force_login(citizen)
    client.post(report_url(note_a), {"category": "spam"})
    response = client.post(report_url(note_a), {"category": "off_topic"})
    assert response.status_code == 302
    assert Report.objects.count() == 1
    assert messages_of(response)[-1] == "Vous aviez déjà signalé ce contenu. Les modérateurs vont l’examiner."


def test_a_missing_reason_is_explained_and_the_details_are_kept(client, note_a):
    response = client.post(report_url(note_a), {"note": "He gives the phone number of a neighbour"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choisissez le motif de votre signalement." in page
    assert "He gives the phone number of a neighbour" in page
    assert not Report.objects.exists()


def test_other_needs_details(client, note_a):
    response = client.post(report_url(note_a), {"category": "other", "note": "  "})
    assert response.status_code == 400
    assert "Décrivez le problème pour que les modérateurs le comprennent." in response.content.decode()


def test_a_robot_filling_the_honeypot_is_thanked_but_nothing_is_recorded(client, note_a):
    response = client.post(report_url(note_a), {"category": "spam", "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Report.objects.exists()


def test_reports_from_one_connection_are_rate_limited(client, settings, space_a):
    settings.MODERATION_REPORT_RATE = "2/h"
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    notes = NoteFactory.create_batch(3, space=space_a)
    statuses = [
        client.post(report_url(note), {"category": "spam", "note": "Same link"}, REMOTE_ADDR=address).status_code
        for note in notes
    ]
    assert statuses == [302, 302, 429]
    assert Report.objects.count() == 2
    last = client.post(report_url(notes[2]), {"category": "spam", "note": "Same link"}, REMOTE_ADDR=address)
    assert "Trop de signalements depuis votre connexion." in last.content.decode()
    assert "Same link" in last.content.decode()


def test_without_an_absolute_url_the_report_goes_back_to_a_local_next_page(client, note_a, monkeypatch):
    monkeypatch.delattr(Note, "get_absolute_url")
    response = client.post(report_url(note_a), {"category": "spam", "next": "/forums/velo/"})
    assert response["Location"] == "/forums/velo/"


def test_an_outside_next_page_is_ignored(client, space_a, monkeypatch):
    monkeypatch.delattr(Note, "get_absolute_url")
    note = NoteFactory(space=space_a)
    response = client.post(report_url(note), {"category": "spam", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_author_cannot_report_their_own_contribution(client, resident, note_a):
    client.force_login(resident)
    response = client.get(report_url(note_a))
    assert response.status_code == 403
    assert "Vous ne pouvez pas signaler votre propre contribution." in response.content.decode()
    assert client.post(report_url(note_a), {"category": "spam"}).status_code == 403
    assert not Report.objects.exists()


def test_hidden_content_cannot_be_reported_again(client, space_a):
    note = NoteFactory(space=space_a, moderation_state=ModerationState.HIDDEN, moderation_reason="Spam")
    response = client.get(report_url(note))
    assert response.status_code == 403
    assert "Ce contenu a déjà été masqué par la modération." in response.content.decode()


def test_a_blocked_person_cannot_report(client, blocked, note_a):
    client.force_login(blocked)
    response = client.post(report_url(note_a), {"category": "spam"})
    assert response.status_code == 403
    assert "Votre compte est bloqué" in response.content.decode()
    assert not Report.objects.exists()


def test_enough_visitors_hide_the_content_until_a_moderator_decides(
    client, settings, note_a, django_capture_on_commit_callbacks
):
    settings.MODERATION_AUTO_HIDE_REPORTS = 2
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(report_url(note_a), {"category": "spam"}, REMOTE_ADDR="192.0.2.1")
        client.post(report_url(note_a), {"category": "spam"}, REMOTE_ADDR="192.0.2.2")
    note_a.refresh_from_db()
    assert note_a.moderation_state == ModerationState.AUTO_HIDDEN
    assert callbacks  # content_hidden was sent once committed
