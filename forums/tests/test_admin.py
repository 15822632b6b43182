"""Staff create forums and name their members in the Django admin, through the services."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from civicplatform.core.models import AuditEvent
from civicplatform.moderation.models import ModeratorAssignment
from forums.models import Forum, Membership, MembershipRole

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.ACCOUNTS_STAFF_MFA_REQUIRED = False


def test_staff_create_a_members_only_forum_with_a_moderator(client, resident, other_resident):
    from civicplatform.accounts.tests.factories import StaffFactory

    client.force_login(StaffFactory(is_superuser=True))

    response = client.post(
        "/django-admin/forums/forum/add/",
        {
            "title": "Conseil de quartier Sud",
            "slug": "conseil-sud",
            "description": "",
            "visibility": "members",
            "order": "0",
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-user": str(resident.pk),
            "memberships-0-role": MembershipRole.MODERATOR,
            "memberships-1-user": str(other_resident.pk),
            "memberships-1-role": MembershipRole.MEMBER,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    forum = Forum.objects.get(slug="conseil-sud")
    assert set(Membership.objects.filter(forum=forum).values_list("user", "role")) == {
        (resident.pk, MembershipRole.MODERATOR),
        (other_resident.pk, MembershipRole.MEMBER),
    }
    assert ModeratorAssignment.objects.get(user=resident).content_type == ContentType.objects.get_for_model(Forum)
    assert AuditEvent.objects.filter(action="forums.membership_set").count() == 2


def test_a_reserved_address_is_refused(client):
    from civicplatform.accounts.tests.factories import StaffFactory

    client.force_login(StaffFactory(is_superuser=True))

    response = client.post(
        "/django-admin/forums/forum/add/",
        {
            "title": "Comments",
            "slug": "commentaires",
            "visibility": "public",
            "order": "0",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "This address is reserved" in response.content.decode()
    assert not Forum.objects.exists()
