"""The completed demo jury: report, responses and progress; its pages render; loading twice changes nothing."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from civicplatform.core.models import AuditEvent

from ..demo_response import SLUG, load_demo
from ..models import (
    AuthorityResponse,
    Decision,
    Jury,
    JuryStatus,
    ProgressReport,
    Recommendation,
    RecommendationStatus,
    Registrant,
    Seat,
)

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, int]:
    return {
        "juries": Jury.objects.count(),
        "recommendations": Recommendation.objects.count(),
        "responses": AuthorityResponse.objects.count(),
        "progress": ProgressReport.objects.count(),
        "registrants": Registrant.objects.count(),
        "seats": Seat.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_the_demo_jury_is_completed_with_responses_and_progress_and_loads_once(client):
    out = io.StringIO()
    load_demo(out)
    jury = Jury.objects.get(slug=SLUG)
    assert jury.status == JuryStatus.RESPONDED and jury.published and jury.report.published_at
    statuses = list(jury.recommendations.order_by("number").values_list("status", flat=True))
    assert statuses.count(RecommendationStatus.ADOPTED) == 5 and statuses.count(RecommendationStatus.NOT_ADOPTED) == 1
    decisions = set(AuthorityResponse.objects.filter(recommendation__jury=jury).values_list("decision", flat=True))
    assert decisions == {Decision.ACCEPTED, Decision.PARTLY, Decision.REJECTED}
    dates = ProgressReport.objects.filter(recommendation__jury=jury).values_list("reported_on", flat=True)
    assert len(set(dates)) >= 4
    assert jury.minority_views.get().signatories.count() == 3
    assert 30 <= jury.registrants.count() <= 50 and not jury.runs.exists()
    before = snapshot()
    load_demo(out)
    assert snapshot() == before

    page = client.get(jury.get_absolute_url()).content.decode()
    assert reverse("juries:response", args=[SLUG]) in page
    assert "tirages" not in page  # no draw is claimed for this jury
    overview = client.get(reverse("juries:response", args=[SLUG]))
    assert overview.status_code == 200
    for number in range(1, 7):
        response = client.get(reverse("juries:recommendation", args=[SLUG, number]))
        assert response.status_code == 200
    # R5 was first rejected, then corrected: the page gives the reasons now in force and the date of the change.
    corrected = client.get(reverse("juries:recommendation", args=[SLUG, 5])).content.decode()
    r5 = AuthorityResponse.objects.get(recommendation__jury=jury, recommendation__number=5)
    with translation.override("fr"):
        updated = translation.gettext("updated on %(date)s") % {
            "date": date_format(timezone.localtime(r5.updated_at), "j F Y")
        }
        decision = str(Decision.PARTLY.label)
    assert "pont de Fer" in corrected and updated in corrected and decision in corrected
    assert AuditEvent.objects.filter(action="juries.response_updated", target_id=str(r5.pk)).exists()
