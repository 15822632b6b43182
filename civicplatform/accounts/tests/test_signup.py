from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from civicplatform.accounts.models import User, VerificationLevel
from civicplatform.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/comptes/signup/"
STRONG = "a-long enough passphrase 42"


def signup_data(**overrides):
    data = {
        "email": "nour@example.org",
        "pseudonym": "Nour",
        "password1": STRONG,
        "password2": STRONG,
        "accept_terms": "on",
    }
    data.update(overrides)
    return data


def confirmation_link(message) -> str:
    return re.search(r"https?://testserver(/comptes/confirm-email/\S+/)", message.body).group(1)


def test_signup_page_asks_pseudonym_and_consent_in_french(client):
    response = client.get(SIGNUP_URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Créer un compte" in body
    assert 'name="pseudonym"' in body
    assert 'name="accept_terms"' in body
    assert "/donnees-personnelles/" in body


def test_signup_confirm_then_login(client):
    response = client.post(SIGNUP_URL, signup_data())
    assert response.status_code == 302
    assert response["Location"] == "/comptes/confirm-email/"

    user = User.objects.get(email="nour@example.org")
    assert user.pseudonym == "Nour"
    assert user.terms_accepted_at is not None
    assert user.verification_level == VerificationLevel.NONE
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nour@example.org"]
    assert "Confirmez" in message.subject
    assert "Bonjour" in message.body

    # Before confirmation, logging in only re-sends the confirmation.
    other = client.__class__()
    response = other.post("/comptes/login/", {"login": "nour@example.org", "password": STRONG})
    assert response.status_code == 302
    assert response["Location"] == "/comptes/confirm-email/"
    assert "_auth_user_id" not in other.session

    link = confirmation_link(message)
    page = client.get(link)
    assert page.status_code == 200
    assert "nour@example.org" in page.content.decode()
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="nour@example.org").verified
    user.refresh_from_db()
    assert user.verification_level == VerificationLevel.EMAIL

    fresh = client.__class__()
    response = fresh.post("/comptes/login/", {"login": "Nour@Example.org", "password": STRONG})
    assert response.status_code == 302
    assert int(fresh.session["_auth_user_id"]) == user.pk


def test_taken_pseudonym_is_refused_whatever_the_case_and_typed_data_is_kept(client):
    UserFactory(pseudonym="Camille")

    response = client.post(SIGNUP_URL, signup_data(pseudonym="cAMILLE"))

    body = response.content.decode()
    assert response.status_code == 400
    assert "déjà pris" in body
    assert 'value="nour@example.org"' in body
    assert 'value="cAMILLE"' in body
    assert 'aria-invalid="true"' in body
    assert not User.objects.filter(email="nour@example.org").exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("pseudonym", "message"),
    [
        ("nour@example.org", "adresse e-mail"),
        ("Participant supprimé", "réservé"),
        ("x", "au moins 2"),
    ],
)
def test_unusable_pseudonyms_are_explained(client, pseudonym, message):
    response = client.post(SIGNUP_URL, signup_data(pseudonym=pseudonym))
    assert response.status_code == 400
    assert message in response.content.decode()


def test_consent_is_required(client):
    data = signup_data()
    del data["accept_terms"]
    response = client.post(SIGNUP_URL, data)
    assert response.status_code == 400
    assert "accepter les conditions" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [("short1", "trop court"), ("password123", "trop courant"), ("1234567890123", "entièrement numérique")],
)
def test_password_rules_apply_at_signup(client, password, message):
    response = client.post(SIGNUP_URL, signup_data(password1=password, password2=password))
    assert response.status_code == 400
    assert message in response.content.decode()


def test_existing_email_gets_a_mail_not_a_hint(client):
    UserFactory(email="nour@example.org")

    response = client.post(SIGNUP_URL, signup_data(pseudonym="Someone"))

    # Same answer as a new signup, so the form does not reveal who has an account.
    assert response.status_code == 302
    assert response["Location"] == "/comptes/confirm-email/"
    assert User.objects.filter(email="nour@example.org").count() == 1
    assert "déjà un compte" in mail.outbox[0].subject


def test_signup_is_rate_limited_per_ip(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    for n in range(2):
        client.post(SIGNUP_URL, signup_data(email=f"p{n}@example.org", pseudonym=f"P{n}"))

    response = client.post(SIGNUP_URL, signup_data(email="p3@example.org", pseudonym="P3"))

    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert not User.objects.filter(email="p3@example.org").exists()


def test_signup_page_in_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(SIGNUP_URL).content.decode()
    assert "Create an account" in body
    assert "Public pseudonym" in body
