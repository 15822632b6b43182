from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.territory.tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db, settings):
    settings.ACCOUNTS_STAFF_MFA_REQUIRED = False
    return UserFactory(is_staff=True, is_superuser=True, pseudonym="Admin")


def test_staff_see_districts_with_their_postal_codes_in_the_wagtail_admin(client, admin_user):
    DistrictFactory(name="Bords de Loire", postal_codes=["45120", "45130"])
    client.force_login(admin_user)
    response = client.get("/admin/snippets/territory/district/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Bords de Loire" in content
    assert "45120, 45130" in content


def test_staff_see_the_municipality_in_the_wagtail_admin(client, admin_user, district):
    client.force_login(admin_user)
    response = client.get("/admin/snippets/territory/municipality/")
    assert response.status_code == 200
    assert district.municipality.insee_code in response.content.decode()


def test_people_without_admin_access_cannot_see_the_district_list(client, resident):
    client.force_login(resident)
    response = client.get("/admin/snippets/territory/district/")
    assert response.status_code in (302, 403)


def test_district_postal_codes_must_be_a_list_of_five_digit_codes(district):
    district.postal_codes = "45100"
    with pytest.raises(ValidationError):
        district.full_clean()
    district.postal_codes = ["4510"]
    with pytest.raises(ValidationError):
        district.full_clean()
    district.postal_codes = ["45100", "45110"]
    district.full_clean()
