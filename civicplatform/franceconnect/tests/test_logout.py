from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from civicplatform.core.models import AuditEvent
from civicplatform.franceconnect import sessions
from civicplatform.franceconnect.tests.conftest import SITE_URL
from civicplatform.franceconnect.tests.factories import FranceConnectIdentityFactory
from civicplatform.franceconnect.tests.fake_provider import ISSUER, SUB
from civicplatform.franceconnect.tests.flow import fc_login, query

pytestmark = pytest.mark.django_db


@pytest.fixture
def fc_session(client, fc_enabled, resident):
    """`resident` logged in through FranceConnect."""
    FranceConnectIdentityFactory(user=resident, sub=SUB)
    fc_login(client, fc_enabled)
    assert client.session["_auth_user_id"] == str(resident.pk)
    return client.session[sessions.ID_TOKEN_KEY]


def test_logout_ends_the_local_session_and_goes_to_franceconnect_with_the_id_token(client, fc_session):
    response = client.post(reverse("franceconnect:logout"))

    assert response.status_code == 302
    url = response["Location"]
    params = query(url)
    assert url.startswith(f"{ISSUER}/session/end?")
    assert params["id_token_hint"] == fc_session
    assert len(params["state"]) >= 32
    assert params["post_logout_redirect_uri"] == f"{SITE_URL}/franceconnect/deconnexion/retour/"
    # Logged out here already, before the browser leaves.
    assert "_auth_user_id" not in client.session
    assert sessions.ID_TOKEN_KEY not in client.session


def test_coming_back_from_franceconnect_with_the_right_state_finishes_the_logout(client, fc_session):
    state = query(client.post(reverse("franceconnect:logout"))["Location"])["state"]
    response = client.get(reverse("franceconnect:logout_callback"), {"state": state})
    assert response.status_code == 302
    assert response["Location"] == "/"
    notes = [str(message) for message in get_messages(response.wsgi_request)]
    assert "Vous êtes déconnecté, de ce site et de FranceConnect." in notes
    assert "_auth_user_id" not in client.session


def test_a_logout_return_with_a_wrong_state_is_refused(client, fc_session):
    client.post(reverse("franceconnect:logout"))
    response = client.get(reverse("franceconnect:logout_callback"), {"state": "y" * 43})
    assert response.status_code == 400
    assert AuditEvent.objects.get(action="franceconnect.login_failed").reason == "logout_state_mismatch"


def test_a_logout_state_cannot_be_used_twice(client, fc_session):
    state = query(client.post(reverse("franceconnect:logout"))["Location"])["state"]
    assert client.get(reverse("franceconnect:logout_callback"), {"state": state}).status_code == 302
    assert client.get(reverse("franceconnect:logout_callback"), {"state": state}).status_code == 400


def test_logout_of_a_password_session_stays_local(client, fc_enabled, resident):
    client.force_login(resident)
    response = client.post(reverse("franceconnect:logout"))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session
    assert fc_enabled.count("/session/end") == 0


def test_logout_still_happens_locally_when_franceconnect_is_unreachable(client, fc_session, fc_enabled):
    from civicplatform.franceconnect import client as fc_client

    fc_client.forget_cached_metadata()
    fc_enabled.unreachable = True
    response = client.post(reverse("franceconnect:logout"))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_logout_refuses_get(client, fc_session):
    assert client.get(reverse("franceconnect:logout")).status_code == 405
    assert "_auth_user_id" in client.session


def test_the_logout_url_tag_points_to_franceconnect_only_for_franceconnect_sessions(client, fc_session):
    template = Template("{% load franceconnect %}{% franceconnect_logout_url %}")
    request = RequestFactory().get("/")
    request.session = client.session
    assert template.render(Context({"request": request})) == reverse("franceconnect:logout")
    request.session = {}
    assert template.render(Context({"request": request})) == reverse("account_logout")
