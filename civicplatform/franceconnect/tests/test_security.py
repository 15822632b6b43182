"""Every way a callback can be forged or spoiled ends on a friendly 4xx page, logged out, with an audit row."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from civicplatform.accounts.models import User
from civicplatform.core.models import AuditEvent
from civicplatform.franceconnect import client as fc_client
from civicplatform.franceconnect.tests.fake_provider import RSA_KEY_ROTATED, RSA_KEY_UNPUBLISHED
from civicplatform.franceconnect.tests.flow import come_back, fc_login, query, start_login

pytestmark = pytest.mark.django_db


def assert_refused(client, response, *, status: int, reason: str) -> None:
    assert response.status_code == status
    assert "<h1" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()
    event = AuditEvent.objects.get(action="franceconnect.login_failed")
    assert event.reason == reason
    assert event.data == {}
    assert event.actor is None


def test_a_happy_login_passes_every_check(client, fc_enabled):
    response = fc_login(client, fc_enabled)
    assert response["Location"] == reverse("franceconnect:pseudonym")
    assert not AuditEvent.objects.filter(action="franceconnect.login_failed").exists()


# --------------------------------------------------------------------------- state


def test_an_unknown_state_is_refused(client, fc_enabled):
    authorization_url = start_login(client)
    response = come_back(client, fc_enabled, authorization_url, state="x" * 43)
    assert_refused(client, response, status=400, reason="state_mismatch")


def test_a_missing_state_is_refused(client, fc_enabled):
    response = client.get(reverse("franceconnect:callback"), {"code": "code-1"})
    assert_refused(client, response, status=400, reason="state_mismatch")


def test_a_state_from_another_browser_is_refused(client, fc_enabled):
    authorization_url = start_login(Client())
    response = come_back(client, fc_enabled, authorization_url)
    assert_refused(client, response, status=400, reason="state_mismatch")


def test_a_state_cannot_be_used_twice(client, fc_enabled):
    authorization_url = start_login(client)
    code = fc_enabled.authorize(authorization_url)
    params = {"code": code, "state": query(authorization_url)["state"]}
    first = client.get(reverse("franceconnect:callback"), params)
    assert first.status_code == 302
    fc_enabled.codes[code] = query(authorization_url)["nonce"]  # even if the provider accepted the code again
    second = client.get(reverse("franceconnect:callback"), params)
    assert second.status_code == 400
    assert AuditEvent.objects.get(action="franceconnect.login_failed").reason == "state_mismatch"


def test_a_state_expires_after_ten_minutes(client, fc_enabled):
    authorization_url = start_login(client)
    with time_machine.travel(time.time() + 601):
        response = come_back(client, fc_enabled, authorization_url)
    assert_refused(client, response, status=400, reason="state_mismatch")


# --------------------------------------------------------------------------- provider answers


def test_an_error_sent_by_the_provider_is_shown_kindly(client, fc_enabled):
    authorization_url = start_login(client)
    response = client.get(
        reverse("franceconnect:callback"), {"error": "server_error", "state": query(authorization_url)["state"]}
    )
    assert_refused(client, response, status=400, reason="provider_error")
    assert "n’a pas pu aboutir" in response.content.decode()


def test_cancelling_at_franceconnect_goes_back_to_the_login_page(client, fc_enabled):
    authorization_url = start_login(client)
    response = client.get(
        reverse("franceconnect:callback"), {"error": "access_denied", "state": query(authorization_url)["state"]}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert not AuditEvent.objects.exists()


def test_a_callback_without_a_code_is_refused(client, fc_enabled):
    authorization_url = start_login(client)
    response = client.get(reverse("franceconnect:callback"), {"state": query(authorization_url)["state"]})
    assert_refused(client, response, status=400, reason="code_missing")


def test_a_code_refused_by_the_token_endpoint_asks_to_start_again(client, fc_enabled):
    fc_enabled.token_status = 400
    response = fc_login(client, fc_enabled)
    assert_refused(client, response, status=400, reason="token_refused")
    assert "Veuillez recommencer" in response.content.decode()


def test_an_unreachable_token_endpoint_gives_a_502_page(client, fc_enabled):
    authorization_url = start_login(client)
    fc_enabled.unreachable = True
    response = come_back(client, fc_enabled, authorization_url)
    assert_refused(client, response, status=502, reason="provider_unavailable")


def test_the_callback_refuses_other_methods(client, fc_enabled):
    assert client.post(reverse("franceconnect:callback")).status_code == 405


def test_the_callback_is_rate_limited_per_address(client, fc_enabled, settings):
    settings.FRANCECONNECT_RATE_LIMIT = "2/m"
    # Frozen clock: the three requests fall in the same one-minute window.
    with time_machine.travel(time.time(), tick=False):
        client.get(reverse("franceconnect:callback"))
        client.get(reverse("franceconnect:callback"))
        assert client.get(reverse("franceconnect:callback")).status_code == 429


# --------------------------------------------------------------------------- ID token


def test_a_nonce_that_does_not_match_is_refused(client, fc_enabled):
    fc_enabled.id_token_claims = {"nonce": "n" * 43}
    response = fc_login(client, fc_enabled)
    assert_refused(client, response, status=403, reason="nonce_mismatch")


def test_an_id_token_without_nonce_is_refused(client, fc_enabled):
    fc_enabled.id_token_claims = {"nonce": None}
    response = fc_login(client, fc_enabled)
    assert_refused(client, response, status=403, reason="id_token_claims_invalid")


def test_an_id_token_for_another_client_is_refused(client, fc_enabled):
    fc_enabled.id_token_claims = {"aud": "someone-else"}
    response = fc_login(client, fc_enabled)
    assert_refused(client, response, status=403, reason="id_token_claims_invalid")


def test_an_id_token_from_another_issuer_is_refused(client, fc_enabled):
    fc_enabled.id_token_claims = {"iss": "https://evil.example.com/api/v2"}
    response = fc_login(client, fc_enabled)
    assert_refused(client, response, status=403, reason="id_token_claims_invalid")


def test_an_expired_id_token_is_refused(client, fc_enabled):
    fc_enabled.id_token_claims = {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 3700}
    response = fc_login(client, fc_enabled)
    assert_refused(client, response, status=403, reason="id_token_expired")


def test_an_id_token_whose_at_hash_does_not_match_is_refused(client, fc_enabled):
    fc_enabled.id_token_claims = {"at_hash": "AAAAAAAAAAAAAAAAAAAAAA"}
    response = fc_login(client, fc_enabled)
    assert_refused(client, response, status=403, reason="at_hash_mismatch")


@pytest.mark.parametrize("acr", ["eidas0", "", None, "eidas"])
def test_a_missing_or_unknown_acr_is_refused(client, fc_enabled, acr):
    fc_enabled.id_token_claims = {"acr": acr}
    response = fc_login(client, fc_enabled)
    assert_refused(client, response, status=403, reason="acr_insufficient")
    assert "niveau exigé par ce site" in response.content.decode()


def test_an_acr_below_the_required_level_is_refused(client, fc_enabled, settings):
    settings.FRANCECONNECT_ACR = "eidas2"
    authorization_url = start_login(client)
    assert query(authorization_url)["acr_values"] == "eidas2"
    response = come_back(client, fc_enabled, authorization_url)
    assert_refused(client, response, status=403, reason="acr_insufficient")


def test_an_acr_above_the_required_level_is_accepted(client, fc_enabled):
    fc_enabled.id_token_claims = {"acr": "eidas2"}
    response = fc_login(client, fc_enabled)
    assert response["Location"] == reverse("franceconnect:pseudonym")


def test_an_id_token_signed_with_es256_is_accepted(client, fc_enabled):
    fc_enabled.signing_kid = "ec-1"
    response = fc_login(client, fc_enabled)
    assert response["Location"] == reverse("franceconnect:pseudonym")


def test_an_id_token_signed_by_an_unknown_key_is_refused_after_one_jwks_refresh(client, fc_enabled):
    fc_client.discovery()
    fc_client._jwks(refresh=False)  # keys already cached, as after an earlier login
    fc_enabled.signing_key = RSA_KEY_UNPUBLISHED
    response = fc_login(client, fc_enabled)
    assert_refused(client, response, status=403, reason="id_token_signature_invalid")
    assert fc_enabled.count("/jwks") == 2


def test_an_id_token_signed_by_a_forged_key_under_a_known_key_id_is_refused(client, fc_enabled):
    fc_enabled.signing_key = RSA_KEY_UNPUBLISHED  # kid "rsa-1" is published, but with another key
    response = fc_login(client, fc_enabled)
    assert_refused(client, response, status=403, reason="id_token_signature_invalid")


def test_a_rotated_provider_key_is_picked_up_by_refetching_the_jwks_once(client, fc_enabled):
    fc_client.discovery()
    fc_client._jwks(refresh=False)
    fc_enabled.published["rsa-2"] = RSA_KEY_ROTATED
    fc_enabled.signing_kid = "rsa-2"
    response = fc_login(client, fc_enabled)
    assert response["Location"] == reverse("franceconnect:pseudonym")
    assert fc_enabled.count("/jwks") == 2
    # The fresh keys are cached: the next login needs no fetch.
    client.get(reverse("franceconnect:pseudonym"))
    fc_login(client, fc_enabled)
    assert fc_enabled.count("/jwks") == 2


def test_an_id_token_signed_with_the_client_secret_is_refused(client, fc_enabled, monkeypatch):
    import jwt

    from civicplatform.franceconnect.tests.fake_provider import CLIENT_SECRET

    monkeypatch.setattr(
        fc_enabled, "sign", lambda claims, **kwargs: jwt.encode(claims, CLIENT_SECRET, algorithm="HS256")
    )
    response = fc_login(client, fc_enabled)
    assert_refused(client, response, status=403, reason="id_token_algorithm_refused")


# --------------------------------------------------------------------------- userinfo


def test_a_plain_json_userinfo_is_refused(client, fc_enabled):
    fc_enabled.userinfo_format = "json"
    response = fc_login(client, fc_enabled)
    assert_refused(client, response, status=403, reason="userinfo_unsigned")


def test_a_userinfo_signed_with_the_client_secret_is_refused(client, fc_enabled):
    fc_enabled.userinfo_format = "hs256"
    response = fc_login(client, fc_enabled)
    assert_refused(client, response, status=403, reason="userinfo_algorithm_refused")


def test_an_unsigned_userinfo_jwt_is_refused(client, fc_enabled):
    fc_enabled.userinfo_format = "none"
    response = fc_login(client, fc_enabled)
    assert_refused(client, response, status=403, reason="userinfo_algorithm_refused")


def test_an_encrypted_userinfo_is_refused(client, fc_enabled):
    fc_enabled.userinfo_format = "jwe"
    response = fc_login(client, fc_enabled)
    assert_refused(client, response, status=403, reason="userinfo_malformed")


def test_a_userinfo_about_someone_else_is_refused(client, fc_enabled):
    fc_enabled.userinfo["sub"] = "another-person"
    response = fc_login(client, fc_enabled)
    assert_refused(client, response, status=403, reason="userinfo_sub_mismatch")


def test_a_discovery_document_for_another_issuer_is_refused(client, fc_enabled, monkeypatch):
    original = fc_enabled.discovery
    monkeypatch.setattr(fc_enabled, "discovery", lambda: original() | {"issuer": "https://evil.example.com"})
    response = client.post(reverse("franceconnect:login"))
    assert response.status_code == 502
    assert AuditEvent.objects.get(action="franceconnect.login_failed").reason == "discovery_invalid"
