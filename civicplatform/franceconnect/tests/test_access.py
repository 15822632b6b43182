"""The integration is off by default, and each view keeps to its method and audience."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import checks
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import translation

from civicplatform.core.models import AuditEvent
from civicplatform.franceconnect.models import FranceConnectIdentity
from civicplatform.franceconnect.tests.factories import FranceConnectIdentityFactory

pytestmark = pytest.mark.django_db

ROUTES = [
    ("franceconnect:login", "/franceconnect/connexion/", "get"),
    ("franceconnect:login", "/franceconnect/connexion/", "post"),
    ("franceconnect:callback", "/franceconnect/retour/", "get"),
    ("franceconnect:pseudonym", "/franceconnect/pseudonyme/", "get"),
    ("franceconnect:logout", "/franceconnect/deconnexion/", "post"),
    ("franceconnect:logout_callback", "/franceconnect/deconnexion/retour/", "get"),
    ("franceconnect:unlink", "/franceconnect/dissocier/", "post"),
]


def render_button(user=None, **context) -> str:
    request = RequestFactory().get("/comptes/login/")
    request.user = user or AnonymousUser()
    return render_to_string("franceconnect/_login_button.html", context, request=request)


@pytest.mark.parametrize(("name", "path", "method"), ROUTES)
def test_urls_round_trip(name, path, method):
    assert reverse(name) == path
    assert resolve(path).view_name == name


@pytest.mark.parametrize(("name", "path", "method"), ROUTES)
def test_every_url_answers_404_while_the_integration_is_off(client, resident, name, path, method, settings):
    settings.FRANCECONNECT_ENABLED = False
    client.force_login(resident)
    assert getattr(client, method)(path).status_code == 404


def test_the_button_renders_nothing_while_the_integration_is_off(settings):
    settings.FRANCECONNECT_ENABLED = False
    assert render_button().strip() == ""


def test_the_button_is_an_accessible_french_form_button_with_the_explanation_link(fc_enabled):
    with translation.override("fr"):
        html = render_button(redirect_field_value="/forums/")
    assert 'action="/franceconnect/connexion/"' in html
    assert 'method="post"' in html
    assert "csrfmiddlewaretoken" in html
    assert '<button type="submit"' in html
    assert "S’identifier avec" in html
    assert "FranceConnect</span>" in html
    assert "Qu’est-ce que FranceConnect\xa0?" in html
    assert 'rel="noopener"' in html
    assert "nouvelle fenêtre" in html
    assert 'name="next" value="/forums/"' in html
    assert "<img" not in html
    assert "style=" not in html


@pytest.mark.parametrize("url_name", ["account_login", "account_signup"])
def test_the_login_and_signup_pages_show_the_button_only_when_enabled(client, fc_enabled, settings, url_name):
    page = client.get(reverse(url_name), {"next": "/forums/"}).content.decode()
    assert page.count('class="franceconnect__button"') == 1
    assert 'name="next" value="/forums/"' in page
    settings.FRANCECONNECT_ENABLED = False
    assert "franceconnect__button" not in client.get(reverse(url_name)).content.decode()


def test_the_account_status_offers_linking_then_unlinking(client, fc_enabled, resident):
    request = RequestFactory().get("/moi/")
    request.user = resident
    assert "franceconnect__button" in render_to_string("franceconnect/_account_status.html", {}, request=request)
    FranceConnectIdentityFactory(user=resident)
    html = render_to_string("franceconnect/_account_status.html", {}, request=request)
    assert "/franceconnect/dissocier/" in html
    assert "franceconnect__button" not in html


# --------------------------------------------------------------------------- unlink


def test_unlink_sends_anonymous_visitors_to_the_login_page(client, fc_enabled):
    response = client.post(reverse("franceconnect:unlink"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_unlink_refuses_get(client, fc_enabled, resident):
    client.force_login(resident)
    assert client.get(reverse("franceconnect:unlink")).status_code == 405


def test_unlink_without_a_link_is_not_found(client, fc_enabled, resident):
    client.force_login(resident)
    assert client.post(reverse("franceconnect:unlink")).status_code == 404


def test_unlink_is_refused_while_franceconnect_is_the_only_way_in(client, fc_enabled, resident):
    resident.set_unusable_password()
    resident.save()
    FranceConnectIdentityFactory(user=resident)
    client.force_login(resident)
    response = client.post(reverse("franceconnect:unlink"))
    assert response.status_code == 400
    assert "Définissez d’abord un mot de passe" in response.content.decode()
    assert reverse("account_set_password") in response.content.decode()
    assert FranceConnectIdentity.objects.filter(user=resident).exists()


def test_unlink_removes_the_link_and_audits_it(client, fc_enabled, resident):
    FranceConnectIdentityFactory(user=resident)
    client.force_login(resident)
    response = client.post(reverse("franceconnect:unlink"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert not FranceConnectIdentity.objects.exists()
    assert AuditEvent.objects.get(action="franceconnect.unlinked").actor == resident


def test_unlink_touches_only_the_persons_own_link(client, fc_enabled, resident, other_resident):
    FranceConnectIdentityFactory(user=other_resident)
    client.force_login(resident)
    assert client.post(reverse("franceconnect:unlink")).status_code == 404
    assert FranceConnectIdentity.objects.filter(user=other_resident).exists()


# --------------------------------------------------------------------------- configuration


def test_a_half_configured_integration_fails_the_system_checks(settings):
    settings.FRANCECONNECT_ENABLED = True
    settings.FRANCECONNECT_ISSUER = "http://fc.example"
    settings.FRANCECONNECT_CLIENT_ID = ""
    settings.FRANCECONNECT_CLIENT_SECRET = ""
    settings.FRANCECONNECT_ACR = "eidas9"
    settings.FRANCECONNECT_SCOPES = "email"
    settings.SITE_URL = "http://example.fr"
    settings.DEBUG = False
    ids = {message.id for message in checks.run_checks() if message.id.startswith("franceconnect.")}
    assert ids == {f"franceconnect.E00{n}" for n in range(1, 6)}


def test_a_complete_configuration_passes_the_system_checks(fc_enabled):
    assert not [message for message in checks.run_checks() if message.id.startswith("franceconnect.")]
