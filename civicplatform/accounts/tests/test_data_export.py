from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicplatform.accounts.models import DataExport, DataExportStatus
from civicplatform.accounts.services import data_export_build, data_export_purge_expired
from civicplatform.accounts.tests.factories import PASSWORD
from civicplatform.core import registry
from civicplatform.core.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/moi/donnees/"


@pytest.fixture
def comments_exporter(monkeypatch):
    """Another app's dataset, registered the way apps do it."""

    def export_comments(user):
        return [
            {"text": "Plus d’arbres rue Victor-Hugo", "posted_at": datetime(2026, 3, 1, 9, 30, tzinfo=UTC), "likes": 4},
            {"text": "D’accord", "posted_at": datetime(2026, 3, 2, 10, 0, tzinfo=UTC), "likes": 0},
        ]

    monkeypatch.setitem(registry._personal_data_exporters, "comments.comments", export_comments)


def request_export(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL)
    return response


def download_path(message) -> str:
    return re.search(r"https?://[^/]+(/moi/donnees/\S+/)", message.body).group(1)


def open_zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_anonymous_is_sent_to_login(client):
    assert client.get(URL)["Location"] == "/comptes/login/?next=/moi/donnees/"
    assert client.post(URL)["Location"] == "/comptes/login/?next=/moi/donnees/"


def test_wrong_method_is_refused(client, citizen):
    client.force_login(citizen)
    assert client.put(URL).status_code == 405


def test_export_is_built_mailed_and_downloaded(client, citizen, comments_exporter, django_capture_on_commit_callbacks):
    # A real login, so the sign-in history has a row.
    client.post("/comptes/login/", {"login": citizen.email, "password": PASSWORD})

    response = request_export(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    export = DataExport.objects.get(user=citizen)
    assert export.status == DataExportStatus.READY
    assert export.expires_at - export.created_at == timedelta(days=7)
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / export.file_path
    assert stored.exists()
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))
    assert AuditEvent.objects.filter(action="accounts.data_export_requested", actor=citizen).count() == 1

    [message] = mail.outbox
    assert message.to == [citizen.email]
    assert message.subject == "Vos données sont prêtes à être téléchargées"
    link = download_path(message)

    response = client.get(link)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    assert re.match(r'attachment; filename="mes-donnees-\d{4}-\d{2}-\d{2}\.zip"', response["Content-Disposition"])
    archive = open_zip(response)
    names = set(archive.namelist())
    assert {"data.json", "README.txt", "csv/account.profile.csv", "csv/comments.comments.csv"} <= names
    assert "csv/account.login_history.csv" in names

    document = json.loads(archive.read("data.json"))
    profile = document["datasets"]["account.profile"][0]
    assert profile["email"] == citizen.email
    assert profile["pseudonym"] == citizen.pseudonym
    assert profile["district"] == citizen.district.name
    assert document["datasets"]["account.email_addresses"] == [
        {"email": citizen.email, "verified": True, "primary": True}
    ]
    assert len(document["datasets"]["account.login_history"]) == 1
    assert document["datasets"]["comments.comments"][0]["posted_at"] == "2026-03-01T09:30:00Z"

    rows = list(csv.DictReader(io.StringIO(archive.read("csv/comments.comments.csv").decode("utf-8-sig"))))
    assert rows[0] == {"text": "Plus d’arbres rue Victor-Hugo", "posted_at": "2026-03-01T09:30:00Z", "likes": "4"}
    profile_rows = list(csv.DictReader(io.StringIO(archive.read("csv/account.profile.csv").decode("utf-8-sig"))))
    assert profile_rows[0]["pseudonym"] == citizen.pseudonym
    assert "comments.comments.csv (2 lignes)" in archive.read("README.txt").decode()


def test_export_page_lists_requests_with_a_constant_number_of_queries(client, citizen):
    client.force_login(citizen)

    def queries_for_page() -> int:
        # Compared with itself: the site chrome around the list has its own queries.
        with CaptureQueriesContext(connection) as context:
            client.get(URL)
        return len(context)

    DataExport.objects.create(user=citizen, status=DataExportStatus.READY, file_path="exports/a.zip")
    queries_for_page()  # warm the per-process caches (site, settings) first
    with_one = queries_for_page()
    for _ in range(3):
        export = DataExport.objects.create(user=citizen, status=DataExportStatus.READY, file_path="exports/b.zip")

    assert queries_for_page() == with_one
    body = client.get(URL).content.decode()
    assert body.count("/moi/donnees/" + export.token) == 1
    assert "Prêt, jusqu’au" in body


def test_second_request_within_the_hour_is_refused(client, citizen, django_capture_on_commit_callbacks):
    client.force_login(citizen)
    request_export(client, django_capture_on_commit_callbacks)

    response = request_export(client, django_capture_on_commit_callbacks)

    assert response.status_code == 429
    assert "il y a moins d’une heure" in response.content.decode()
    assert DataExport.objects.filter(user=citizen).count() == 1

    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=61)):
        assert request_export(client, django_capture_on_commit_callbacks).status_code == 302
    assert DataExport.objects.filter(user=citizen).count() == 2


def test_link_expires_after_seven_days(client, citizen, django_capture_on_commit_callbacks):
    client.force_login(citizen)
    request_export(client, django_capture_on_commit_callbacks)
    link = download_path(mail.outbox[0])

    with time_machine.travel(datetime.now(UTC) + timedelta(days=6, hours=23)):
        assert client.get(link).status_code == 200

    with time_machine.travel(datetime.now(UTC) + timedelta(days=8)):
        response = client.get(link)

    assert response.status_code == 410
    assert "Lien expiré" in response.content.decode()


def test_other_people_cannot_download(client, citizen, outsider, django_capture_on_commit_callbacks):
    client.force_login(citizen)
    request_export(client, django_capture_on_commit_callbacks)
    link = download_path(mail.outbox[0])

    client.force_login(outsider)
    assert client.get(link).status_code == 404

    client.logout()
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/?next=/moi/donnees/")


def test_unknown_or_pending_export_is_not_found(client, citizen):
    pending = DataExport.objects.create(user=citizen)
    client.force_login(citizen)
    assert client.get(f"/moi/donnees/{pending.token}/").status_code == 404
    assert client.get("/moi/donnees/not-a-token/").status_code == 404
    assert client.post(f"/moi/donnees/{pending.token}/").status_code == 405


def test_building_twice_sends_one_mail(citizen, django_capture_on_commit_callbacks):
    export = DataExport.objects.create(user=citizen)
    with django_capture_on_commit_callbacks(execute=True):
        data_export_build(export_id=export.pk)
        data_export_build(export_id=export.pk)
    assert len(mail.outbox) == 1


def test_a_failing_dataset_marks_the_export_failed(client, citizen, monkeypatch, django_capture_on_commit_callbacks):
    def broken(user):
        raise RuntimeError("database unavailable")

    monkeypatch.setitem(registry._personal_data_exporters, "broken.dataset", broken)
    client.force_login(citizen)

    request_export(client, django_capture_on_commit_callbacks)

    export = DataExport.objects.get(user=citizen)
    assert export.status == DataExportStatus.FAILED
    assert mail.outbox == []
    assert "Échec\xa0: veuillez refaire la demande" in client.get(URL).content.decode()


def test_expired_archives_are_deleted(client, citizen, django_capture_on_commit_callbacks):
    client.force_login(citizen)
    request_export(client, django_capture_on_commit_callbacks)
    export = DataExport.objects.get()
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / export.file_path

    assert data_export_purge_expired() == 0
    with time_machine.travel(datetime.now(UTC) + timedelta(days=8)):
        assert data_export_purge_expired() == 1
    assert not stored.exists()
    export.refresh_from_db()
    assert export.status == DataExportStatus.EXPIRED

    with time_machine.travel(datetime.now(UTC) + timedelta(days=40)):
        data_export_purge_expired()
    assert not DataExport.objects.exists()


def test_purge_task_is_scheduled():
    schedule = settings.CELERY_BEAT_SCHEDULE["accounts-purge-data-exports"]
    assert schedule["task"] == "civicplatform.accounts.tasks.data_export_purge_expired"
