"""The demo jury's workspace: the demo citizen sits on it, three sessions, materials, hearings and
questions; loading twice changes nothing."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from civicplatform.accounts import demo as accounts_demo
from civicplatform.accounts.models import User

from ..demo import SLUG, load_demo
from ..models import Jury, JuryStatus, RegistrantStatus, Seat
from ..rules import takes_part

pytestmark = pytest.mark.django_db


def test_the_demo_citizen_sits_on_the_demo_jury_whose_workspace_is_open():
    out = io.StringIO()
    accounts_demo.load_demo(out)
    load_demo(out)
    jury = Jury.objects.get(slug=SLUG)
    citizen = User.objects.get(email="citoyenne@demo.example")
    assert jury.status == JuryStatus.DELIBERATING and jury.forum.is_members_only
    assert not jury.registrants.filter(status=RegistrantStatus.SELECTED).exists()
    assert takes_part(citizen, jury)
    assert jury.forum.memberships.filter(user=citizen).exists()
    sessions = list(jury.sessions.all())
    assert len(sessions) == 3
    assert sessions[0].ends_at < timezone.now() < sessions[1].starts_at and sessions[0].summary
    assert jury.materials.count() == 3 and jury.materials.filter(is_public=False).exists()
    assert jury.expert_questions.filter(answered_at__isnull=False).exists()
    assert jury.expert_questions.filter(answered_at__isnull=True).exists()

    from ..demo_workspace import load

    seats = Seat.objects.filter(jury=jury).count()
    load(jury)
    assert jury.sessions.count() == 3 and Seat.objects.filter(jury=jury).count() == seats
    assert Seat.objects.filter(jury=jury, user=citizen).count() == 1
    assert jury.expert_questions.count() == 2
