from __future__ import annotations

import pytest

from civicplatform.core import registry
from civicplatform.core.models import AuditEvent
from civicplatform.moderation import services
from civicplatform.moderation.models import ModeratorAssignment, Report, ReportCategory

pytestmark = pytest.mark.django_db


def test_a_person_gets_their_reports_their_block_and_their_assignments(citizen, note_a, blocked, moderator_a):
    services.report_create(content=note_a, category=ReportCategory.OTHER, note="Wrong date given", reporter=citizen)
    exporters = registry.personal_data_exporters()
    [row] = exporters["moderation.reports"](citizen)
    assert (row["reason"], row["details"], row["content_kind"]) == ("Autre", "Wrong date given", "note")
    assert exporters["moderation.block"](blocked)[0]["justification"] == "Repeated insults"
    assert exporters["moderation.block"](citizen) == []
    [assignment] = exporters["moderation.moderator_assignments"](moderator_a)
    assert assignment["title"] == "Adjointe à la démocratie locale"
    assert assignment["elected_official"] is True


def test_the_export_never_names_other_reporters(citizen, other_resident, note_a):
    services.report_create(content=note_a, category=ReportCategory.SPAM, reporter=citizen)
    services.report_create(content=note_a, category=ReportCategory.SPAM, reporter=other_resident)
    rows = registry.personal_data_exporters()["moderation.reports"](citizen)
    assert len(rows) == 1
    assert other_resident.public_name not in str(rows)


def test_erasure_keeps_reports_anonymously_and_ends_moderation_rights(citizen, moderator_a, note_a):
    services.report_create(content=note_a, category=ReportCategory.OTHER, note="Names my son", reporter=citizen)
    registry.erasure_hooks()["moderation"](citizen)
    registry.erasure_hooks()["moderation"](moderator_a)
    report = Report.objects.get()
    assert (report.reporter, report.note) == (None, "")
    # the same person still cannot report the same content twice
    assert report.reporter_key == f"user:{citizen.pk}"
    assert not ModeratorAssignment.objects.filter(user=moderator_a).exists()
    assert AuditEvent.objects.filter(action="moderation.moderator_unassign", target_id=str(moderator_a.pk)).exists()
