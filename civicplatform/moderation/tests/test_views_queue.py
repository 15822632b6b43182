from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.moderation import services
from civicplatform.moderation.models import ModerationState, ReportCategory, UserBlock
from civicplatform.moderation.tests.factories import NoteFactory

pytestmark = pytest.mark.django_db

QUEUE = "/moderation/"


def report(note, ip, category=ReportCategory.SPAM, note_text=""):
    services.report_create(content=note, category=category, note=note_text, ip_hash=ip)


@pytest.fixture
def reported(note_a, note_b):
    report(note_a, "a", ReportCategory.OFFENSIVE, "Personal attack on a neighbour")
    report(note_a, "b", ReportCategory.OFFENSIVE)
    report(note_b, "a", ReportCategory.OFF_TOPIC)
    return note_a, note_b


def test_the_queue_url_is_the_moderation_root():
    assert reverse("moderation:queue") == QUEUE


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert "/comptes/login/" in response["Location"]


def test_a_citizen_is_refused(client, citizen):
    client.force_login(citizen)
    assert client.get(QUEUE).status_code == 403


def test_a_blocked_moderator_is_refused(client, moderator_a):
    UserBlock.objects.create(user=moderator_a, reason="Under review")
    client.force_login(moderator_a)
    assert client.get(QUEUE).status_code == 403


def test_the_queue_is_read_only(client, moderator_a):
    client.force_login(moderator_a)
    assert client.post(QUEUE).status_code == 405


def test_a_moderator_sees_only_the_reports_of_their_space(client, moderator_a, reported):
    note_a, note_b = reported
    client.force_login(moderator_a)
    response = client.get(QUEUE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>File de modération</h1>" in page
    assert "The new cycle lane on rue Victor Hugo is dangerous." in page
    assert "2 signalements" in page
    assert "Injurieux, haineux ou harcelant" in page
    assert "Personal attack on a neighbour" in page
    assert f"par {note_a.author.public_name}" in page
    assert reverse("moderation:content", args=["moderation.note", note_a.public_id]) in page
    assert "shared garden" not in page
    assert "1 contenu signalé" in page


@pytest.mark.parametrize("persona", ["site_moderator", "staff"])
def test_site_moderators_and_staff_see_every_space(client, request, persona, reported):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(QUEUE).content.decode()
    assert "cycle lane" in page
    assert "shared garden" in page
    assert "2 contenus signalés" in page


def test_decided_reports_leave_the_open_queue_and_appear_among_decided_ones(client, moderator_a, reported):
    note_a, _ = reported
    services.content_hide(content=note_a, actor=moderator_a, reason="Personal attack")
    client.force_login(moderator_a)
    assert "cycle lane" not in client.get(QUEUE).content.decode()
    assert "Aucun signalement n’attend de décision dans vos espaces." in client.get(QUEUE).content.decode()
    decided = client.get(QUEUE, {"status": "resolved"}).content.decode()
    assert "cycle lane" in decided
    assert "Masqué par un modérateur" in decided


def test_the_queue_filters_by_the_state_of_the_content(client, settings, site_moderator, reported, space_a):
    settings.MODERATION_AUTO_HIDE_REPORTS = 2
    loud = NoteFactory(space=space_a, text="Buy cheap watches here")
    report(loud, "a")
    report(loud, "b")
    client.force_login(site_moderator)
    page = client.get(QUEUE, {"content_state": ModerationState.AUTO_HIDDEN}).content.decode()
    assert "cheap watches" in page
    assert "cycle lane" not in page
    assert "Masqué après signalements, en attente d’examen" in page


def test_an_invalid_filter_is_explained(client, moderator_a, reported):
    client.force_login(moderator_a)
    response = client.get(QUEUE, {"status": "everything"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()


def _reported_notes(space, count):
    for _ in range(count):
        note = NoteFactory(space=space, author=UserFactory())
        report(note, "a", ReportCategory.SPAM, "Link to a shop")
        report(note, "b", ReportCategory.OFFENSIVE)


def test_the_queue_needs_the_same_number_of_queries_for_many_reports(
    client, site_moderator, space_a, django_assert_max_num_queries
):
    _reported_notes(space_a, 2)
    client.force_login(site_moderator)
    client.get(QUEUE)  # warm the content-type cache, as on a running site
    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE)
    _reported_notes(space_a, 13)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(QUEUE)
    assert response.content.decode().count("Examiner et décider") == 15


def test_the_queue_is_paginated(client, site_moderator, space_a):
    for index in range(25):
        report(NoteFactory(space=space_a), f"ip-{index}")
    client.force_login(site_moderator)
    first = client.get(QUEUE).content.decode()
    assert first.count("Examiner et décider") == 20
    assert "Page 1 sur 2" in first
    assert client.get(QUEUE, {"page": 2}).content.decode().count("Examiner et décider") == 5


def test_a_moderator_of_every_space_of_a_type_sees_them_all(client, reported, space_a):
    from django.contrib.contenttypes.models import ContentType

    from civicplatform.moderation.models import ModeratorAssignment

    agent = UserFactory()
    ModeratorAssignment.objects.create(user=agent, content_type=ContentType.objects.get_for_model(space_a))
    loose = NoteFactory(space=None, text="A note outside every forum")
    report(loose, "a")
    client.force_login(agent)
    page = client.get(QUEUE).content.decode()
    assert "cycle lane" in page
    assert "shared garden" in page
    assert "outside every forum" not in page
