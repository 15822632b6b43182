"""Every account page a person can reach renders in the site's look, in French and in English."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from civicplatform.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    ("/comptes/login/", "Se connecter", "Log in"),
    ("/comptes/signup/", "Créer un compte", "Create an account"),
    ("/comptes/password/reset/", "Mot de passe oublié", "Forgotten password"),
    ("/comptes/password/reset/done/", "Consultez vos e-mails", "Check your e-mail"),
    ("/comptes/password/reset/key/done/", "Mot de passe modifié", "Password changed"),
    ("/comptes/confirm-email/", "Consultez vos e-mails", "Check your e-mail"),
    ("/comptes/confirm-email/not-a-key/", "Ce lien de confirmation a expiré", "This confirmation link has expired"),
    ("/comptes/inactive/", "Compte fermé", "Account closed"),
    ("/comptes/3rdparty/login/cancelled/", "", ""),
    ("/comptes/3rdparty/login/error/", "", ""),
]
LOGGED_IN_PAGES = [
    ("/moi/", "Mon compte", "My account"),
    ("/moi/donnees/", "Télécharger mes données", "Download my data"),
    ("/moi/supprimer/", "Supprimer mon compte", "Delete my account"),
    ("/comptes/logout/", "Voulez-vous vous déconnecter\xa0?", "Do you want to log out?"),
    ("/comptes/email/", "Changer mon adresse e-mail", "Change my e-mail address"),
    ("/comptes/password/change/", "Modifier mon mot de passe", "Change my password"),
    ("/comptes/reauthenticate/", "Confirmez votre identité", "Confirm it is you"),
    ("/comptes/2fa/", "Double authentification", "Two-factor authentication"),
    ("/comptes/2fa/totp/activate/", "Configurer une application d’authentification", "Set up an authenticator app"),
    ("/comptes/3rdparty/", "", ""),
]
MFA_PAGES = [
    (
        "/comptes/2fa/totp/deactivate/",
        "Désactiver l’application d’authentification",
        "Switch off the authenticator app",
    ),
    ("/comptes/2fa/recovery-codes/", "Codes de secours", "Recovery codes"),
    ("/comptes/2fa/recovery-codes/generate/", "Créer de nouveaux codes de secours", "Create new recovery codes"),
    ("/comptes/2fa/reauthenticate/", "Confirmez votre identité", "Confirm it is you"),
]


def assert_site_look(response, expected_text: str, status: int = 200) -> None:
    body = response.content.decode()
    assert response.status_code == status, response.status_code
    assert '<a class="skip-link" href="#main-content">' in body
    assert '<main id="main-content"' in body
    assert "css/accounts.css" in body
    # allauth's bare default layout prints a "Menu:" list of links.
    assert "Menu:" not in body
    assert len(re.findall(r"<h1[ >]", body)) == 1
    assert expected_text in body


def use_language(client, settings, language: str) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("url", "french", "english"), ANONYMOUS_PAGES)
def test_anonymous_pages_use_the_site_look(client, settings, language, url, french, english):
    use_language(client, settings, language)
    response = client.get(url, follow=True)
    # allauth answers an identity-provider error with 401.
    status = 401 if "error" in url else 200
    assert_site_look(response, french if language == "fr" else english, status)
    assert f'<html lang="{language}">' in response.content.decode()


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("url", "french", "english"), LOGGED_IN_PAGES)
def test_account_pages_use_the_site_look(client, settings, citizen, language, url, french, english):
    client.post("/comptes/login/", {"login": citizen.email, "password": PASSWORD})
    # Two-factor pages need a fresh confirmation of the password.
    client.post("/comptes/reauthenticate/", {"password": PASSWORD})
    use_language(client, settings, language)
    assert_site_look(client.get(url), french if language == "fr" else english)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("url", "french", "english"), MFA_PAGES)
def test_two_factor_pages_use_the_site_look(client, settings, citizen, with_totp, language, url, french, english):
    with_totp(citizen)
    RecoveryCodes.activate(citizen)
    client.force_login(citizen)
    if "reauthenticate" not in url:
        client.post("/comptes/reauthenticate/", {"password": PASSWORD})
    use_language(client, settings, language)
    assert_site_look(client.get(url), french if language == "fr" else english)


def test_password_set_page_for_accounts_without_password(client, settings, citizen):
    citizen.set_unusable_password()
    citizen.save()
    client.force_login(citizen)
    assert_site_look(client.get("/comptes/password/set/"), "Choisir un mot de passe")


def test_account_pages_list_the_account_sections(client, citizen):
    client.force_login(citizen)
    body = client.get("/comptes/email/").content.decode()
    assert 'aria-label="Mon compte"' in body
    assert '<a href="/comptes/email/" aria-current="page">' in body
    for url in ("/moi/", "/comptes/password/change/", "/comptes/2fa/", "/moi/donnees/", "/moi/supprimer/"):
        assert f'href="{url}"' in body


def test_too_many_requests_page_is_localised(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "1/h/ip"}
    client.post("/comptes/password/reset/", {"email": "someone@example.org"})
    response = client.post("/comptes/password/reset/", {"email": "someone@example.org"})
    body = response.content.decode()
    assert response.status_code == 429
    assert 'class="skip-link"' in body
    assert "Trop de tentatives" in body
