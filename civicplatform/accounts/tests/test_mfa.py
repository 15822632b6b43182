"""Staff two-factor authentication: enforced before the back office, with one login door."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from civicplatform.accounts.decorators import staff_required
from civicplatform.accounts.tests.conftest import totp_now
from civicplatform.accounts.tests.factories import PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db

ACTIVATE_URL = "/comptes/2fa/totp/activate/"


@pytest.fixture
def admin_staff(db):
    """A staff member who may use the Wagtail admin."""
    return StaffFactory(pseudonym="Agent Mairie", is_superuser=True)


@pytest.mark.parametrize("url", ["/admin/", "/admin/pages/", "/django-admin/"])
def test_staff_without_two_factor_is_sent_to_set_it_up(client, admin_staff, url):
    client.force_login(admin_staff)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == ACTIVATE_URL
    [message] = get_messages(response.wsgi_request)
    assert "double authentification" in str(message)


def test_staff_with_two_factor_reaches_the_admin(client, admin_staff, with_totp):
    with_totp(admin_staff)
    client.force_login(admin_staff)

    response = client.get("/admin/")

    assert response.status_code == 200


def test_other_pages_stay_open_to_staff_without_two_factor(client, admin_staff):
    client.force_login(admin_staff)
    assert client.get("/moi/").status_code == 200
    assert client.get("/comptes/2fa/").status_code == 200


def test_people_who_are_not_staff_are_not_asked(client, citizen):
    client.force_login(citizen)

    response = client.get("/admin/")

    assert response["Location"] != ACTIVATE_URL


def test_enforcement_can_be_switched_off(client, admin_staff, settings):
    settings.ACCOUNTS_STAFF_MFA_REQUIRED = False
    client.force_login(admin_staff)
    assert client.get("/admin/").status_code == 200


def test_extra_staff_paths_are_protected(client, settings, db):
    from civicplatform.accounts.middleware import StaffMFAMiddleware

    settings.ACCOUNTS_STAFF_MFA_PATHS = ["/moi/donnees/"]
    staff = StaffFactory()
    middleware = StaffMFAMiddleware(lambda request: HttpResponse("view"))
    request = RequestFactory().get("/moi/donnees/")
    request.user = staff
    request.session = {}
    request._messages = FallbackStorage(request)

    response = middleware(request)

    assert response.status_code == 302
    assert response["Location"] == ACTIVATE_URL


def test_anonymous_visitor_of_the_admin_goes_to_our_login(client, db):
    response = client.get("/admin/", follow=True)
    final_url, _status = response.redirect_chain[-1]
    assert final_url.startswith("/comptes/login/?next=%2Fadmin%2F")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/admin/login/", "/comptes/login/?next=%2Fadmin%2F"),
        ("/admin/login/?next=/admin/pages/", "/comptes/login/?next=%2Fadmin%2Fpages%2F"),
        ("/django-admin/login/?next=/django-admin/auth/", "/comptes/login/?next=%2Fdjango-admin%2Fauth%2F"),
        ("/django-admin/login/?next=https://evil.example/", "/comptes/login/?next=%2Fdjango-admin%2F"),
    ],
)
def test_wagtail_and_django_login_pages_lead_to_allauth(client, db, url, expected):
    assert client.get(url)["Location"] == expected


def test_password_posted_to_the_admin_login_is_not_checked_there(client, admin_staff):
    response = client.post("/admin/login/", {"username": admin_staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/")
    assert "_auth_user_id" not in client.session


def test_staff_sets_up_two_factor_then_logs_in_with_a_code(client, admin_staff):
    # Logged in with the password only: the admin is refused until an app is set up.
    client.post("/comptes/login/", {"login": admin_staff.email, "password": PASSWORD})
    assert client.get("/admin/")["Location"] == ACTIVATE_URL

    # Setting it up asks for the password again, then for a code from the app.
    response = client.get(ACTIVATE_URL)
    assert response["Location"].startswith("/comptes/reauthenticate/")
    client.post("/comptes/reauthenticate/", {"password": PASSWORD})
    page = client.get(ACTIVATE_URL)
    assert page.status_code == 200
    secret = page.context["form"].secret

    response = client.post(ACTIVATE_URL, {"code": "000000" if totp_now(secret) != "000000" else "111111"})
    assert response.status_code == 400
    assert "Code incorrect." in response.content.decode()

    response = client.post(ACTIVATE_URL, {"code": totp_now(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=admin_staff, type=Authenticator.Type.TOTP).exists()
    codes_page = client.get(response["Location"])
    assert "Continuer vers l’administration" in codes_page.content.decode()
    assert client.get("/admin/").status_code == 200

    # The next login asks for a code after the password.
    client.post("/comptes/logout/")
    response = client.post("/comptes/login/", {"login": admin_staff.email, "password": PASSWORD})
    assert response["Location"] == "/comptes/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    response = client.post("/comptes/2fa/authenticate/", {"code": "12345"})
    assert response.status_code == 400
    response = client.post("/comptes/2fa/authenticate/", {"code": recovery_code(admin_staff)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == admin_staff.pk


def recovery_code(user) -> str:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return RecoveryCodes(authenticator).get_unused_codes()[0]


def _call(user):
    @staff_required
    def view(request):
        return HttpResponse("staff page")

    request = RequestFactory().get("/outils/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return view(request)


def test_staff_required_sends_anonymous_visitors_to_login(db):
    response = _call(AnonymousUser())
    assert response.status_code == 302
    assert response["Location"] == "/comptes/login/?next=/outils/"


def test_staff_required_refuses_other_people(citizen):
    with pytest.raises(PermissionDenied):
        _call(citizen)


def test_staff_required_asks_staff_for_two_factor_first(db, with_totp):
    staff = StaffFactory()
    assert _call(staff)["Location"] == ACTIVATE_URL

    with_totp(staff)
    assert _call(staff).content == b"staff page"
