"""Personal data: anonymised six months after closing, exported on request, erased with the account."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from civicplatform.accounts.tests.factories import ElectorFactory
from civicplatform.core.models import AuditEvent
from civicplatform.notifications.retention import retention_enforce
from petitions import personal_data
from petitions.models import Petition, PetitionStatus, QuarterSignature, Signature
from petitions.services import signing

from .conftest import identity
from .factories import PetitionFactory, SignatureFactory

pytestmark = pytest.mark.django_db


def test_signers_are_anonymised_six_months_after_closing_and_the_count_stays(formal_petition, petition):
    elector = ElectorFactory()
    signing.signature_sign(petition=formal_petition, person=elector, identity=identity())
    SignatureFactory(petition=formal_petition, name="Alice", email="alice@example.net", ip_hash="abc")
    Petition.objects.filter(pk=formal_petition.pk).update(
        status=PetitionStatus.CLOSED, closed_at=timezone.now() - datetime.timedelta(days=200)
    )
    recent = SignatureFactory(petition=petition, name="Bob")
    Petition.objects.filter(pk=petition.pk).update(
        status=PetitionStatus.CLOSED, closed_at=timezone.now() - datetime.timedelta(days=100)
    )
    removed = retention_enforce()
    assert removed["petition_signatures"] == 2
    rows = Signature.objects.filter(petition=formal_petition)
    assert rows.count() == 2
    assert set(rows.values_list("name", "email", "user", "identity_encrypted", "ip_hash").distinct()) == {
        ("", None, None, "", "")
    }
    assert not QuarterSignature.objects.filter(petition=formal_petition).exists()
    assert Signature.objects.get(pk=recent.pk).name == "Bob"
    formal_petition.refresh_from_db()
    assert formal_petition.anonymised_at is not None
    assert AuditEvent.objects.filter(action="retention.purge", data__purpose="petition_signatures").exists()
    assert retention_enforce()["petition_signatures"] == 0


def test_a_person_downloads_their_signatures_and_petitions(petition, author, citizen):
    signing.signature_sign(petition=petition, person=citizen, public_name=True)
    rows = personal_data.export_signatures(citizen)
    assert rows[0]["petition"] == petition.title
    assert rows[0]["name_shown_publicly"] is True
    assert personal_data.export_petitions(author)[0]["title"] == petition.title


def test_erasing_an_account_withdraws_open_signatures_and_anonymises_the_others(municipality, petition, citizen):
    closed = PetitionFactory(municipality=municipality, status=PetitionStatus.CLOSED, closed_at=timezone.now())
    draft = PetitionFactory(municipality=municipality, author=citizen)
    signing.signature_sign(petition=petition, person=citizen)
    SignatureFactory(petition=closed, user=citizen, name="Claire")
    personal_data.erase_signatures(citizen)
    assert not Signature.objects.filter(petition=petition).exists()
    kept = Signature.objects.get(petition=closed)
    assert (kept.user, kept.name) == (None, "")
    assert not Petition.objects.filter(pk=draft.pk).exists()
