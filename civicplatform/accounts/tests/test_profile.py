from __future__ import annotations

import pytest
import time_machine
from django.contrib.messages import get_messages

from civicplatform.accounts.models import VerificationLevel
from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.territory.tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db

URL = "/moi/"


def profile_data(user, **overrides):
    data = {
        "pseudonym": user.pseudonym,
        "district": user.district_id or "",
        "birth_year": "",
        "postal_code": "",
    }
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/comptes/login/?next=/moi/"


def test_profile_page_shows_pseudonym_and_private_email(client, citizen):
    client.force_login(citizen)
    body = client.get(URL).content.decode()
    assert f"Vous participez sous le nom « {citizen.pseudonym} »" in body
    assert citizen.email in body
    assert 'name="postal_code"' in body


def test_wrong_method_is_refused(client, citizen):
    client.force_login(citizen)
    assert client.put(URL).status_code == 405


def test_profile_is_saved(client, citizen):
    district = DistrictFactory(name="Nord")
    client.force_login(citizen)

    response = client.post(
        URL,
        profile_data(
            citizen, pseudonym="  Nouvelle   Voix ", district=district.pk, birth_year="1980", postal_code="69 003"
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == URL
    [message] = get_messages(response.wsgi_request)
    assert str(message) == "Votre profil a été enregistré."
    citizen.refresh_from_db()
    assert citizen.pseudonym == "Nouvelle Voix"
    assert citizen.district == district
    assert citizen.birth_year == 1980
    assert citizen.postal_code == "69003"


def test_optional_fields_can_be_left_empty(client, citizen):
    citizen.birth_year = 1990
    citizen.postal_code = "75011"
    citizen.save()
    client.force_login(citizen)

    client.post(URL, profile_data(citizen))

    citizen.refresh_from_db()
    assert citizen.birth_year is None
    assert citizen.postal_code == ""


@pytest.mark.parametrize("postal_code", ["7501", "750111", "ABCDE", "00100", "96000", "99000"])
def test_postal_code_must_be_french(client, citizen, postal_code):
    client.force_login(citizen)

    response = client.post(URL, profile_data(citizen, postal_code=postal_code))

    body = response.content.decode()
    assert response.status_code == 400
    assert "Indiquez un code postal français de cinq chiffres" in body
    assert f'value="{postal_code}"' in body
    citizen.refresh_from_db()
    assert citizen.postal_code == ""


@pytest.mark.parametrize("postal_code", ["01000", "20000", "75011", "97400", "98800"])
def test_french_postal_codes_are_accepted(client, citizen, postal_code):
    client.force_login(citizen)
    assert client.post(URL, profile_data(citizen, postal_code=postal_code)).status_code == 302


@time_machine.travel("2026-06-01 12:00 +0200")
@pytest.mark.parametrize(
    ("year", "accepted"), [("1905", False), ("1906", True), ("2016", True), ("2017", False), ("3000", False)]
)
def test_birth_year_must_be_plausible(client, citizen, year, accepted):
    client.force_login(citizen)

    response = client.post(URL, profile_data(citizen, birth_year=year))

    if accepted:
        assert response.status_code == 302
    else:
        assert response.status_code == 400
        assert "Indiquez une année de naissance comprise entre 1906 et 2016." in response.content.decode()


def test_pseudonym_of_someone_else_is_refused_whatever_the_case(client, citizen):
    UserFactory(pseudonym="Dominique")
    client.force_login(citizen)

    response = client.post(URL, profile_data(citizen, pseudonym="DOMINIQUE", postal_code="75011"))

    body = response.content.decode()
    assert response.status_code == 400
    assert "déjà pris" in body
    assert 'value="75011"' in body
    # The page header still shows the saved pseudonym, not the refused one.
    assert f"« {citizen.pseudonym} »" in body
    citizen.refresh_from_db()
    assert citizen.pseudonym != "DOMINIQUE"


def test_changing_only_the_case_of_ones_own_pseudonym_is_allowed(client, citizen):
    client.force_login(citizen)
    response = client.post(URL, profile_data(citizen, pseudonym=citizen.pseudonym.upper()))
    assert response.status_code == 302


def test_verified_resident_cannot_move_to_another_district(client, resident):
    elsewhere = DistrictFactory(name="Sud")
    client.force_login(resident)
    assert resident.verification_level == VerificationLevel.RESIDENT

    page = client.get(URL).content.decode()
    assert "Fixé lors de la vérification de votre domicile" in page

    client.post(URL, profile_data(resident, district=elsewhere.pk))

    resident.refresh_from_db()
    assert resident.district != elsewhere
