from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import time_machine
from django.core import checks

from civicplatform.core.models import AuditEvent
from civicplatform.notifications import retention
from civicplatform.notifications.models import Channel, Delivery, DigestRun, Notification
from civicplatform.notifications.tasks import retention_enforce

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 1, 3, 15, tzinfo=datetime.UTC)


@pytest.fixture
def extra_purpose():
    """A purpose registered by another app, recording the cutoff it was given."""
    calls = []

    def purge(cutoff):
        calls.append(cutoff)
        return 0

    retention.register_purpose("data_exports", "Exports", purge)
    yield calls
    retention.unregister_purpose("data_exports")


def test_the_notifications_purpose_is_registered_with_a_retention_period(settings):
    assert "notifications" in [purpose.key for purpose in retention.purposes()]
    assert settings.RETENTION_DAYS["notifications"] == 365


def test_notifications_older_than_their_retention_are_deleted_daily(resident, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "notifications": 365}
    with time_machine.travel(NOW - datetime.timedelta(days=366), tick=False):
        old = NotificationFactory(recipient=resident, title="Il y a plus d'un an")
        Delivery.objects.create(notification=old, channel=Channel.EMAIL)
        DigestRun.objects.create(user=resident, date=datetime.date(2025, 5, 30))
    with time_machine.travel(NOW - datetime.timedelta(days=364), tick=False):
        recent = NotificationFactory(recipient=resident, title="Il y a moins d'un an")

    with time_machine.travel(NOW, tick=False):
        removed = retention_enforce.apply().get()

    assert list(Notification.objects.all()) == [recent]
    assert not Delivery.objects.exists()
    assert not DigestRun.objects.exists()
    assert removed["notifications"] == 3  # the notification, its delivery, the summary record
    event = AuditEvent.objects.get(action="retention.purge")
    assert event.data["purpose"] == "notifications"
    assert event.data["removed"] == 3


def test_each_purpose_gets_the_cutoff_of_its_own_setting(settings, extra_purpose):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "data_exports": 7}

    with time_machine.travel(NOW, tick=False):
        retention_enforce.apply()

    assert extra_purpose == [NOW - datetime.timedelta(days=7)]


def test_nothing_removed_leaves_no_audit_row(db):
    with time_machine.travel(NOW, tick=False):
        assert retention.retention_enforce()["notifications"] == 0

    assert not AuditEvent.objects.filter(action="retention.purge").exists()


def test_a_failing_purge_does_not_stop_the_others_and_is_reported(resident, settings, extra_purpose):
    def broken(cutoff):
        raise RuntimeError("table missing")

    retention.register_purpose("moderation_reports", "Reports", broken)
    with time_machine.travel(NOW - datetime.timedelta(days=400), tick=False):
        NotificationFactory(recipient=resident)
    try:
        with time_machine.travel(NOW, tick=False), pytest.raises(retention.RetentionError, match="moderation_reports"):
            retention.retention_enforce()
    finally:
        retention.unregister_purpose("moderation_reports")

    assert not Notification.objects.exists()
    assert extra_purpose  # ran too


def test_a_purpose_without_a_retention_period_fails_the_system_check(settings, extra_purpose):
    settings.RETENTION_DAYS = {key: days for key, days in settings.RETENTION_DAYS.items() if key != "data_exports"}

    errors = retention.check_retention_settings()

    assert [error.id for error in errors] == ["notifications.E001"]
    assert "data_exports" in errors[0].msg


def test_a_negative_retention_period_fails_the_system_check(settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "notifications": -1}

    assert [error.id for error in retention.check_retention_settings()] == ["notifications.E002"]


def test_the_configured_project_passes_the_check():
    assert [e for e in checks.run_checks() if e.id and e.id.startswith("notifications.")] == []


def test_both_daily_tasks_are_in_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {"notifications.digest_send_daily", "notifications.retention_enforce"} <= tasks


def test_every_retention_period_is_justified_in_the_processing_register(settings):
    register = (Path(__file__).resolve().parents[3] / "docs" / "PRIVACY-REGISTER.md").read_text()

    assert [purpose for purpose in settings.RETENTION_DAYS if f"`{purpose}`" not in register] == []
