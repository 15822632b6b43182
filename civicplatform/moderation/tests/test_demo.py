from __future__ import annotations

import io

import pytest

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
