from __future__ import annotations

import re

import pytest
from django.core import mail

from civicplatform.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

RESET_URL = "/comptes/password/reset/"
NEW = "another long passphrase 73"


def reset_link(message) -> str:
    return re.search(r"https?://testserver(/comptes/password/reset/key/\S+/)", message.body).group(1)


def test_password_reset_sends_a_french_mail_with_a_working_link(client, citizen):
    response = client.post(RESET_URL, {"email": citizen.email})

    assert response.status_code == 302
    assert response["Location"] == "/comptes/password/reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [citizen.email]
    assert message.subject == "Choisir un nouveau mot de passe"
    assert "il ne fonctionne qu’une fois" in message.body

    # The link redirects once to a URL without the key, then shows the form.
    response = client.get(reset_link(message), follow=True)
    assert response.status_code == 200
    assert "Choisir un nouveau mot de passe" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"password1": NEW, "password2": NEW})
    assert response.status_code == 302

    citizen.refresh_from_db()
    assert citizen.check_password(NEW)


def test_reset_for_an_unknown_address_does_not_reveal_it(client, db):
    response = client.post(RESET_URL, {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/comptes/password/reset/done/"


def test_invalid_reset_link_is_explained(client, citizen):
    response = client.get("/comptes/password/reset/key/zz-not-a-key/", follow=True)
    assert "Lien non valide" in response.content.decode()


def test_password_reset_is_rate_limited(client, citizen, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "20/h/ip,2/h/key"}
    for _ in range(2):
        client.post(RESET_URL, {"email": citizen.email})

    response = client.post(RESET_URL, {"email": citizen.email})

    assert response.status_code == 429
    assert len(mail.outbox) == 2


def test_password_change_needs_the_current_password(client, citizen):
    client.force_login(citizen)

    response = client.post("/comptes/password/change/", {"oldpassword": "wrong", "password1": NEW, "password2": NEW})

    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.check_password(PASSWORD)


def test_password_change_applies_the_rules_and_notifies(client, citizen):
    client.force_login(citizen)

    response = client.post(
        "/comptes/password/change/", {"oldpassword": PASSWORD, "password1": "short", "password2": "short"}
    )
    assert response.status_code == 400
    assert "trop court" in response.content.decode()

    response = client.post("/comptes/password/change/", {"oldpassword": PASSWORD, "password1": NEW, "password2": NEW})

    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password(NEW)
    # Still logged in, and the new session key is tracked for "end all sessions".
    assert int(client.session["_auth_user_id"]) == citizen.pk
    assert citizen.login_sessions.filter(session_key=client.session.session_key).exists()
    assert mail.outbox[-1].subject == "Votre mot de passe a été modifié"
