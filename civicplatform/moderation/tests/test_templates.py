"""The includes other apps put in their pages: the report link and the hidden notice."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from civicplatform.moderation.models import ModerationState
from civicplatform.moderation.tests.factories import NoteFactory

pytestmark = pytest.mark.django_db

REPORT_LINK = Template('{% include "moderation/_report_link.html" with object=note %}')
HIDDEN_NOTICE = Template('{% include "moderation/_hidden_notice.html" with object=note %}')
MODERATE_LINK = Template('{% include "moderation/_moderate_link.html" with object=note %}')


def render(template: Template, note, user=None, path="/forums/velo/?page=2") -> str:
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    return template.render(Context({"note": note, "request": request, "user": request.user}))


def test_visitors_get_a_report_link_that_brings_them_back(note_a):
    html = render(REPORT_LINK, note_a)
    assert f"/moderation/signaler/moderation.note/{note_a.public_id}/?next=/forums/velo/%3Fpage%3D2" in html
    assert '>Signaler<span class="visually-hidden"> ce contenu aux modérateurs</span></a>' in html
    assert 'rel="nofollow"' in html


def test_authors_get_no_report_link_on_their_own_content(note_a, resident):
    assert render(REPORT_LINK, note_a, resident).strip() == ""


def test_hidden_content_gets_no_report_link(space_a):
    note = NoteFactory(space=space_a, moderation_state=ModerationState.HIDDEN, moderation_reason="Spam")
    assert render(REPORT_LINK, note).strip() == ""


def test_a_fragment_rendered_without_a_user_still_offers_the_link(note_a):
    html = Template('{% include "moderation/_report_link.html" with object=note %}').render(Context({"note": note_a}))
    assert f"/moderation/signaler/moderation.note/{note_a.public_id}/" in html
    assert "?next=" not in html


def test_the_hidden_notice_shows_the_moderators_reason(space_a):
    note = NoteFactory(space=space_a, moderation_state=ModerationState.HIDDEN, moderation_reason="Insult (rule 2)")
    html = render(HIDDEN_NOTICE, note)
    assert "Contenu masqué par la modération\u00a0: Insult (rule 2)" in html
    assert 'role="note"' in html


def test_the_hidden_notice_of_automatic_hiding_is_neutral(space_a):
    note = NoteFactory(space=space_a, moderation_state=ModerationState.AUTO_HIDDEN)
    html = render(HIDDEN_NOTICE, note)
    assert "Masqué en attente de modération après plusieurs signalements" in html


def test_the_moderate_link_is_only_for_moderators_of_the_space(note_a, moderator_a, moderator_b):
    assert f"/moderation/contenu/moderation.note/{note_a.public_id}/" in render(MODERATE_LINK, note_a, moderator_a)
    assert render(MODERATE_LINK, note_a, moderator_b).strip() == ""
    assert render(MODERATE_LINK, note_a).strip() == ""
