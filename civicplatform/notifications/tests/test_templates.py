from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, Template
from django.test import RequestFactory

from civicplatform.notifications.services import follow

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


def _render(source: str, user, **context) -> str:
    request = RequestFactory().get("/quartiers/nord/")
    request.user = user
    return Template(source).render(RequestContext(request, {"user": user, **context}))


HEADER = '{% include "notifications/_header_link.html" %}'
BUTTON = '{% include "notifications/_follow_button.html" with object=target %}'


def test_header_link_shows_the_unread_count(resident):
    NotificationFactory.create_batch(3, recipient=resident)
    NotificationFactory(recipient=resident, read_at="2026-01-01T00:00Z")

    html = _render(HEADER, resident)

    assert 'href="/notifications/"' in html
    assert "Notifications (3" in html
    assert '<span class="visually-hidden"> non lues</span>)' in html


def test_header_link_without_unread_is_plain(resident):
    assert ">Notifications</a>" in _render(HEADER, resident)


def test_header_link_is_absent_for_visitors(db):
    assert _render(HEADER, AnonymousUser()).strip() == ""


def test_header_link_counts_once_per_page(resident, django_assert_num_queries):
    with django_assert_num_queries(1):
        _render(HEADER + HEADER, resident)


def test_follow_button_is_a_toggle_with_its_state(followable, district, resident):
    html = _render(BUTTON, resident, target=district)
    assert 'aria-pressed="false"' in html
    assert f'action="/notifications/suivre/territory.district/{district.pk}/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="next" value="/quartiers/nord/"' in html

    follow(user=resident, target=district)

    html = _render(BUTTON, resident, target=district)
    assert 'aria-pressed="true"' in html
    assert 'value="unfollow"' in html


def test_follow_button_invites_visitors_to_log_in(followable, district):
    html = _render(BUTTON, AnonymousUser(), target=district)

    assert "Connectez-vous pour suivre" in html
    assert "?next=/quartiers/nord/" in html
    assert "<form" not in html


def test_follow_button_renders_nothing_for_objects_that_cannot_be_followed(district, resident):
    assert _render(BUTTON, resident, target=district).strip() == ""
