from __future__ import annotations

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from civicplatform.accounts.models import User, VerificationLevel
from civicplatform.accounts.services import user_erase
from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.core.models import AuditEvent
from civicplatform.core.registry import personal_data_exporters
from civicplatform.franceconnect import sessions
from civicplatform.franceconnect.models import FranceConnectIdentity
from civicplatform.franceconnect.tests.conftest import SITE_URL
from civicplatform.franceconnect.tests.factories import FranceConnectIdentityFactory
from civicplatform.franceconnect.tests.fake_provider import CLIENT_ID, ISSUER, SUB, USERINFO
from civicplatform.franceconnect.tests.flow import come_back, fc_login, query, start_login

pytestmark = pytest.mark.django_db


def logged_in_user(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


# --------------------------------------------------------------------------- starting


def test_login_page_explains_what_is_kept_and_shows_the_button(client, fc_enabled):
    response = client.get(reverse("franceconnect:login"), HTTP_ACCEPT_LANGUAGE="fr")
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert "franceconnect__button" in content
    assert "jamais conservés" in content


def test_starting_a_login_sends_the_browser_to_franceconnect_with_fresh_state_nonce_and_eidas_level(client, fc_enabled):
    url = start_login(client)
    params = query(url)
    assert url.startswith(f"{ISSUER}/authorize?")
    assert len(params["state"]) >= 32
    assert len(params["nonce"]) >= 32
    assert params["state"] != params["nonce"]
    assert params["acr_values"] == "eidas1"
    assert params["prompt"] == "login consent"
    assert params["response_type"] == "code"
    assert params["client_id"] == CLIENT_ID
    assert params["scope"] == "openid given_name family_name email birthdate"
    assert params["redirect_uri"] == f"{SITE_URL}/franceconnect/retour/"
    assert query(start_login(client))["state"] != params["state"]


def test_the_discovery_document_is_fetched_once_and_cached(client, fc_enabled):
    start_login(client)
    start_login(client)
    assert fc_enabled.count("/.well-known/openid-configuration") == 1


def test_login_refuses_other_methods(client, fc_enabled):
    assert client.put(reverse("franceconnect:login")).status_code == 405


def test_starting_a_login_is_rate_limited_per_address(client, fc_enabled, settings):
    settings.FRANCECONNECT_RATE_LIMIT = "2/m"
    # Frozen clock: the three requests fall in the same one-minute window.
    with time_machine.travel(timezone.now(), tick=False):
        start_login(client)
        start_login(client)
        response = client.post(reverse("franceconnect:login"))
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()


def test_an_unreachable_provider_gives_a_friendly_page_not_a_crash(client, fc_enabled):
    fc_enabled.unreachable = True
    response = client.post(reverse("franceconnect:login"))
    assert response.status_code == 502
    assert "injoignable" in response.content.decode()
    assert AuditEvent.objects.get(action="franceconnect.login_failed").reason == "provider_unavailable"


# --------------------------------------------------------------------------- newcomers


def test_first_login_asks_for_a_pseudonym_without_suggesting_the_real_name(client, fc_enabled):
    response = fc_login(client, fc_enabled)
    assert response.status_code == 302
    assert response["Location"] == reverse("franceconnect:pseudonym")
    page = client.get(reverse("franceconnect:pseudonym"))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Angela" not in content
    assert "DUBOIS" not in content
    assert USERINFO["email"] in content
    assert logged_in_user(client) is None
    assert not User.objects.exists()


def test_choosing_a_pseudonym_creates_a_confirmed_account_linked_to_the_identity_and_logs_in(client, fc_enabled):
    fc_login(client, fc_enabled, next="/forums/")
    response = client.post(reverse("franceconnect:pseudonym"), {"pseudonym": "Lavande", "accept_terms": "on"})

    assert response.status_code == 302
    assert response["Location"] == "/forums/"
    user = User.objects.get()
    assert logged_in_user(client) == user
    assert user.pseudonym == "Lavande"
    assert user.email == USERINFO["email"]
    assert user.verification_level == VerificationLevel.EMAIL
    assert user.birth_year == 1962
    assert not user.has_usable_password()
    assert user.terms_accepted_at is not None
    assert EmailAddress.objects.get(user=user).verified
    link = FranceConnectIdentity.objects.get(user=user)
    assert link.sub == SUB
    assert link.acr == "eidas1"
    event = AuditEvent.objects.get(action="franceconnect.account_created")
    assert event.actor == user
    assert event.data == {"acr": "eidas1", "verification_level": 1}
    assert client.session[sessions.ID_TOKEN_KEY].count(".") == 2
    assert sessions.SIGNUP_KEY not in client.session


def test_real_names_are_stored_nowhere(client, fc_enabled):
    fc_login(client, fc_enabled)
    client.post(reverse("franceconnect:pseudonym"), {"pseudonym": "Lavande", "accept_terms": "on"})
    user = User.objects.get()
    stored = " ".join(str(value) for value in User.objects.filter(pk=user.pk).values().get().values())
    stored += " ".join(str(value) for value in FranceConnectIdentity.objects.values().get().values())
    stored += str(dict(client.session.items()))
    stored += " ".join(f"{event.reason} {event.data}" for event in AuditEvent.objects.all())
    for secret in ("Angela", "DUBOIS", "1962-08-24"):
        assert secret not in stored


def test_without_an_email_from_franceconnect_the_account_is_created_unconfirmed(client, fc_enabled):
    del fc_enabled.userinfo["email"]
    fc_login(client, fc_enabled)
    client.post(reverse("franceconnect:pseudonym"), {"pseudonym": "Lavande", "accept_terms": "on"})
    user = User.objects.get()
    assert user.email is None
    assert user.verification_level == VerificationLevel.NONE
    assert logged_in_user(client) == user


def test_a_taken_pseudonym_is_refused_and_the_input_kept(client, fc_enabled, resident):
    fc_login(client, fc_enabled)
    response = client.post(reverse("franceconnect:pseudonym"), {"pseudonym": "camille", "accept_terms": "on"})
    content = response.content.decode()
    assert response.status_code == 400
    assert "déjà pris" in content
    assert 'value="camille"' in content
    assert not FranceConnectIdentity.objects.exists()
    assert logged_in_user(client) is None


def test_an_email_address_is_refused_as_pseudonym(client, fc_enabled):
    fc_login(client, fc_enabled)
    response = client.post(reverse("franceconnect:pseudonym"), {"pseudonym": USERINFO["email"], "accept_terms": "on"})
    assert response.status_code == 400
    assert "adresse e-mail" in response.content.decode()
    assert not User.objects.exists()


def test_the_terms_must_be_accepted(client, fc_enabled):
    fc_login(client, fc_enabled)
    response = client.post(reverse("franceconnect:pseudonym"), {"pseudonym": "Lavande"})
    assert response.status_code == 400
    assert "accepter les conditions" in response.content.decode()
    assert not User.objects.exists()


def test_the_pseudonym_page_without_a_verified_identity_says_to_start_again(client, fc_enabled):
    response = client.get(reverse("franceconnect:pseudonym"))
    assert response.status_code == 400
    assert "a expiré" in response.content.decode()
    retry = client.post(reverse("franceconnect:pseudonym"), {"pseudonym": "Lavande", "accept_terms": "on"})
    assert retry.status_code == 400
    assert not User.objects.exists()


def test_a_verified_identity_waits_ten_minutes_for_its_pseudonym(client, fc_enabled):
    fc_login(client, fc_enabled)
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=11)):
        response = client.post(reverse("franceconnect:pseudonym"), {"pseudonym": "Lavande", "accept_terms": "on"})
    assert response.status_code == 400
    assert not User.objects.exists()


def test_the_pseudonym_page_refuses_other_methods(client, fc_enabled):
    assert client.delete(reverse("franceconnect:pseudonym")).status_code == 405


def test_an_existing_account_with_the_same_email_is_not_merged_silently(client, fc_enabled):
    owner = UserFactory(email=USERINFO["email"])
    response = fc_login(client, fc_enabled)
    assert response.status_code == 409
    assert "associez FranceConnect depuis la page de votre compte" in response.content.decode()
    assert not FranceConnectIdentity.objects.exists()
    assert logged_in_user(client) is None
    assert owner.pk == User.objects.get().pk
    assert AuditEvent.objects.get(action="franceconnect.login_failed").reason == "email_in_use"


# --------------------------------------------------------------------------- returning people


def test_a_returning_person_is_logged_in_to_their_linked_account(client, fc_enabled, resident):
    link = FranceConnectIdentityFactory(user=resident, sub=SUB)
    response = fc_login(client, fc_enabled, next="/moi/")
    assert response.status_code == 302
    assert response["Location"] == "/moi/"
    assert logged_in_user(client) == resident
    link.refresh_from_db()
    assert link.last_login_at is not None
    assert User.objects.count() == 1
    assert client.session[sessions.ID_TOKEN_KEY]


def test_an_unsafe_next_address_is_ignored(client, fc_enabled, resident):
    FranceConnectIdentityFactory(user=resident, sub=SUB)
    response = fc_login(client, fc_enabled, next="https://evil.example.com/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_returning_persons_unconfirmed_address_is_confirmed_when_franceconnect_sends_it(client, fc_enabled):
    person = UserFactory(email=USERINFO["email"], verification_level=VerificationLevel.NONE)
    FranceConnectIdentityFactory(user=person, sub=SUB)
    fc_login(client, fc_enabled)
    person.refresh_from_db()
    assert person.verification_level == VerificationLevel.EMAIL
    assert EmailAddress.objects.get(user=person).verified
    assert AuditEvent.objects.filter(action="franceconnect.email_confirmed", actor=person).exists()


def test_a_higher_verification_level_is_never_lowered(client, fc_enabled, elector):
    FranceConnectIdentityFactory(user=elector, sub=SUB)
    fc_login(client, fc_enabled)
    elector.refresh_from_db()
    assert elector.verification_level == VerificationLevel.ELECTOR


def test_erasing_an_account_forgets_its_franceconnect_link(client, fc_enabled, resident):
    FranceConnectIdentityFactory(user=resident, sub=SUB)
    user_erase(user=resident)
    assert not FranceConnectIdentity.objects.exists()
    response = fc_login(client, fc_enabled)
    assert response["Location"] == reverse("franceconnect:pseudonym")
    assert logged_in_user(client) is None


def test_a_link_left_on_an_erased_account_is_dropped_at_login(client, fc_enabled, resident):
    FranceConnectIdentityFactory(user=resident, sub=SUB)
    User.objects.filter(pk=resident.pk).update(erased_at=timezone.now())
    response = fc_login(client, fc_enabled)
    assert response["Location"] == reverse("franceconnect:pseudonym")
    assert not FranceConnectIdentity.objects.exists()
    assert logged_in_user(client) is None


def test_the_link_is_part_of_the_personal_data_export(resident):
    FranceConnectIdentityFactory(user=resident, sub=SUB)
    rows = personal_data_exporters()["franceconnect.identity"](resident)
    assert rows[0]["franceconnect_subject"] == SUB
    assert rows[0]["eidas_level"] == "eidas1"


# --------------------------------------------------------------------------- linking


def test_a_logged_in_person_links_franceconnect_to_their_account(client, fc_enabled, citizen):
    client.force_login(citizen)
    response = fc_login(client, fc_enabled)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert FranceConnectIdentity.objects.get(sub=SUB).user == citizen
    assert AuditEvent.objects.get(action="franceconnect.linked").actor == citizen
    assert logged_in_user(client) == citizen


def test_an_identity_linked_to_someone_else_cannot_be_linked_again(client, fc_enabled, citizen, resident):
    FranceConnectIdentityFactory(user=resident, sub=SUB)
    client.force_login(citizen)
    response = fc_login(client, fc_enabled)
    assert response.status_code == 409
    assert "déjà associée à un autre compte" in response.content.decode()
    assert FranceConnectIdentity.objects.get(sub=SUB).user == resident
    assert AuditEvent.objects.get(action="franceconnect.login_failed").reason == "link_identity_taken"


def test_a_link_started_by_one_person_cannot_be_finished_by_another(client, fc_enabled, citizen, outsider):
    client.force_login(citizen)
    authorization_url = start_login(client)
    # Logging in as someone else starts a new session: the pending login is gone with it.
    client.force_login(outsider)
    response = come_back(client, fc_enabled, authorization_url)
    assert response.status_code == 400
    assert not FranceConnectIdentity.objects.exists()
