"""Signing, confirming, withdrawing, and the rules of article L1112-16 (quarter rule included)."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from civicplatform.accounts.models import VerificationLevel
from civicplatform.accounts.tests.factories import ElectorFactory, UserFactory
from civicplatform.core.models import AuditEvent
from civicplatform.moderation.models import UserBlock
from civicplatform.territory.tests.factories import MunicipalityFactory
from civicplatform.verification.desk import Participation
from petitions.identity import quarter_of
from petitions.models import PetitionKind, PetitionStatus, QuarterSignature, Signature, SignatureState
from petitions.services import signing

from .conftest import identity
from .factories import PetitionFactory

pytestmark = pytest.mark.django_db

LINK_RE = re.compile(r"http://\S+/petitions/signature/confirmer/(\S+)/")


def _sign_anonymously(petition, *, email="jeanne.martin@gmail.com", name="Jeanne Martin", ip="203.0.113.5", **kwargs):
    return signing.signature_sign_anonymous(
        petition=petition, name=name, email=email, postal_code="45100", ip=ip, **kwargs
    )


def _token_from(message) -> str:
    return LINK_RE.search(message.body).group(1)


# ---------------------------------------------------------------------------- logged in


def test_a_logged_in_citizen_signs_in_one_action_and_it_counts_at_once(petition, citizen):
    signature, created = signing.signature_sign(petition=petition, person=citizen, notify_response=True)
    assert created
    assert signature.state == SignatureState.VALIDATED
    assert signature.district == citizen.district
    assert signature.name == ""  # the account's pseudonym is enough; no name stored
    audit = AuditEvent.objects.get(action="petitions.sign")
    assert audit.actor == citizen
    assert audit.on_behalf_of is None


def test_signing_twice_returns_the_first_signature(petition, citizen):
    first, _created = signing.signature_sign(petition=petition, person=citizen)
    again, created = signing.signature_sign(petition=petition, person=citizen)
    assert not created
    assert again.pk == first.pk
    assert Signature.objects.filter(petition=petition).count() == 1


def test_an_earlier_signature_by_e_mail_counts_as_the_account_holders(petition, citizen):
    _sign_anonymously(petition, email=citizen.email.upper())
    _again, created = signing.signature_sign(petition=petition, person=citizen)
    assert not created
    assert Signature.objects.filter(petition=petition).count() == 1


def test_staff_at_the_desk_sign_for_the_person_and_the_audit_names_both(petition, staff, citizen):
    participation = Participation(person=citizen, actor=staff, on_behalf_of=citizen)
    signature, _created = signing.signature_sign(petition=petition, participation=participation)
    assert signature.user == citizen
    audit = AuditEvent.objects.get(action="petitions.sign")
    assert (audit.actor, audit.on_behalf_of) == (staff, citizen)


def test_an_unconfirmed_account_is_told_to_confirm_its_address(petition):
    person = UserFactory(verification_level=VerificationLevel.NONE)
    with pytest.raises(PermissionDenied, match="(?i)e-mail|adresse"):
        signing.signature_sign(petition=petition, person=person)


def test_a_blocked_person_cannot_sign(petition, citizen, staff):
    UserBlock.objects.create(user=citizen, reason="Spam", blocked_by=staff)
    with pytest.raises(PermissionDenied):
        signing.signature_sign(petition=petition, person=citizen)


def test_nobody_signs_after_the_deadline(petition, citizen):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=11)), pytest.raises(PermissionDenied):
        signing.signature_sign(petition=petition, person=citizen)


# ---------------------------------------------------------------------------- without an account


def test_an_anonymous_signature_counts_once_confirmed_from_the_e_mail(petition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signature, created = _sign_anonymously(petition)
    assert created
    assert signature.state == SignatureState.PENDING
    assert signature.district is not None  # 45100 belongs to one district only
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jeanne.martin@gmail.com"]
    assert petition.title in message.subject
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = signing.signature_confirm(token=_token_from(message))
    assert confirmed.state == SignatureState.VALIDATED
    assert confirmed.confirmed_at is not None
    # Following the link again changes nothing.
    assert signing.signature_confirm(token=_token_from(message)).confirmed_at == confirmed.confirmed_at
    assert AuditEvent.objects.filter(action="petitions.confirm").count() == 1


def test_signing_again_with_another_spelling_of_the_address_re_sends_the_first_link(
    petition, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = _sign_anonymously(petition, email="jeanne.martin@gmail.com")
        again, created = _sign_anonymously(petition, email="JeanneMartin+petition@googlemail.com")
    assert not created
    assert again.pk == first.pk
    assert Signature.objects.filter(petition=petition).count() == 1
    assert len(mail.outbox) == 2
    assert _token_from(mail.outbox[1])  # the same confirmation link, sent to the first address
    assert mail.outbox[1].to == ["jeanne.martin@gmail.com"]


def test_a_confirmed_signer_who_signs_again_is_told_it_already_counts(petition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_anonymously(petition)
    signing.signature_confirm(token=_token_from(mail.outbox[0]))
    with django_capture_on_commit_callbacks(execute=True):
        _sign_anonymously(petition)
    assert "confirmer" not in mail.outbox[1].body
    assert "/petitions/signature/retirer/" in mail.outbox[1].body


def test_the_form_cannot_be_used_to_flood_someones_inbox(petition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(8):
            _sign_anonymously(petition)
    assert len(mail.outbox) == signing.MAX_EMAILS_PER_SIGNATURE


def test_a_confirmation_link_expires_after_a_week(petition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_anonymously(petition)
    token = _token_from(mail.outbox[0])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)), pytest.raises(ValidationError) as error:
        signing.signature_confirm(token=token)
    assert error.value.code == "expired"
    with pytest.raises(ValidationError) as error:
        signing.signature_confirm(token=token[:-3] + "abc")
    assert error.value.code == "invalid"


def test_a_signature_confirmed_after_the_deadline_does_not_count(petition, django_capture_on_commit_callbacks):
    petition.phases.update(ends_at=timezone.now() + datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        _sign_anonymously(petition)
    token = _token_from(mail.outbox[0])
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(days=2)),
        pytest.raises(ValidationError, match="(?i)closed|fermée|close"),
    ):
        signing.signature_confirm(token=token)


def test_nobody_signs_an_l1112_16_request_without_an_account(formal_petition):
    with pytest.raises(PermissionDenied):
        _sign_anonymously(formal_petition)


# ---------------------------------------------------------------------------- withdrawing


def test_a_signer_withdraws_while_the_petition_is_open_and_the_row_goes(petition, citizen):
    signature, _ = signing.signature_sign(petition=petition, person=citizen)
    signing.signature_withdraw(signature=signature, actor=citizen)
    assert not Signature.objects.filter(pk=signature.pk).exists()
    assert AuditEvent.objects.filter(action="petitions.withdraw", actor=citizen).exists()


def test_a_signature_cannot_be_withdrawn_once_the_petition_is_closed(petition, citizen):
    signature, _ = signing.signature_sign(petition=petition, person=citizen)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=11)), pytest.raises(ValidationError):
        signing.signature_withdraw(signature=signature, actor=citizen)


def test_an_anonymous_signer_withdraws_with_the_link_from_the_e_mail(petition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signature, _ = _sign_anonymously(petition)
    token = re.search(r"/petitions/signature/retirer/(\S+)/", mail.outbox[0].body).group(1)
    found = signing.signature_for_withdrawal(token)
    assert found.pk == signature.pk
    signing.signature_withdraw(signature=found)
    assert not Signature.objects.filter(pk=signature.pk).exists()


# ---------------------------------------------------------------------------- L1112-16


def test_only_registered_electors_sign_an_l1112_16_request(formal_petition, resident, citizen):
    for person in (resident, citizen):
        with pytest.raises(PermissionDenied, match="(?i)elector|électorale"):
            signing.signature_sign(petition=formal_petition, person=person, identity=identity())


def test_an_elector_gives_name_and_address_which_are_stored_encrypted(formal_petition):
    elector = ElectorFactory()
    with pytest.raises(ValidationError) as error:
        signing.signature_sign(petition=formal_petition, person=elector, identity={"full_name": "Jeanne Martin"})
    assert set(error.value.error_dict) == {"address", "postal_code", "city"}
    signature, _ = signing.signature_sign(petition=formal_petition, person=elector, identity=identity())
    stored = Signature.objects.filter(pk=signature.pk).values_list("identity_encrypted", flat=True).get()
    assert "Jeanne" not in stored
    assert "Lilas" not in stored


def test_an_elector_signs_only_one_request_per_quarter_to_the_same_municipality(municipality, formal_petition):
    elector = ElectorFactory()
    other_request = PetitionFactory(
        municipality=municipality, kind=PetitionKind.FORMAL, status=PetitionStatus.OPEN, open_for=(1, 200)
    )
    with time_machine.travel(datetime.datetime(2026, 2, 10, 10, 0, tzinfo=datetime.UTC)):
        formal_petition.phases.update(
            starts_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2026, 8, 1, tzinfo=datetime.UTC),
        )
        other_request.phases.update(
            starts_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2026, 8, 1, tzinfo=datetime.UTC),
        )
        signing.signature_sign(petition=formal_petition, person=elector, identity=identity())
        with pytest.raises(ValidationError) as error:
            signing.signature_sign(petition=other_request, person=elector, identity=identity())
        assert formal_petition.title in error.value.messages[0]
        assert "1 avril 2026" in error.value.messages[0] or "April 1, 2026" in error.value.messages[0]
        assert error.value.code == "quarter"
    # On 1 April (Paris time), a new quarter begins.
    with time_machine.travel(datetime.datetime(2026, 3, 31, 22, 30, tzinfo=datetime.UTC)):
        signature, created = signing.signature_sign(petition=other_request, person=elector, identity=identity())
    assert created
    assert signature.quarter_entry.quarter == "2026-Q2"


def test_the_quarter_rule_is_per_collectivite(formal_petition):
    elector = ElectorFactory()
    region = MunicipalityFactory(insee_code="45998", name="Communauté de communes", is_commune=False)
    elsewhere = PetitionFactory(
        municipality=region, kind=PetitionKind.FORMAL, status=PetitionStatus.OPEN, open_for=(1, 10)
    )
    signing.signature_sign(petition=formal_petition, person=elector, identity=identity())
    _signature, created = signing.signature_sign(petition=elsewhere, person=elector, identity=identity())
    assert created


def test_the_database_itself_refuses_a_second_request_in_the_same_quarter(municipality, formal_petition):
    elector = ElectorFactory()
    signature, _ = signing.signature_sign(petition=formal_petition, person=elector, identity=identity())
    other = PetitionFactory(municipality=municipality, kind=PetitionKind.FORMAL, status=PetitionStatus.OPEN)
    stray = Signature.objects.create(petition=other, user=elector, state=SignatureState.VALIDATED)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuarterSignature.objects.create(
            elector=elector, municipality=municipality, quarter=quarter_of(), petition=other, signature=stray
        )


def test_withdrawing_gives_the_elector_their_quarter_back(municipality, formal_petition):
    elector = ElectorFactory()
    other = PetitionFactory(
        municipality=municipality, kind=PetitionKind.FORMAL, status=PetitionStatus.OPEN, open_for=(1, 10)
    )
    signature, _ = signing.signature_sign(petition=formal_petition, person=elector, identity=identity())
    signing.signature_withdraw(signature=signature, actor=elector)
    _other_signature, created = signing.signature_sign(petition=other, person=elector, identity=identity())
    assert created


def test_signing_the_same_request_twice_is_not_a_second_request(formal_petition):
    elector = ElectorFactory()
    first, _ = signing.signature_sign(petition=formal_petition, person=elector, identity=identity())
    again, created = signing.signature_sign(petition=formal_petition, person=elector, identity=identity())
    assert not created
    assert again.pk == first.pk
    assert QuarterSignature.objects.filter(elector=elector).count() == 1
