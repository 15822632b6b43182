from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from civicplatform.accounts.models import User
from civicplatform.accounts.tests.factories import StaffFactory, UserFactory
from civicplatform.moderation.demo import load_demo
from civicplatform.moderation.models import ModerationState, ModeratorAssignment, Report
from civicplatform.moderation.tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


def test_the_demo_names_a_moderator_and_reports_one_item_once(space_a):
    elected = UserFactory(email="elu@demo.example")
    StaffFactory(email="agent@demo.example", is_superuser=True)
    UserFactory(email="citoyenne@demo.example")
    NoteFactory(space=space_a)
    load_demo(io.StringIO())
    load_demo(io.StringIO())
    assignment = ModeratorAssignment.objects.get()
    assert (assignment.user, assignment.is_site_wide, assignment.is_elected_official) == (elected, True, True)
    assert Report.objects.count() == 1


def test_loading_again_after_the_content_changed_adds_no_second_report(space_a):
    StaffFactory(email="agent@demo.example", is_superuser=True)
    UserFactory(email="elu@demo.example")
    UserFactory(email="citoyenne@demo.example")
    first = NoteFactory(space=space_a)
    load_demo(io.StringIO())
    type(first).objects.filter(pk=first.pk).update(moderation_state=ModerationState.HIDDEN)
    NoteFactory(space=space_a)  # new content a later loader might add, first in line next time
    load_demo(io.StringIO())
    assert Report.objects.count() == 1


def test_the_demo_waits_for_the_demo_accounts():
    load_demo(io.StringIO())
    assert not ModeratorAssignment.objects.exists()


def test_the_demo_elected_moderator_sees_the_demo_report_in_their_queue(client, settings):
    # The forums demo makes the elected official moderator of the members-only bureau forum
    # before this loader runs: that narrower assignment must not stand in for the site-wide one.
    settings.DEMO_LOADERS = [
        "civicplatform.territory.demo",
        "civicplatform.accounts.demo",
        "forums.demo",
        "civicplatform.moderation.demo",
    ]
    call_command("load_demo", stdout=io.StringIO())
    reported = Report.objects.get().content

    client.force_login(User.objects.get(email="elu@demo.example"))
    response = client.get(reverse("moderation:queue"))

    assert response.status_code == 200
    decision_url = reverse("moderation:content", args=[reported.moderation_content_key, reported.public_id])
    assert f'href="{decision_url}"' in response.content.decode()
