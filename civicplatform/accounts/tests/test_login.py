from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessLog

from civicplatform.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = "/comptes/login/"


def test_login_page_is_in_our_look(client):
    body = client.get(LOGIN_URL).content.decode()
    assert 'class="skip-link"' in body
    assert "Se connecter" in body
    assert 'name="login"' in body
    assert "Mot de passe oublié ?" in body


def test_person_logs_in_by_email_whatever_the_case(client, citizen):
    response = client.post(LOGIN_URL, {"login": citizen.email.upper(), "password": PASSWORD})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == citizen.pk
    # django-axes keeps the sign-in (it is part of "download my data").
    assert AccessLog.objects.filter(username=citizen.email).exists()


def test_next_parameter_is_followed(client, citizen):
    response = client.post(f"{LOGIN_URL}?next=/moi/", {"login": citizen.email, "password": PASSWORD})
    assert response["Location"] == "/moi/"


def test_wrong_password_is_refused_with_the_email_kept(client, citizen):
    response = client.post(LOGIN_URL, {"login": citizen.email, "password": "not the password"})

    body = response.content.decode()
    assert response.status_code == 400
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in body
    assert f'value="{citizen.email}"' in body
    assert "_auth_user_id" not in client.session


def test_axes_locks_the_account_after_the_failure_limit(client, citizen, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(LOGIN_URL, {"login": citizen.email, "password": "wrong"})
        assert response.status_code == 400

    response = client.post(LOGIN_URL, {"login": citizen.email, "password": "wrong"})

    body = response.content.decode()
    assert response.status_code == 429
    assert "Trop de tentatives échouées" in body
    assert "Réessayez dans 30 minutes." in body
    assert 'class="skip-link"' in body
    attempt = AccessAttempt.objects.get()
    # Counted against the account, not the whole IP address.
    assert attempt.username == citizen.email

    # Even the right password is refused during the lockout.
    response = client.post(LOGIN_URL, {"login": citizen.email, "password": PASSWORD})
    assert response.status_code in (400, 429)
    assert "_auth_user_id" not in client.session


def test_lockout_of_one_account_does_not_block_another(client, citizen, outsider, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN_URL, {"login": citizen.email, "password": "wrong"})

    response = client.post(LOGIN_URL, {"login": outsider.email, "password": PASSWORD})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == outsider.pk


def test_logout_needs_a_post(client, citizen):
    client.force_login(citizen)

    page = client.get("/comptes/logout/")
    assert page.status_code == 200
    assert "Voulez-vous vous déconnecter\xa0?" in page.content.decode()
    assert "_auth_user_id" in client.session

    response = client.post("/comptes/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_erased_account_cannot_log_in(client, citizen):
    from civicplatform.accounts.services import user_erase

    email = citizen.email
    user_erase(user=citizen)

    response = client.post(LOGIN_URL, {"login": email, "password": PASSWORD})

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
