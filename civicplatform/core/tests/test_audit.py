from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from civicplatform.core.models import AuditEvent
from civicplatform.core.services import audit_record

pytestmark = pytest.mark.django_db


def test_audit_record_links_actor_target_and_reason(staff, resident):
    event = audit_record(action="accounts.verify", actor=staff, target=resident, reason="desk", data={"level": 2})
    event.refresh_from_db()
    assert event.actor == staff
    assert AuditEvent.objects.for_target(resident).get() == event
    assert event.data == {"level": 2}


def test_audit_rows_cannot_be_changed_or_removed_through_the_orm(staff):
    event = audit_record(action="moderation.hide", actor=staff)
    event.reason = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(reason="rewritten")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger exists on PostgreSQL only")
def test_postgresql_refuses_raw_updates_of_the_audit_log(staff):
    audit_record(action="moderation.hide", actor=staff)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET reason = 'rewritten'")


def test_retention_purge_removes_only_rows_older_than_the_cutoff(staff):
    import datetime

    import time_machine
    from django.utils import timezone

    from civicplatform.core.services import audit_log_purge

    with time_machine.travel(timezone.now() - datetime.timedelta(days=2000)):
        audit_record(action="old.action", actor=staff)
    recent = audit_record(action="recent.action", actor=staff)

    removed = audit_log_purge(timezone.now() - datetime.timedelta(days=1825))

    assert removed == 1
    assert list(AuditEvent.objects.all()) == [recent]
