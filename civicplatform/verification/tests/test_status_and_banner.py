from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.translation import override

from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.verification.services.letters import letter_mark_sent, letter_request
from civicplatform.verification.services.registers import register_match
from civicplatform.verification.tests.factories import MARIE_TYPED

pytestmark = pytest.mark.django_db

ADDRESS = {"recipient": "C. Martin", "address_line1": "1 rue Haute", "postal_code": "45100", "city": "Belleville"}


def render_status(user) -> str:
    request = RequestFactory().get("/moi/")
    request.user = user
    with override("fr"):
        return Template('{% include "verification/_status.html" %}').render(Context({"user": user, "request": request}))


def test_status_for_an_unverified_person_lists_each_way_to_verify(citizen, census):
    html = render_status(citizen)
    assert 'aria-labelledby="verification-status-title"' in html
    assert "/verification/registre/" in html
    assert "/verification/courrier/" in html


def test_status_for_a_resident_offers_the_electoral_check_only(resident, census):
    html = render_status(resident)
    assert "/verification/courrier/" not in html
    assert "/verification/registre/" in html


def test_status_for_an_elector_offers_nothing_more(elector, census):
    html = render_status(elector)
    assert "/verification/registre/" not in html
    assert "/verification/courrier/" not in html


def test_status_tells_about_a_letter_and_the_code_page(citizen, district, staff):
    letter = letter_request(user=citizen, **ADDRESS)
    assert "/verification/code/" not in render_status(citizen)
    letter_mark_sent(letter=letter, staff=staff)
    assert "/verification/code/" in render_status(citizen)


def test_status_tells_about_a_request_under_review(citizen, census):
    register_match(user=UserFactory(), **MARIE_TYPED)
    register_match(user=citizen, **MARIE_TYPED)
    html = render_status(citizen)
    assert "message--warning" in html
    assert "/verification/registre/" not in html


def test_status_renders_nothing_for_anonymous_visitors():
    from django.contrib.auth.models import AnonymousUser

    assert render_status(AnonymousUser()).strip() == ""


def test_banner_is_absent_for_ordinary_pages(client, resident):
    client.force_login(resident)
    assert "desk-banner" not in client.get("/verification/").content.decode()


def test_status_level_label_matches_the_account(elector):
    html = render_status(elector)
    assert "Électeur inscrit" in html
