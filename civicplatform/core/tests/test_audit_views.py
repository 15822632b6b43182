from __future__ import annotations

import csv
import datetime
import io

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.core.models import AuditEvent
from civicplatform.core.services import audit_record

pytestmark = pytest.mark.django_db

LOG = "/moderation/journal/"
EXPORT = "/moderation/journal/export.csv"


@pytest.fixture
def staff(staff):
    """Staff reach the audit log only with an authenticator app set up."""
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return staff


def at(day: int, **kwargs) -> AuditEvent:
    with time_machine.travel(datetime.datetime(2031, 5, day, 10, 0, tzinfo=datetime.UTC), tick=False):
        return audit_record(**kwargs)


@pytest.fixture
def events(staff, resident, citizen):
    return [
        at(2, action="moderation.content_hide", actor=staff, target=citizen, reason="Insult (rule 2)"),
        at(5, action="accounts.verify", actor=staff, on_behalf_of=resident, target=resident, data={"level": 2}),
        at(9, action="moderation.user_block", actor=UserFactory(pseudonym="Sentinelle"), target=citizen),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in (LOG, EXPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert "/comptes/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["citizen", "resident", "elector"])
def test_people_who_are_not_staff_are_refused(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LOG).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_staff_without_two_factor_authentication_must_set_it_up_first(client):
    from civicplatform.accounts.tests.factories import StaffFactory

    client.force_login(StaffFactory())
    response = client.get(LOG)
    assert response.status_code == 302
    assert "/comptes/" in response["Location"]


def test_the_log_is_read_only(client, staff):
    client.force_login(staff)
    assert client.post(LOG).status_code == 405
    assert client.post(EXPORT).status_code == 405


def test_staff_read_who_did_what_for_whom_newest_first(client, staff, events):
    client.force_login(staff)
    response = client.get(LOG)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Journal d’audit</h1>" in page
    assert (
        page.index("<code>moderation.user_block</code>")
        < page.index("<code>accounts.verify</code>")
        < page.index("<code>moderation.content_hide</code>")
    )
    assert "pour le compte de Camille" in page
    assert "Insult (rule 2)" in page
    assert "Sentinelle" in page
    assert "3 entrées" in page


def test_filters_by_action_prefix_actor_and_dates(client, staff, events):
    client.force_login(staff)
    by_action = client.get(LOG, {"action": "moderation."}).content.decode()
    assert "<code>moderation.content_hide</code>" in by_action
    assert "<code>accounts.verify</code>" not in by_action
    by_actor = client.get(LOG, {"actor": "sentin"}).content.decode()
    assert "<code>moderation.user_block</code>" in by_actor
    assert "<code>moderation.content_hide</code>" not in by_actor
    by_dates = client.get(LOG, {"date_from": "2031-05-03", "date_to": "2031-05-05"}).content.decode()
    assert "<code>accounts.verify</code>" in by_dates
    assert "<code>moderation.content_hide</code>" not in by_dates
    assert "<code>moderation.user_block</code>" not in by_dates


def test_invalid_filters_are_explained_and_kept(client, staff, events):
    client.force_login(staff)
    response = client.get(LOG, {"action": "moderation.", "date_from": "2031-05-09", "date_to": "2031-05-01"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "La date de fin doit être égale ou postérieure à la date de début." in page
    assert 'value="moderation."' in page
    response = client.get(LOG, {"date_from": "yesterday"})
    assert response.status_code == 400
    assert "Saisissez une date valide." in response.content.decode()


def test_the_log_is_paginated_with_a_constant_number_of_queries(client, staff, django_assert_max_num_queries):
    client.force_login(staff)
    for _index in range(3):
        audit_record(action="moderation.content_hide", actor=UserFactory(), on_behalf_of=staff, target=staff)
    client.get(LOG)
    with CaptureQueriesContext(connection) as few:
        client.get(LOG)
    for _index in range(60):
        audit_record(action="moderation.content_hide", actor=UserFactory(), on_behalf_of=staff, target=staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(LOG).content.decode()
    assert page.count("<tr>") == 51  # the header row and 50 entries
    assert "Page 1 sur 2" in page


def test_the_export_streams_the_filtered_rows_and_is_itself_recorded(client, staff, events):
    client.force_login(staff)
    response = client.get(EXPORT, {"action": "moderation."})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="journal-audit-')
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert [row["action"] for row in rows] == ["moderation.user_block", "moderation.content_hide"]
    assert rows[1]["reason"] == "Insult (rule 2)"
    assert rows[1]["actor"] == "Agent"
    export = AuditEvent.objects.get(action="core.audit_export")
    assert (export.actor, export.data) == (staff, {"action": "moderation."})


def test_the_export_names_who_acted_for_whom(client, staff, events):
    client.force_login(staff)
    body = b"".join(client.get(EXPORT, {"action": "accounts."}).streaming_content).decode("utf-8")
    [row] = csv.DictReader(io.StringIO(body.lstrip("\ufeff")), delimiter=";")
    assert (row["actor"], row["on_behalf_of"], row["target_type"]) == ("Agent", "Camille", "accounts.user")
    assert row["data"] == '{"level": 2}'


def test_the_export_defuses_spreadsheet_formulas(client, staff):
    audit_record(action="moderation.content_hide", actor=staff, reason='=HYPERLINK("http://evil.example")')
    client.force_login(staff)
    body = b"".join(client.get(EXPORT).streaming_content).decode("utf-8")
    assert "'=HYPERLINK" in body


def test_an_export_with_invalid_filters_is_refused_with_the_explanation(client, staff):
    client.force_login(staff)
    response = client.get(EXPORT, {"date_to": "31/13/2031"})
    assert response.status_code == 400
    assert "Saisissez une date valide." in response.content.decode()
    assert not AuditEvent.objects.filter(action="core.audit_export").exists()
