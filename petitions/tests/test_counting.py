"""Counting that does not melt: no hot row per signature, and the count settles on the truth."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.core.models import AuditEvent
from civicplatform.notifications.models import Notification
from petitions import selectors
from petitions.models import Petition, PetitionStatus, Signature, SignatureState
from petitions.services import abuse, counting, signing

from .factories import SignatureFactory

pytestmark = pytest.mark.django_db


def test_signing_and_confirming_never_write_the_petition_row(petition, citizen):
    table = Petition._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        signing.signature_sign_anonymous(
            petition=petition, name="Jeanne Martin", email="jeanne@example.net", postal_code="45100", ip="192.0.2.1"
        )
        signing.signature_sign(petition=petition, person=citizen)
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert writes
    assert not [sql for sql in writes if f'"{table}"' in sql.split("SET")[0]]


def test_the_displayed_count_may_lag_a_few_seconds_and_equals_the_rows_once_settled(settings, petition, staff):
    settings.PETITIONS_COUNT_CACHE_SECONDS = 30
    SignatureFactory.create_batch(3, petition=petition)
    assert selectors.signature_count(petition) == 3
    # New signatures of every kind: only validated ones count.
    SignatureFactory.create_batch(2, petition=petition)
    SignatureFactory(petition=petition, state=SignatureState.PENDING, confirmed_at=None)
    held = SignatureFactory(petition=petition, state=SignatureState.HELD, email_domain="spam.example")
    SignatureFactory(petition=petition, state=SignatureState.INVALIDATED)
    withdrawn = SignatureFactory(petition=petition)
    withdrawn.delete()
    # The cached number lags...
    assert selectors.signature_count(petition) == 3
    # ...until the fold (every few seconds, and after confirmations) settles every figure on the rows.
    counting.counts_fold()
    petition.refresh_from_db()
    truth = Signature.objects.filter(petition=petition, state=SignatureState.VALIDATED).count()
    assert truth == 5
    assert petition.signature_count == truth
    assert selectors.signature_count(petition) == truth
    # Releasing and invalidating move it again, and it settles again.
    abuse.signatures_release(signatures=Signature.objects.filter(pk=held.pk), actor=staff)
    counting.counts_fold()
    petition.refresh_from_db()
    assert petition.signature_count == selectors.signature_count(petition) == 6


def test_a_fold_is_asked_for_at_most_once_per_window(settings, petition):
    settings.PETITIONS_FOLD_DEBOUNCE_SECONDS = 30
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a worker and beat run the tasks, as deployed
    from django.core.cache import cache

    cache.delete(f"petitions:fold:{petition.pk}")
    with mock.patch("petitions.tasks.counts_fold.apply_async") as apply_async:
        for _confirmation in range(50):
            counting.fold_request(petition.pk)
    assert apply_async.call_count == 1
    assert apply_async.call_args.kwargs["countdown"] == 30
    cache.delete(f"petitions:fold:{petition.pk}")


def test_reaching_the_thresholds_is_recorded_once_and_told_to_the_author_and_followers(petition, author):
    from civicplatform.notifications.services import follow

    Petition.objects.filter(pk=petition.pk).update(response_threshold=3, debate_threshold=5)
    follower = UserFactory()
    follow(user=follower, target=petition)
    SignatureFactory.create_batch(3, petition=petition)
    counting.counts_fold()
    counting.counts_fold()
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.THRESHOLD
    assert petition.response_threshold_reached_at is not None
    assert petition.debate_threshold_reached_at is None
    assert AuditEvent.objects.filter(action="petitions.threshold").count() == 1
    assert Notification.objects.filter(recipient=author, kind="petitions.status").count() == 1
    assert Notification.objects.filter(recipient=follower).count() == 1
    SignatureFactory.create_batch(2, petition=petition)
    counting.counts_fold()
    petition.refresh_from_db()
    assert petition.debate_threshold_reached_at is not None
    assert AuditEvent.objects.filter(action="petitions.threshold", data__threshold="debate").count() == 1


def test_an_l1112_16_request_at_its_legal_threshold_goes_to_the_mayor(formal_petition):
    Petition.objects.filter(pk=formal_petition.pk).update(debate_threshold=2)
    SignatureFactory.create_batch(2, petition=formal_petition)
    counting.counts_fold(petition_ids=[formal_petition.pk])
    formal_petition.refresh_from_db()
    assert formal_petition.status == PetitionStatus.THRESHOLD
    notice = Notification.objects.get(recipient=formal_petition.author)
    assert "maire" in notice.body or "mayor" in notice.body


def test_the_progress_bar_aims_at_the_next_threshold(petition):
    assert selectors.progress(petition, 120).goal == 500
    assert selectors.progress(petition, 120).percent == 24
    assert selectors.progress(petition, 700).goal == 2000
    done = selectors.progress(petition, 2500)
    assert done.goal == 2000
    assert done.percent == 100
    assert len(done.reached) == 2


def test_new_signatures_are_e_mailed_by_one_task_rather_than_one_task_each(
    settings, petition, django_capture_on_commit_callbacks
):
    from django.core import mail
    from django.core.cache import cache

    settings.PETITIONS_MAIL_DEBOUNCE_SECONDS = 30
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a worker and beat run the tasks, as deployed
    cache.delete("petitions:confirmations-requested")
    with (
        mock.patch("petitions.tasks.confirmations_send.apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        for number in range(5):
            signing.signature_sign_anonymous(
                petition=petition, name="Jeanne", email=f"j{number}@example.net", postal_code="45100", ip="192.0.2.9"
            )
    cache.delete("petitions:confirmations-requested")
    assert apply_async.call_count == 1
    assert mail.outbox == []
    assert signing.confirmations_send() == 5
    assert signing.confirmations_send() == 0
    assert sorted(message.to[0] for message in mail.outbox) == [f"j{n}@example.net" for n in range(5)]


def test_without_a_worker_every_signer_gets_the_e_mail_and_every_confirmation_is_folded(
    settings, client, petition, django_capture_on_commit_callbacks
):
    """`make run` has no Celery worker nor beat (tasks run inline): nothing may wait for a later run."""
    from django.core import mail
    from django.core.cache import cache

    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PETITIONS_MAIL_DEBOUNCE_SECONDS = 30
    settings.PETITIONS_FOLD_DEBOUNCE_SECONDS = 30
    cache.delete_many(["petitions:confirmations-requested", f"petitions:fold:{petition.pk}"])
    signatures = []
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            signature, _created = signing.signature_sign_anonymous(
                petition=petition, name="Jeanne", email=f"j{number}@example.net", postal_code="45100", ip="192.0.2.9"
            )
            signatures.append(signature)
    assert sorted(message.to[0] for message in mail.outbox) == [f"j{n}@example.net" for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        for signature in signatures:
            signing.signature_confirm(token=signing.confirmation_token(signature))
    petition.refresh_from_db()
    assert petition.signature_count == 3


def test_the_signature_form_reads_the_petition_once_per_cache_window(settings, client, petition):
    from django.urls import reverse

    from petitions import selectors as petition_selectors

    settings.PETITIONS_SIGNING_CACHE_SECONDS = 60
    petition_selectors._signing_cache.clear()
    url = reverse("petitions:sign", args=[petition.slug])
    form = {"name": "Jeanne Martin", "postal_code": "45100", "consent": "on"}
    client.post(url, {**form, "email": "a@example.net"})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {**form, "email": "b@example.net"})
    petition_selectors._signing_cache.clear()
    assert response.status_code == 302
    table = f'"{Petition._meta.db_table}"'
    assert not [q["sql"] for q in queries.captured_queries if f"FROM {table}" in q["sql"]]
    assert Signature.objects.filter(petition=petition).count() == 2
