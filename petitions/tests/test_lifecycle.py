"""From draft to archive: every step audited and told to the author."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from civicplatform.accounts.tests.factories import ResidentFactory, UserFactory
from civicplatform.core.models import AuditEvent
from civicplatform.notifications.models import Notification
from petitions.models import (
    SIGNATURE_PHASE,
    CouncilDecision,
    Petition,
    PetitionConfig,
    PetitionKind,
    PetitionStatus,
    RejectionReason,
    Signature,
)
from petitions.services import counting, lifecycle, signing

from .conftest import identity
from .factories import PetitionFactory, SignatureFactory

pytestmark = pytest.mark.django_db


def _notified(user, *, contains: str = "") -> list[Notification]:
    return [n for n in Notification.objects.filter(recipient=user, kind="petitions.status") if contains in n.title]


def _draft(author, **kwargs) -> Petition:
    return lifecycle.petition_create(
        author=author,
        kind=kwargs.pop("kind", PetitionKind.CIVIC),
        title=kwargs.pop("title", "Des bancs place du Marché"),
        summary="Pour que les personnes âgées puissent s’asseoir.",
        **kwargs,
    )


def test_a_verified_resident_starts_a_draft_with_the_municipalitys_thresholds(municipality, resident):
    PetitionConfig.objects.create(municipality=municipality, response_threshold=300, debate_threshold=1200)
    petition = _draft(resident)
    assert petition.status == PetitionStatus.DRAFT
    assert petition.slug.startswith("des-bancs-place-du-marche-")
    assert (petition.response_threshold, petition.debate_threshold) == (300, 1200)
    assert AuditEvent.objects.filter(action="petitions.create", actor=resident).exists()


def test_a_person_who_is_not_a_verified_resident_cannot_start_a_petition(municipality, citizen):
    with pytest.raises(PermissionDenied):
        _draft(citizen)


def test_only_a_registered_elector_starts_an_l1112_16_request_whose_threshold_is_the_legal_one(
    municipality, resident, elector
):
    with pytest.raises(PermissionDenied):
        _draft(resident, kind=PetitionKind.FORMAL)
    petition = _draft(elector, kind=PetitionKind.FORMAL)
    assert petition.response_threshold is None
    assert petition.debate_threshold == 1745  # 17,450 electors / 10


def test_only_the_author_edits_a_draft_and_only_while_it_is_a_draft(municipality, resident, other_resident):
    petition = _draft(resident)
    lifecycle.petition_update(petition=petition, actor=resident, title="Des bancs et de l’ombre")
    assert Petition.objects.get(pk=petition.pk).title == "Des bancs et de l’ombre"
    with pytest.raises(PermissionDenied):
        lifecycle.petition_update(petition=petition, actor=other_resident, title="Autre chose")
    lifecycle.petition_submit(petition=petition, actor=resident)
    with pytest.raises(PermissionDenied):
        lifecycle.petition_update(petition=petition, actor=resident, title="Trop tard")


def test_submitting_signs_for_the_author_and_asks_for_co_sponsors(municipality, resident):
    petition = _draft(resident)
    lifecycle.petition_submit(petition=petition, actor=resident)
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.GATHERING
    assert Signature.objects.validated().filter(petition=petition, user=resident).count() == 1
    assert AuditEvent.objects.filter(action="petitions.submit").exists()
    assert _notified(resident, contains="co-sponsors") or _notified(resident, contains="cosignataires")


def test_without_co_sponsors_required_a_submitted_petition_goes_straight_to_moderation(municipality, resident):
    PetitionConfig.objects.create(municipality=municipality, cosponsors_required=0)
    petition = _draft(resident)
    lifecycle.petition_submit(petition=petition, actor=resident)
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.MODERATION
    assert petition.moderation_at is not None


def test_the_fifth_co_sponsor_sends_the_petition_to_moderation(municipality, resident):
    petition = _draft(resident)
    lifecycle.petition_submit(petition=petition, actor=resident)
    supporters = UserFactory.create_batch(5)
    for supporter in supporters[:4]:
        signing.signature_sign(petition=petition, person=supporter)
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.GATHERING
    signing.signature_sign(petition=petition, person=supporters[4])
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.MODERATION
    assert AuditEvent.objects.filter(action="petitions.moderation_ready").count() == 1
    assert len(Notification.objects.filter(recipient=resident, kind="petitions.status")) == 2


def test_the_author_cannot_co_sponsor_their_own_petition(municipality, resident):
    petition = _draft(resident)
    lifecycle.petition_submit(petition=petition, actor=resident)
    petition.refresh_from_db()
    again, created = signing.signature_sign(petition=petition, person=resident)
    assert not created
    assert Signature.objects.filter(petition=petition).count() == 1


def _in_moderation(author, **kwargs) -> Petition:
    return PetitionFactory(author=author, status=PetitionStatus.MODERATION, moderation_at=timezone.now(), **kwargs)


def test_a_moderator_publishes_a_petition_for_six_months(municipality, resident, moderator):
    petition = _in_moderation(resident, municipality=municipality, duration_months=6)
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        lifecycle.petition_publish(petition=petition, actor=moderator)
    petition.refresh_from_db()
    phase = petition.phases.get(kind=SIGNATURE_PHASE)
    assert petition.status == PetitionStatus.OPEN
    assert phase.starts_at == datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)
    assert phase.ends_at == datetime.datetime(2026, 9, 10, 9, 0, tzinfo=datetime.UTC)
    assert AuditEvent.objects.filter(action="petitions.publish", actor=moderator).exists()
    assert len(_notified(resident)) == 1


def test_a_resident_cannot_publish_a_petition(municipality, resident, other_resident):
    petition = _in_moderation(resident, municipality=municipality)
    with pytest.raises(PermissionDenied):
        lifecycle.petition_publish(petition=petition, actor=other_resident)


def test_an_l1112_16_request_cannot_open_before_the_electors_are_counted(municipality, elector, staff):
    municipality.registered_electors = 0
    municipality.save()
    petition = _in_moderation(elector, municipality=municipality, kind=PetitionKind.FORMAL)
    with pytest.raises(ValidationError, match="(?i)registered electors|électeurs inscrits"):
        lifecycle.petition_publish(petition=petition, actor=staff)
    municipality.registered_electors = 9000
    municipality.is_commune = False
    municipality.save()
    lifecycle.petition_publish(petition=petition, actor=staff)
    petition.refresh_from_db()
    assert petition.debate_threshold == 450  # a twentieth outside communes


def test_a_rejection_gives_the_author_the_reason_and_a_hidden_reason_hides_the_petition(
    municipality, resident, moderator
):
    petition = _in_moderation(resident, municipality=municipality)
    reason = RejectionReason.objects.get(code="offensive")
    lifecycle.petition_reject(petition=petition, actor=moderator, reason=reason, details="Injures envers un agent.")
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.REJECTED
    assert not petition.is_publicly_visible
    notice = _notified(resident)[0]
    assert reason.title in notice.body
    assert "Injures" in notice.body
    audit = AuditEvent.objects.get(action="petitions.reject")
    assert audit.data == {"reason": "offensive"}


def test_petitions_close_at_their_deadline_and_a_reached_threshold_stays_visible(municipality, resident):
    plain = PetitionFactory(municipality=municipality, author=resident, status=PetitionStatus.OPEN, open_for=(30, 1))
    reached = PetitionFactory(
        municipality=municipality, author=resident, status=PetitionStatus.THRESHOLD, open_for=(30, 1)
    )
    assert lifecycle.petitions_close_expired() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        assert lifecycle.petitions_close_expired() == 2
        assert lifecycle.petitions_close_expired() == 0
    plain.refresh_from_db()
    reached.refresh_from_db()
    assert plain.status == PetitionStatus.CLOSED
    assert reached.status == PetitionStatus.THRESHOLD
    assert plain.closed_at and reached.closed_at
    assert AuditEvent.objects.filter(action="petitions.close").count() == 2


def test_the_official_response_reaches_the_signers_who_asked_for_it(
    municipality, petition, staff, other_resident, django_capture_on_commit_callbacks
):
    asked_by_mail = SignatureFactory(petition=petition, email="alice@example.net", notify_response=True)
    SignatureFactory(petition=petition, email="bob@example.net", notify_response=False)
    SignatureFactory(petition=petition, email="carol@example.net", notify_response=True, state="pending")
    SignatureFactory(petition=petition, user=other_resident, email=other_resident.email, notify_response=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.response_publish(
            petition=petition,
            actor=staff,
            text="La piste sera créée en 2027.",
            responded_on=datetime.date(2026, 5, 1),
            council_decision=CouncilDecision.ACT,
            council_meeting_on=datetime.date(2026, 4, 28),
        )
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED
    recipients = sorted(address for message in mail.outbox for address in message.to)
    # Alice signed by e-mail; the other resident has an account (notified, e-mailed by preference);
    # the author hears about it too. Bob did not ask, Carol never confirmed.
    assert "alice@example.net" in recipients
    assert other_resident.email in recipients
    assert "bob@example.net" not in recipients
    assert "carol@example.net" not in recipients
    alice_mail = next(message for message in mail.outbox if "alice@example.net" in message.to)
    assert "La piste sera créée en 2027." in alice_mail.body
    asked_by_mail.refresh_from_db()
    assert asked_by_mail.response_sent_at is not None
    assert Notification.objects.filter(recipient=other_resident, kind="petitions.response").exists()

    # Correcting the response e-mails nobody again.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.response_publish(
            petition=petition, actor=staff, text="Correction : en 2028.", responded_on=datetime.date(2026, 5, 2)
        )
    assert mail.outbox == []
    assert lifecycle.response_send_to_signers(petition_id=petition.pk) == 0


def test_only_staff_publish_a_response(petition, resident):
    with pytest.raises(PermissionDenied):
        lifecycle.response_publish(
            petition=petition, actor=resident, text="Non.", responded_on=datetime.date(2026, 5, 1)
        )


def test_only_a_closed_or_answered_petition_is_archived(petition, staff):
    with pytest.raises(PermissionDenied):
        lifecycle.petition_archive(petition=petition, actor=staff)
    Petition.objects.filter(pk=petition.pk).update(status=PetitionStatus.CLOSED, closed_at=timezone.now())
    petition.refresh_from_db()
    lifecycle.petition_archive(petition=petition, actor=staff)
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ARCHIVED
    assert AuditEvent.objects.filter(action="petitions.archive", data__previous_status="closed").exists()


def test_an_electors_l1112_16_submission_records_their_address_and_their_quarter(municipality, elector):
    petition = _draft(elector, kind=PetitionKind.FORMAL)
    with pytest.raises(ValidationError):
        lifecycle.petition_submit(petition=petition, actor=elector, identity={"full_name": "Jeanne Martin"})
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.DRAFT
    lifecycle.petition_submit(petition=petition, actor=elector, identity=identity())
    signature = Signature.objects.get(petition=petition)
    assert signature.identity_encrypted
    assert signature.quarter_entry.elector == elector


def test_the_stored_count_of_a_new_resident_petition_starts_from_its_author(municipality):
    author = ResidentFactory()
    petition = _draft(author)
    lifecycle.petition_submit(petition=petition, actor=author)
    counting.counts_fold(petition_ids=[petition.pk])
    petition.refresh_from_db()
    assert petition.signature_count == 1
