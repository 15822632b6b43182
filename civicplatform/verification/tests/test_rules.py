from __future__ import annotations

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

pytestmark = pytest.mark.django_db

PERMS = [
    "verification.manage_registers",
    "verification.resolve_conflicts",
    "verification.send_letters",
    "verification.work_at_desk",
]


@pytest.mark.parametrize("perm", PERMS)
def test_perm_exists(perm):
    assert rules.perm_exists(perm)


@pytest.mark.parametrize("perm", PERMS)
def test_only_active_staff_run_verification(perm, staff, resident, elector, citizen, outsider):
    assert staff.has_perm(perm)
    for person in (resident, elector, citizen, outsider, AnonymousUser()):
        assert not person.has_perm(perm)
    staff.is_active = False
    assert not rules.has_perm(perm, staff)


def test_wagtail_menu_links_staff_to_the_verification_back_office(client, staff, settings):
    settings.ACCOUNTS_STAFF_MFA_REQUIRED = False
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "/verification/gestion/" in response.content.decode()
