"""The proof-of-work challenge on the anonymous form: cookie-free, single use, and never a refusal."""

from __future__ import annotations

import altcha as altcha_lib
import pytest
from django.core import mail
from django.urls import reverse

from petitions import altcha
from petitions.models import HoldReason, Signature, SignatureState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _altcha_on(settings):
    settings.ALTCHA_ENABLED = True
    settings.ALTCHA_HMAC_KEY = "test-altcha-key"
    settings.ALTCHA_COST = 10  # the browser's second of work, shortened for the test


def _solved(client) -> str:
    response = client.get(reverse("petitions:altcha_challenge"))
    challenge = altcha_lib.Challenge.from_dict(response.json())
    solution = altcha_lib.solve_challenge(challenge)
    return altcha_lib.Payload(challenge, solution).to_base64()


def _post(client, petition, **extra):
    data = {
        "name": "Jeanne Martin",
        "email": "jeanne@example.net",
        "postal_code": "45100",
        "consent": "on",
        "notify_response": "on",
        **extra,
    }
    return client.post(reverse("petitions:sign", args=[petition.slug]), data)


def test_the_challenge_is_signed_json_and_sets_no_cookie(client):
    response = client.get(reverse("petitions:altcha_challenge"))
    assert response.status_code == 200
    body = response.json()
    assert body["parameters"]["algorithm"] == "PBKDF2/SHA-256"
    assert body["signature"]
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_solved_challenge_lets_the_signature_wait_only_for_its_e_mail(client, petition):
    payload = _solved(client)
    response = _post(client, petition, altcha=payload)
    assert response.status_code == 302
    signature = Signature.objects.get(petition=petition)
    assert signature.state == SignatureState.PENDING


def test_without_javascript_the_signature_is_recorded_and_held_for_review(
    client, petition, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, petition)
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:thanks", args=[petition.slug])
    signature = Signature.objects.get(petition=petition)
    assert (signature.state, signature.hold_reason) == (SignatureState.HELD, HoldReason.NO_PROOF)
    assert len(mail.outbox) == 1


def test_a_solution_is_accepted_once_and_a_forged_one_never(client, petition):
    payload = _solved(client)
    assert altcha.solution_verify(payload)
    assert not altcha.solution_verify(payload)
    assert not altcha.solution_verify(_solved(client)[:-8] + "AAAAAAA=")
    assert not altcha.solution_verify("")
    assert not altcha.solution_verify("not base64 at all")


def test_the_form_loads_the_widget_only_when_the_challenge_is_on(client, petition, settings):
    page = client.get(reverse("petitions:sign", args=[petition.slug])).content.decode()
    assert "<altcha-widget" in page
    assert "vendor/altcha/altcha.i18n.min.js" in page
    settings.ALTCHA_ENABLED = False
    page = client.get(reverse("petitions:sign", args=[petition.slug])).content.decode()
    assert "<altcha-widget" not in page
    assert client.get(reverse("petitions:altcha_challenge")).status_code == 404
