"""The authority's response and progress reports, through the services."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from civicplatform.core.models import AuditEvent

from .. import services_response as services
from ..models import AuthorityResponse, Decision, Jury, JuryStatus, ProgressReport, ProgressStatus
from .factories_response import make_reported_jury

pytestmark = pytest.mark.django_db


def answer(recommendation, staff, decision=Decision.ACCEPTED, reasons="Nous le ferons.", commitments=""):
    return services.response_publish(
        recommendation=recommendation, decision=decision, reasons=reasons, commitments=commitments, actor=staff
    )


class TestResponsePublish:
    def test_the_jury_is_responded_only_when_every_adopted_recommendation_is_answered(
        self, staff, django_capture_on_commit_callbacks
    ):
        jury, recommendations, _members, _former = make_reported_jury(adopted=2)
        with django_capture_on_commit_callbacks(execute=True):
            answer(recommendations[0], staff)
        assert Jury.objects.get(pk=jury.pk).status == JuryStatus.REPORTED
        with django_capture_on_commit_callbacks(execute=True):
            answer(recommendations[1], staff, Decision.REJECTED, "Trop cher.")
        # R3 is not adopted: it needs no response.
        assert Jury.objects.get(pk=jury.pk).status == JuryStatus.RESPONDED
        assert AuditEvent.objects.filter(action="juries.responded").count() == 1

    def test_reasons_are_required_and_the_decision_must_be_known(self, staff):
        _jury, recommendations, _m, _f = make_reported_jury()
        with pytest.raises(ValidationError) as error:
            answer(recommendations[0], staff, reasons="   ")
        assert "reasons" in error.value.message_dict
        with pytest.raises(ValidationError):
            answer(recommendations[0], staff, decision="maybe")
        assert not AuthorityResponse.objects.exists()

    def test_a_recommendation_not_adopted_gets_no_response(self, staff):
        _jury, recommendations, _m, _f = make_reported_jury(adopted=1)
        with pytest.raises(ValidationError):
            answer(recommendations[1], staff)

    def test_no_response_before_the_report_is_published(self, staff):
        _jury, recommendations, _m, _f = make_reported_jury(published=False)
        with pytest.raises(ValidationError):
            answer(recommendations[0], staff)

    def test_a_correction_is_audited_with_the_previous_wording_and_dated(self, staff):
        _jury, recommendations, _m, _f = make_reported_jury()
        first = answer(recommendations[0], staff, Decision.ACCEPTED, "Oui.")
        assert first.updated_at == first.responded_at
        corrected = answer(recommendations[0], staff, Decision.PARTLY, "En partie seulement.", "D'ici 2027.")
        corrected.refresh_from_db()
        assert corrected.pk == first.pk and corrected.decision == Decision.PARTLY
        assert corrected.updated_at > corrected.responded_at
        event = AuditEvent.objects.get(action="juries.response_updated")
        assert event.data["previous"]["decision"] == Decision.ACCEPTED and event.data["previous"]["reasons"] == "Oui."

    def test_saving_the_same_answer_again_records_nothing(self, staff):
        _jury, recommendations, _m, _f = make_reported_jury()
        answer(recommendations[0], staff)
        answer(recommendations[0], staff)
        assert AuditEvent.objects.filter(action__startswith="juries.response_").count() == 1

    def test_the_signal_is_sent_on_commit_with_created(self, staff, django_capture_on_commit_callbacks):
        from ..signals import response_published

        received = []

        def listener(sender, **kwargs):
            received.append(kwargs["created"])

        response_published.connect(listener, dispatch_uid="test-listener")
        try:
            with django_capture_on_commit_callbacks(execute=False) as callbacks:
                _jury, recommendations, _m, _f = make_reported_jury()
                answer(recommendations[0], staff)
            assert received == []
            for callback in callbacks:
                callback()
            with django_capture_on_commit_callbacks(execute=True):
                answer(recommendations[0], staff, Decision.REJECTED, "Non.")
        finally:
            response_published.disconnect(dispatch_uid="test-listener")
        assert received == [True, False]


class TestProgressReports:
    def test_progress_is_reported_on_accepted_and_partly_accepted_recommendations_only(self, staff):
        _jury, recommendations, _m, _f = make_reported_jury()
        answer(recommendations[0], staff, Decision.ACCEPTED)
        answer(recommendations[1], staff, Decision.REJECTED, "Non.")
        today = timezone.localdate()
        progress = services.progress_report_add(
            recommendation=recommendations[0],
            status=ProgressStatus.IN_PROGRESS,
            text="Travaux lancés.",
            reported_on=today,
            actor=staff,
        )
        assert progress.pk and AuditEvent.objects.filter(action="juries.progress_reported").count() == 1
        for recommendation in (recommendations[1], recommendations[2]):  # rejected; not answered
            with pytest.raises(ValidationError):
                services.progress_report_add(
                    recommendation=recommendation,
                    status=ProgressStatus.DONE,
                    text="Fait.",
                    reported_on=today,
                    actor=staff,
                )
        assert ProgressReport.objects.count() == 1

    def test_a_progress_report_cannot_be_dated_in_the_future(self, staff):
        _jury, recommendations, _m, _f = make_reported_jury()
        answer(recommendations[0], staff)
        with pytest.raises(ValidationError) as error:
            services.progress_report_add(
                recommendation=recommendations[0],
                status=ProgressStatus.DONE,
                text="Fait.",
                reported_on=timezone.localdate() + datetime.timedelta(days=1),
                actor=staff,
            )
        assert "reported_on" in error.value.message_dict
