from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from civicplatform.accounts.tests.factories import StaffFactory
from civicplatform.moderation.wagtail_hooks import register_audit_log_menu_item, register_moderation_queue_menu_item

pytestmark = pytest.mark.django_db


def shown(item, user) -> bool:
    request = RequestFactory().get("/admin/")
    request.user = user
    return item.is_shown(request)


def test_the_wagtail_menu_links_to_the_queue_for_moderators_and_staff(moderator_a, staff, citizen):
    item = register_moderation_queue_menu_item()
    assert str(item.url) == "/moderation/"
    assert shown(item, moderator_a)
    assert shown(item, staff)
    assert not shown(item, citizen)
    assert not shown(item, AnonymousUser())


def test_the_wagtail_menu_links_to_the_audit_log_for_staff_only(moderator_a, site_moderator, staff):
    item = register_audit_log_menu_item()
    assert str(item.url) == "/moderation/journal/"
    assert shown(item, staff)
    assert not shown(item, site_moderator)
    assert not shown(item, moderator_a)


def test_the_links_appear_in_the_wagtail_admin(client):
    admin = StaffFactory(is_superuser=True)
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/moderation/journal/" in page
    assert '"/moderation/"' in page
