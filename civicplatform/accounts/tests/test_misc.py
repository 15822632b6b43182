"""Smaller pieces: URL round trips, axes glue, registries, races on the pseudonym."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import resolve, reverse

from civicplatform.accounts import forms as account_forms
from civicplatform.accounts.personal_data import EXPORTERS, export_identity_providers, export_two_factor
from civicplatform.accounts.security import axes_username
from civicplatform.accounts.services import profile_update
from civicplatform.accounts.templatetags.accounts_tags import minutes
from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.core import registry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("accounts:profile", {}, "/moi/"),
        ("accounts:data_export", {}, "/moi/donnees/"),
        ("accounts:data_export_download", {"token": "abc_DEF-123"}, "/moi/donnees/abc_DEF-123/"),
        ("accounts:erase", {}, "/moi/supprimer/"),
    ],
)
def test_urls_round_trip(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name


@pytest.mark.parametrize(
    ("credentials", "post", "expected"),
    [
        ({"email": "Anne@Example.org", "password": "x"}, {}, "anne@example.org"),
        ({"login": "bob@example.org "}, {}, "bob@example.org"),
        ({"username": "Carla@example.org"}, {}, "carla@example.org"),
        (None, {"login": "Dan@example.org"}, "dan@example.org"),
        (None, {}, None),
    ],
)
def test_axes_counts_failures_per_account(credentials, post, expected):
    request = RequestFactory().post("/comptes/login/", post)
    assert axes_username(request, credentials) == expected


def test_minutes_filter_rounds_up():
    assert minutes(timedelta(minutes=30)) == 30
    assert minutes(timedelta(seconds=61)) == 2
    assert minutes(None) == 0


def test_account_datasets_are_registered():
    exporters = registry.personal_data_exporters()
    for key in EXPORTERS:
        assert key in exporters
    assert list(exporters) == sorted(exporters)


def test_two_factor_export_never_contains_the_secret(citizen, with_totp):
    secret = with_totp(citizen)
    rows = export_two_factor(citizen)
    assert rows[0]["type"]
    assert secret not in str(rows)


def test_identity_provider_export(citizen):
    SocialAccount.objects.create(
        user=citizen, provider="openid_connect", uid="fc-123", extra_data={"given_name": "Anne"}
    )
    [row] = export_identity_providers(citizen)
    assert row["uid"] == "fc-123"
    assert row["data_received"] == {"given_name": "Anne"}


def test_pseudonym_taken_between_check_and_save_is_a_clear_error_at_signup(client, monkeypatch):
    UserFactory(pseudonym="Camille")
    # Simulate the race: the form check passes, the database constraint refuses.
    monkeypatch.setattr(account_forms, "validate_pseudonym", lambda value, **kwargs: value)

    response = client.post(
        "/comptes/signup/",
        {
            "email": "late@example.org",
            "pseudonym": "camille",
            "password1": "a-long enough passphrase 42",
            "password2": "a-long enough passphrase 42",
            "accept_terms": "on",
        },
    )

    assert response.status_code == 400
    assert "Ce pseudonyme vient d’être pris." in response.content.decode()
    assert 'value="late@example.org"' in response.content.decode()


def test_pseudonym_taken_between_check_and_save_is_a_clear_error_in_the_profile(citizen):
    UserFactory(pseudonym="Camille")
    with pytest.raises(ValidationError) as error:
        profile_update(user=citizen, pseudonym="CAMILLE", district=None, birth_year=None, postal_code="")
    assert "pseudonym" in error.value.message_dict
