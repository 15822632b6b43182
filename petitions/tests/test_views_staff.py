"""Staff pages: settings, official response, archive, and the audited L1112-16 signatory list."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from civicplatform.accounts.tests.factories import ElectorFactory
from civicplatform.core.models import AuditEvent
from petitions.models import PetitionConfig, PetitionStatus
from petitions.services import signing

from .conftest import identity

pytestmark = pytest.mark.django_db


def test_staff_set_the_thresholds_of_civic_petitions(client, municipality, staff, moderator):
    url = reverse("petitions:settings")
    client.force_login(moderator)
    assert client.get(url).status_code == 403
    client.force_login(staff)
    assert client.get(url).status_code == 200
    data = {
        "response_threshold": 300,
        "debate_threshold": 100,
        "cosponsors_required": 5,
        "duration_months": 6,
        "moderation_overdue_days": 14,
    }
    assert client.post(url, data).status_code == 400
    assert client.post(url, {**data, "debate_threshold": 1500}).status_code == 302
    config = PetitionConfig.objects.get(municipality=municipality)
    assert (config.response_threshold, config.debate_threshold) == (300, 1500)
    assert AuditEvent.objects.filter(action="petitions.config_update", actor=staff).exists()


def test_staff_publish_the_official_response_with_a_document(client, petition, staff, resident):
    url = reverse("petitions:respond", args=[petition.slug])
    client.force_login(resident)
    assert client.get(url).status_code == 403
    client.force_login(staff)
    response = client.post(url, {"text": "", "responded_on": "2026-05-01", "council_decision": "none"})
    assert response.status_code == 400
    document = SimpleUploadedFile("deliberation.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        url,
        {
            "text": "Le conseil a décidé d’agir.",
            "responded_on": "2026-05-01",
            "council_decision": "act",
            "council_meeting_on": "2026-04-28",
            "document_title": "Délibération",
            "document": document,
        },
    )
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED
    page = client.get(petition.get_absolute_url()).content.decode()
    assert "Délibération" in page


def test_a_council_decision_needs_the_meeting_date(client, petition, staff):
    client.force_login(staff)
    response = client.post(
        reverse("petitions:respond", args=[petition.slug]),
        {"text": "Oui.", "responded_on": "2026-05-01", "council_decision": "act"},
    )
    assert response.status_code == 400
    assert "id_council_meeting_on" in response.content.decode()


def test_staff_archive_a_closed_petition_by_post(client, petition, staff):
    url = reverse("petitions:archive", args=[petition.slug])
    client.force_login(staff)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    petition.status = PetitionStatus.CLOSED
    petition.closed_at = timezone.now()
    petition.save()
    assert client.post(url).status_code == 302
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ARCHIVED


def test_the_signatory_list_for_the_mayor_is_for_staff_and_every_export_is_audited(
    client, formal_petition, staff, moderator
):
    signing.signature_sign(petition=formal_petition, person=ElectorFactory(), identity=identity())
    signing.signature_sign(
        petition=formal_petition, person=ElectorFactory(), identity=identity(full_name="=Paul Durand")
    )
    url = reverse("petitions:signatories_export", args=[formal_petition.slug])
    assert client.get(url).status_code == 302
    client.force_login(moderator)
    assert client.get(url).status_code == 403
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Jeanne Martin,3 rue des Lilas,45100,Belleville" in body
    assert "'=Paul Durand" in body  # defused for spreadsheets
    assert AuditEvent.objects.filter(action="petitions.export_signatories", actor=staff, data__rows=2).exists()


def test_a_civic_petition_has_no_signatory_list(client, petition, staff):
    client.force_login(staff)
    assert client.get(reverse("petitions:signatories_export", args=[petition.slug])).status_code == 403


def test_date_fields_are_prefilled_in_the_iso_format_browsers_need(client, petition, staff):
    client.force_login(staff)
    page = client.get(reverse("petitions:respond", args=[petition.slug])).content.decode()
    assert f'type="date" name="responded_on" value="{timezone.localdate().isoformat()}"' in page
