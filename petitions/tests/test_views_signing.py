"""Signing through the pages: one action logged in, a form and an e-mailed link without an account."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from civicplatform.core.models import AuditEvent
from petitions.models import Signature, SignatureState
from petitions.services import signing

from .conftest import identity

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Jeanne Martin",
    "email": "jeanne@example.net",
    "postal_code": "45100",
    "consent": "on",
    "notify_response": "on",
}


def _sign_url(petition) -> str:
    return reverse("petitions:sign", args=[petition.slug])


def test_an_anonymous_visitor_signs_with_the_form_then_confirms_from_the_e_mail(
    client, petition, django_capture_on_commit_callbacks
):
    assert client.get(_sign_url(petition)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_sign_url(petition), FORM)
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:thanks", args=[petition.slug])
    assert client.get(response["Location"]).status_code == 200
    link = re.search(r"http://\S+(/petitions/signature/confirmer/\S+/)", mail.outbox[0].body).group(1)
    # Opening the link shows a button; only pressing it confirms (mail scanners open links).
    assert "Confirm" in client.get(link).content.decode() or "Confirmer" in client.get(link).content.decode()
    assert Signature.objects.get().state == SignatureState.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == petition.get_absolute_url()
    assert Signature.objects.get().state == SignatureState.VALIDATED
    assert "1 signature" in client.get(petition.get_absolute_url()).content.decode()


def test_an_invalid_anonymous_form_is_a_400_that_keeps_what_was_typed(client, petition):
    response = client.post(_sign_url(petition), {**FORM, "postal_code": "4510", "consent": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Jeanne Martin"' in page
    assert 'value="jeanne@example.net"' in page
    assert page.count("errorlist") >= 2
    assert not Signature.objects.exists()


def test_a_name_that_would_run_as_a_spreadsheet_formula_is_refused(client, petition):
    response = client.post(_sign_url(petition), {**FORM, "name": '=HYPERLINK("x")'})
    assert response.status_code == 400


def test_robots_filling_the_honeypot_see_success_and_record_nothing(client, petition):
    response = client.post(_sign_url(petition), {**FORM, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Signature.objects.exists()
    assert mail.outbox == []


def test_anonymous_signing_is_rate_limited_per_connection(client, petition, settings):
    # The limiter's counters live in Redis under this test run's key prefix; this address is used here only.
    settings.PETITIONS_SIGN_RATE = "2/m"
    statuses = [
        client.post(_sign_url(petition), {**FORM, "email": f"p{n}@example.net"}, REMOTE_ADDR="192.0.2.77").status_code
        for n in range(3)
    ]
    assert statuses[-1] == 429
    assert Signature.objects.count() == 2


def test_the_sign_page_refuses_anonymous_visitors_on_an_l1112_16_request_with_a_login_link(client, formal_petition):
    response = client.get(_sign_url(formal_petition))
    assert response.status_code == 403
    assert reverse("account_login") in response.content.decode()


def test_a_logged_in_citizen_signs_in_one_post(client, petition, citizen):
    client.force_login(citizen)
    response = client.post(_sign_url(petition), {"notify_response": "on"})
    assert response.status_code == 302
    signature = Signature.objects.get(user=citizen)
    assert signature.state == SignatureState.VALIDATED
    assert signature.notify_response
    page = client.get(petition.get_absolute_url()).content.decode()
    assert "Withdraw my signature" in page or "Retirer ma signature" in page


def test_a_person_below_the_required_level_is_told_why(client, formal_petition, citizen):
    client.force_login(citizen)
    response = client.post(_sign_url(formal_petition), identity())
    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_an_elector_signs_a_request_with_name_and_address_and_a_missing_field_is_a_400(
    client, formal_petition, elector
):
    client.force_login(elector)
    assert client.get(_sign_url(formal_petition)).status_code == 200
    response = client.post(_sign_url(formal_petition), {**identity(), "address": ""})
    assert response.status_code == 400
    assert 'value="Jeanne Martin"' in response.content.decode()
    response = client.post(_sign_url(formal_petition), identity())
    assert response.status_code == 302
    assert Signature.objects.get(user=elector).identity_encrypted


def test_the_sign_action_answers_other_methods_with_405(client, petition):
    assert client.put(_sign_url(petition)).status_code == 405


def test_a_signer_withdraws_from_the_page(client, petition, citizen):
    signing.signature_sign(petition=petition, person=citizen)
    client.force_login(citizen)
    assert client.get(reverse("petitions:withdraw", args=[petition.slug])).status_code == 405
    response = client.post(reverse("petitions:withdraw", args=[petition.slug]))
    assert response.status_code == 302
    assert not Signature.objects.filter(user=citizen).exists()
    assert AuditEvent.objects.filter(action="petitions.withdraw").exists()


def test_withdrawing_needs_a_login(client, petition):
    response = client.post(reverse("petitions:withdraw", args=[petition.slug]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_an_anonymous_signer_withdraws_with_the_e_mailed_link(client, petition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_sign_url(petition), FORM)
    link = re.search(r"http://\S+(/petitions/signature/retirer/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    assert not Signature.objects.exists()


def test_a_broken_link_is_a_clear_400(client):
    response = client.get(reverse("petitions:confirm", args=["broken-token"]))
    assert response.status_code == 400
    assert "<h1" in response.content.decode()
