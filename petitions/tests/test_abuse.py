"""Quiet defences: held signatures still get their e-mail, moderators decide, everything is audited."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from civicplatform.accounts.tests.factories import ElectorFactory
from civicplatform.core.models import AuditEvent
from civicplatform.notifications.models import Notification
from petitions.models import HoldReason, QuarterSignature, Signature, SignatureState, TrendingFlag
from petitions.services import abuse, counting, signing

from .conftest import identity
from .factories import SignatureFactory

pytestmark = pytest.mark.django_db


def _sign(petition, number: int, *, email_domain: str = "example.net", ip: str = "203.0.113.9", **kwargs):
    return signing.signature_sign_anonymous(
        petition=petition,
        name=f"Personne {number}",
        email=f"personne{number}@{email_domain}",
        postal_code="45100",
        ip=ip,
        **kwargs,
    )[0]


def test_signatures_over_the_per_connection_limit_are_held_and_still_e_mailed(
    settings, petition, django_capture_on_commit_callbacks
):
    settings.PETITIONS_HOLD_PER_IP_PER_HOUR = 2
    with django_capture_on_commit_callbacks(execute=True):
        signatures = [_sign(petition, number) for number in range(3)]
    assert [s.state for s in signatures] == ["pending", "pending", "held"]
    assert signatures[2].hold_reason == HoldReason.IP_RATE
    assert len(mail.outbox) == 3  # the third person gets the same e-mail: they learn nothing, lose nothing
    # Another connection is not affected.
    assert _sign(petition, 9, ip="198.51.100.1").state == SignatureState.PENDING


def test_a_held_signature_stays_uncounted_after_confirmation_until_a_moderator_releases_it(
    settings, petition, staff, django_capture_on_commit_callbacks
):
    settings.PETITIONS_HOLD_PER_IP_PER_HOUR = 1
    with django_capture_on_commit_callbacks(execute=True):
        _sign(petition, 1)
        held = _sign(petition, 2)
    token = signing.confirmation_token(held)
    confirmed = signing.signature_confirm(token=token)
    assert confirmed.state == SignatureState.HELD
    assert confirmed.confirmed_at is not None
    assert counting.counts_fold(petition_ids=[petition.pk])[petition.pk] == 0
    assert abuse.signatures_release(signatures=Signature.objects.filter(pk=held.pk), actor=staff) == 1
    assert counting.counts_fold(petition_ids=[petition.pk])[petition.pk] == 1
    assert AuditEvent.objects.filter(action="petitions.release", actor=staff).exists()


def test_many_signatures_from_one_e_mail_domain_are_held_but_never_from_a_common_webmail(settings, petition):
    settings.PETITIONS_HOLD_PER_IP_PER_HOUR = 0
    settings.PETITIONS_HOLD_PER_DOMAIN_PER_HOUR = 2
    corporate = [_sign(petition, n, email_domain="corp.example", ip=f"192.0.2.{n}") for n in range(3)]
    webmail = [_sign(petition, n, email_domain="gmail.com", ip=f"192.0.2.{n + 10}") for n in range(3)]
    assert corporate[2].hold_reason == HoldReason.DOMAIN_RATE
    assert {s.state for s in webmail} == {SignatureState.PENDING}


def test_signatures_from_a_disposable_domain_are_held_and_the_list_is_audited(petition, moderator):
    entry = abuse.disposable_domain_add(domain="@Yopmail.com", actor=moderator)
    assert entry.domain == "yopmail.com"
    from django.core.cache import cache

    cache.delete(signing.DISPOSABLE_CACHE_KEY)
    assert _sign(petition, 1, email_domain="yopmail.com").hold_reason == HoldReason.DISPOSABLE
    with pytest.raises(ValidationError):
        abuse.disposable_domain_add(domain="yopmail.com", actor=moderator)
    abuse.disposable_domain_remove(entry=entry, actor=moderator)
    cache.delete(signing.DISPOSABLE_CACHE_KEY)
    assert _sign(petition, 2, email_domain="yopmail.com").state == SignatureState.PENDING
    assert AuditEvent.objects.filter(action__startswith="petitions.disposable_").count() == 2


def test_a_resident_cannot_edit_the_defences(petition, resident):
    with pytest.raises(PermissionDenied):
        abuse.disposable_domain_add(domain="yopmail.com", actor=resident)
    with pytest.raises(PermissionDenied):
        abuse.signatures_release(signatures=Signature.objects.all(), actor=resident)


def test_the_hourly_job_reports_unusual_connections_and_domains_to_moderators_once(
    settings, petition, staff, moderator
):
    settings.PETITIONS_TRENDING_THRESHOLD = 3
    settings.PETITIONS_HOLD_PER_IP_PER_HOUR = 0
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    with time_machine.travel(hour - datetime.timedelta(minutes=30), tick=False):
        for number in range(3):
            _sign(petition, number, email_domain="corp.example")
        _sign(petition, 5, email_domain="gmail.com", ip="198.51.100.3")
    with time_machine.travel(hour + datetime.timedelta(minutes=10)):
        flags = abuse.trending_flag()
        assert abuse.trending_flag() == []
    assert sorted(flag.kind for flag in flags) == ["domain", "ip"]
    assert TrendingFlag.objects.get(kind="domain").value == "corp.example"
    for person in (staff, moderator):
        assert Notification.objects.filter(recipient=person, kind="petitions.trending").count() == 1
    assert AuditEvent.objects.filter(action="petitions.trending").count() == 2


def test_a_moderator_invalidates_signatures_by_criteria_and_they_stop_counting(petition, moderator):
    bad = SignatureFactory.create_batch(3, petition=petition, email_domain="fraud.example")
    SignatureFactory.create_batch(2, petition=petition)
    with pytest.raises(ValidationError):
        abuse.signatures_invalidate(criteria=abuse.Criteria(petition=petition), summary="Tout", actor=moderator)
    invalidation = abuse.signatures_invalidate(
        criteria=abuse.Criteria(petition=petition, email_domain="FRAUD.example"),
        summary="Adresses fabriquées",
        actor=moderator,
    )
    assert invalidation.matched_count == 3
    assert {s.state for s in Signature.objects.filter(pk__in=[s.pk for s in bad])} == {SignatureState.INVALIDATED}
    assert counting.counts_fold(petition_ids=[petition.pk])[petition.pk] == 2
    audit = AuditEvent.objects.get(action="petitions.invalidate")
    assert audit.actor == moderator
    assert audit.data["criteria"]["email_domain"] == "FRAUD.example"
    assert audit.data["signatures"] == 3


def test_an_invalidated_l1112_16_signature_gives_the_quarter_back(formal_petition, staff):
    elector = ElectorFactory()
    signature, _ = signing.signature_sign(petition=formal_petition, person=elector, identity=identity())
    abuse.signatures_invalidate(
        criteria=abuse.Criteria(petition=formal_petition, created_after=signature.created_at),
        summary="Erreur",
        actor=staff,
    )
    assert not QuarterSignature.objects.filter(elector=elector).exists()
