from __future__ import annotations

import pytest
from django.urls import resolve, reverse
from django.utils.translation import override

from civicplatform.accounts.models import VerificationLevel
from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.verification.models import PostalLetter, RegisterEntry, VerificationConflict
from civicplatform.verification.services.letters import letter_mark_sent, letter_request
from civicplatform.verification.services.registers import register_match
from civicplatform.verification.tests.factories import MARIE_TYPED

pytestmark = pytest.mark.django_db

MARIE_FORM = {
    "last_name": "lefevre dubois",
    "first_names": "Marie Helene Jeanne",
    "birth_date": "14/07/1985",
    "postal_code": "45100",
}
ADDRESS_FORM = {
    "recipient": "Camille Martin",
    "address_line1": "12 rue des Lilas",
    "address_line2": "",
    "postal_code": "45100",
    "city": "Belleville-sur-Loire",
}


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("verification:start", "/verification/"),
        ("verification:register", "/verification/registre/"),
        ("verification:letter", "/verification/courrier/"),
        ("verification:letter_cancel", "/verification/courrier/annuler/"),
        ("verification:code", "/verification/code/"),
    ],
)
def test_urls_round_trip(name, path):
    assert reverse(name) == path
    assert resolve(path).view_name == name


@pytest.mark.parametrize("name", ["verification:start", "verification:register", "verification:letter"])
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("verification:register", "put"),
        ("verification:letter", "delete"),
        ("verification:letter_cancel", "get"),
        ("verification:code", "put"),
    ],
)
def test_wrong_methods_are_refused(client, citizen, name, method):
    client.force_login(citizen)
    assert getattr(client, method)(reverse(name)).status_code == 405


def test_start_page_shows_the_level_and_the_ways_to_verify(client, citizen, census):
    client.force_login(citizen)
    with override("fr"):
        response = client.get(reverse("verification:start"), HTTP_ACCEPT_LANGUAGE="fr")
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert reverse("verification:register") in content
    assert reverse("verification:letter") in content


def test_register_form_shows_labels_and_help(client, citizen, census):
    client.force_login(citizen)
    response = client.get(reverse("verification:register"))
    content = response.content.decode()
    for field in ("last_name", "first_names", "birth_date", "postal_code"):
        assert f'for="id_{field}"' in content


def test_person_verifies_herself_with_accents_and_case_differences(client, citizen, census, district):
    client.force_login(citizen)
    response = client.post(reverse("verification:register"), MARIE_FORM)
    assert response.status_code == 302
    assert response.url == reverse("verification:start")
    citizen.refresh_from_db()
    assert citizen.verification_level == VerificationLevel.RESIDENT
    assert citizen.district == district
    page = client.get(response.url).content.decode()
    assert "message--success" in page


def test_invalid_identity_form_is_shown_again_with_the_field_error_and_what_was_typed(client, citizen, census):
    client.force_login(citizen)
    response = client.post(reverse("verification:register"), {**MARIE_FORM, "postal_code": "451"})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'aria-describedby="id_postal_code_error' in content or "id_postal_code_error" in content
    assert 'value="lefevre dubois"' in content
    assert citizen.verification_level == VerificationLevel.EMAIL


def test_unknown_identity_is_explained_without_saying_who_is_registered(client, citizen, census):
    client.force_login(citizen)
    response = client.post(reverse("verification:register"), {**MARIE_FORM, "birth_date": "15/07/1985"})
    assert response.status_code == 400
    assert "Nous n’avons pas trouvé cette identité" in response.content.decode()


def test_identity_already_used_opens_a_conflict_and_tells_the_person_kindly(client, citizen, census):
    register_match(user=UserFactory(), **MARIE_TYPED)
    client.force_login(citizen)
    response = client.post(reverse("verification:register"), MARIE_FORM, follow=True)
    assert response.status_code == 200
    assert VerificationConflict.objects.get().claimant == citizen
    assert "message--warning" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.verification_level == VerificationLevel.EMAIL


def test_attempts_are_limited_to_five_an_hour_to_stop_guessing(client, citizen, census):
    client.force_login(citizen)
    wrong = {**MARIE_FORM, "birth_date": "01/01/1980"}
    statuses = [client.post(reverse("verification:register"), wrong).status_code for _ in range(5)]
    assert statuses == [400] * 5
    response = client.post(reverse("verification:register"), MARIE_FORM)
    assert response.status_code == 429
    assert 'value="lefevre dubois"' in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.verification_level == VerificationLevel.EMAIL
    assert not RegisterEntry.objects.filter(claimed_by=citizen).exists()


def test_person_asks_for_a_letter(client, citizen, district):
    client.force_login(citizen)
    response = client.post(reverse("verification:letter"), ADDRESS_FORM)
    assert response.status_code == 302
    letter = PostalLetter.objects.get(user=citizen)
    assert letter.status == "requested"
    assert letter.city == "Belleville-sur-Loire"


def test_letter_for_an_address_outside_the_municipality_is_refused_on_the_field(client, citizen, district):
    client.force_login(citizen)
    response = client.post(reverse("verification:letter"), {**ADDRESS_FORM, "postal_code": "75001"})
    assert response.status_code == 400
    assert "id_postal_code_error" in response.content.decode()
    assert not PostalLetter.objects.exists()


def test_missing_address_is_refused(client, citizen, district):
    client.force_login(citizen)
    response = client.post(reverse("verification:letter"), {**ADDRESS_FORM, "address_line1": ""})
    assert response.status_code == 400
    assert "id_address_line1_error" in response.content.decode()


def test_person_cancels_her_letter(client, citizen, district):
    letter_request(user=citizen, **{**ADDRESS_FORM, "address_line2": ""})
    client.force_login(citizen)
    response = client.post(reverse("verification:letter_cancel"))
    assert response.status_code == 302
    assert PostalLetter.objects.get().status == "cancelled"


def test_person_types_the_code_from_the_letter(client, citizen, district, staff):
    letter = letter_request(user=citizen, **ADDRESS_FORM)
    code = letter.code
    letter_mark_sent(letter=letter, staff=staff)
    client.force_login(citizen)
    wrong = client.post(reverse("verification:code"), {"code": "AAAA-BBBB"})
    assert wrong.status_code == 400
    assert "id_code_error" in wrong.content.decode()
    response = client.post(reverse("verification:code"), {"code": code})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.verification_level == VerificationLevel.RESIDENT


def test_empty_code_is_a_field_error(client, citizen):
    client.force_login(citizen)
    response = client.post(reverse("verification:code"), {"code": ""})
    assert response.status_code == 400
    assert "id_code_error" in response.content.decode()
