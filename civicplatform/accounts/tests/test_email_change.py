from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from civicplatform.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EMAIL_URL = "/comptes/email/"


def test_email_page_shows_the_current_address(client, citizen):
    client.force_login(citizen)
    body = client.get(EMAIL_URL).content.decode()
    assert citizen.email in body
    assert "Changer mon adresse e-mail" in body


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(EMAIL_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/")


def test_change_is_confirmed_by_the_new_address_and_announced_to_the_old(client, citizen):
    client.force_login(citizen)
    old = citizen.email

    response = client.post(EMAIL_URL, {"action_add": "", "email": "new.address@example.org"})

    assert response.status_code == 302
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["new.address@example.org"]
    citizen.refresh_from_db()
    assert citizen.email == old  # not before confirmation
    page = client.get(EMAIL_URL).content.decode()
    assert "en attente de confirmation" in page

    link = re.search(r"https?://testserver(/comptes/confirm-email/\S+/)", confirmation.body).group(1)
    client.post(link)

    citizen.refresh_from_db()
    assert citizen.email == "new.address@example.org"
    assert list(EmailAddress.objects.filter(user=citizen).values_list("email", flat=True)) == [
        "new.address@example.org"
    ]
    notice = mail.outbox[-1]
    assert notice.to == [old]
    assert notice.subject == "Votre adresse e-mail a été changée"


def test_change_to_an_invalid_address_shows_the_error(client, citizen):
    client.force_login(citizen)

    response = client.post(EMAIL_URL, {"action_add": "", "email": "not-an-address"})

    assert response.status_code == 400
    assert 'value="not-an-address"' in response.content.decode()


def test_address_of_another_account_cannot_be_taken_over(client, citizen):
    owner = UserFactory(email="taken@example.org")
    client.force_login(citizen)

    # Same answer as for a free address, so the form does not reveal who has an account...
    response = client.post(EMAIL_URL, {"action_add": "", "email": "taken@example.org"})
    assert response.status_code == 302

    # ...but the link, which only the owner receives, cannot move the address.
    link = re.search(r"https?://testserver(/comptes/confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    page = client.get(link).content.decode()
    assert "un autre compte l’a déjà confirmée" in page
    client.post(link)
    citizen.refresh_from_db()
    owner.refresh_from_db()
    assert citizen.email != "taken@example.org"
    assert owner.email == "taken@example.org"
