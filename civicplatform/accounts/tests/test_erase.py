from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from axes.models import AccessLog
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation

from civicplatform.accounts.models import DataExport, LoginSession, User
from civicplatform.accounts.services import user_erase
from civicplatform.accounts.tests.factories import PASSWORD
from civicplatform.core import registry
from civicplatform.core.models import AuditEvent
from civicplatform.core.services import audit_record

pytestmark = pytest.mark.django_db

URL = "/moi/supprimer/"


@pytest.fixture
def erasure_calls(monkeypatch):
    """A verification-like app's erasure hook, registered the way apps do it."""
    calls = []
    monkeypatch.setitem(registry._erasure_hooks, "verification.wipe", lambda user: calls.append((user.pk, user.email)))
    return calls


def log_in(client, user):
    client.post("/comptes/login/", {"login": user.email, "password": PASSWORD})
    assert int(client.session["_auth_user_id"]) == user.pk


def test_anonymous_is_sent_to_login(client):
    assert client.get(URL)["Location"] == "/comptes/login/?next=/moi/supprimer/"


def test_wrong_method_is_refused(client, citizen):
    client.force_login(citizen)
    assert client.put(URL).status_code == 405


def test_page_explains_what_is_kept_and_what_is_erased(client, citizen):
    client.force_login(citizen)
    body = client.get(URL).content.decode()
    assert "Participant supprimé" in body
    assert "c’est irréversible" in body
    assert 'name="password"' in body
    assert 'href="/moi/donnees/"' in body


def test_wrong_password_keeps_the_account(client, citizen, erasure_calls):
    client.force_login(citizen)

    response = client.post(URL, {"password": "not mine", "confirm": "on"})

    assert response.status_code == 400
    assert "Ce mot de passe est incorrect." in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.erased_at is None
    assert erasure_calls == []


def test_the_box_must_be_ticked(client, citizen):
    client.force_login(citizen)

    response = client.post(URL, {"password": PASSWORD})

    assert response.status_code == 400
    assert "Cochez la case" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.erased_at is None


def test_erasure_wipes_the_person_and_keeps_contributions(
    client, citizen, with_totp, erasure_calls, django_capture_on_commit_callbacks
):
    email, pk = citizen.email, citizen.pk
    with_totp(citizen)
    group = Group.objects.create(name="Conseil de quartier")
    citizen.groups.add(group)
    # A contribution of another app; the audit log stands in for it here.
    contribution = audit_record(action="comments.comment_posted", actor=citizen, data={"text": "Plus d’arbres"})
    other_browser = Client()
    other_browser.force_login(citizen)
    other_key = other_browser.session.session_key
    client.force_login(citizen)
    AccessLog.objects.create(
        username=email, ip_address="192.0.2.1", user_agent="Firefox", http_accept="*/*", path_info="/comptes/login/"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    [message] = get_messages(response.wsgi_request)
    assert "Votre compte a été supprimé" in str(message)

    user = User.objects.get(pk=pk)
    assert user.email is None
    assert user.pseudonym is None
    assert user.district is None
    assert user.birth_year is None
    assert user.postal_code == ""
    assert user.erased_at is not None
    assert not user.is_active
    assert not user.has_usable_password()
    assert not user.groups.exists()
    assert not EmailAddress.objects.filter(user_id=pk).exists()
    assert not Authenticator.objects.filter(user_id=pk).exists()
    assert not AccessLog.objects.filter(username=email).exists()
    assert not LoginSession.objects.filter(user_id=pk).exists()

    # Hooks ran with the person still intact, inside the transaction.
    assert erasure_calls == [(pk, email)]

    # The contribution stays, still pointing at the account, now shown as deleted.
    contribution.refresh_from_db()
    assert contribution.actor_id == pk
    with translation.override("fr"):
        rendered = Template("{{ contribution.actor.public_name }}").render(Context({"contribution": contribution}))
    assert rendered == "Participant supprimé"

    # An audit row without personal data.
    audit = AuditEvent.objects.get(action="accounts.user_erased")
    assert audit.target_id == str(pk)
    assert "verification.wipe" in audit.data["erasure_hooks"]
    assert set(audit.data) == {"erasure_hooks"}
    assert email not in str(audit.data)

    # Logged out here and in the other browser.
    assert "_auth_user_id" not in client.session
    assert client.get("/moi/").status_code == 302
    assert not Session.objects.filter(session_key=other_key).exists()
    assert other_browser.get("/moi/")["Location"].startswith("/comptes/login/")

    # The old credentials no longer open anything.
    fresh = Client()
    response = fresh.post("/comptes/login/", {"login": email, "password": PASSWORD})
    assert "_auth_user_id" not in fresh.session


def test_erasure_deletes_prepared_exports(citizen, django_capture_on_commit_callbacks):
    private = Path(settings.PRIVATE_MEDIA_ROOT) / "exports"
    private.mkdir(parents=True)
    (private / "archive.zip").write_bytes(b"PK")
    DataExport.objects.create(user=citizen, status="ready", file_path="exports/archive.zip")

    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=citizen)

    assert not DataExport.objects.filter(user=citizen).exists()
    assert not (private / "archive.zip").exists()


def test_a_failing_hook_leaves_the_account_untouched(citizen, monkeypatch):
    def failing(user):
        raise RuntimeError("verification store unavailable")

    monkeypatch.setitem(registry._erasure_hooks, "verification.wipe", failing)

    with pytest.raises(RuntimeError):
        user_erase(user=citizen)

    citizen.refresh_from_db()
    assert citizen.erased_at is None
    assert EmailAddress.objects.filter(user=citizen).exists()
    assert not AuditEvent.objects.filter(action="accounts.user_erased").exists()


def test_erasing_twice_changes_nothing_more(citizen, erasure_calls):
    user_erase(user=citizen)
    user_erase(user=citizen)
    assert len(erasure_calls) == 1
    assert AuditEvent.objects.filter(action="accounts.user_erased").count() == 1


def test_staff_rights_are_removed(staff):
    staff.is_superuser = True
    staff.save()
    user_erase(user=staff)
    staff.refresh_from_db()
    assert not staff.is_staff
    assert not staff.is_superuser


def test_account_without_password_must_have_logged_in_recently(client, citizen):
    citizen.set_unusable_password()
    citizen.save()
    client.force_login(citizen)
    User.objects.filter(pk=citizen.pk).update(last_login=timezone.now() - timedelta(hours=2))

    page = client.get(URL).content.decode()
    assert "reconnectez-vous d’abord" in page
    assert 'name="password"' not in page
    response = client.post(URL, {"confirm": "on"})
    assert response.status_code == 400
    citizen.refresh_from_db()
    assert citizen.erased_at is None

    User.objects.filter(pk=citizen.pk).update(last_login=timezone.now())
    response = client.post(URL, {"confirm": "on"})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.erased_at is not None


def test_sessions_are_tracked_at_login(client, citizen):
    log_in(client, citizen)
    assert LoginSession.objects.filter(user=citizen, session_key=client.session.session_key).exists()
