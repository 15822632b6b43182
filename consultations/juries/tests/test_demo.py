"""The demo jury loads, its public draw verifies, and loading twice changes nothing."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone

from civicplatform.core.phases import PhaseStatus

from .. import services
from ..demo import SLUG, load_demo
from ..models import Jury, JuryPhaseKind, RunStatus
from ..sortition import draw

pytestmark = pytest.mark.django_db


def test_the_demo_jury_has_a_verifiable_draw_and_loads_once():
    out = io.StringIO()
    load_demo(out)
    jury = Jury.objects.get(slug=SLUG)
    run = jury.runs.get()
    assert run.status == RunStatus.DRAWN and len(run.selected) == jury.panel_size
    assert draw.verify(services.run_files(run)).ok
    assert jury.registrants.count() > 60
    load_demo(out)
    assert Jury.objects.filter(slug=SLUG).count() == 1 and jury.runs.count() == 1


def test_the_demo_timeline_matches_its_content_and_registration_is_closed(client):
    from civicplatform.accounts import demo as accounts_demo

    accounts_demo.load_demo(io.StringIO())  # the demo accounts let the workspace demo add its sessions
    load_demo(io.StringIO())
    jury = Jury.objects.get(slug=SLUG)
    phases = {phase.kind: phase.status for phase in jury.phases.all()}
    assert phases == {
        JuryPhaseKind.RECRUITMENT: PhaseStatus.FINISHED,
        JuryPhaseKind.SELECTION: PhaseStatus.FINISHED,
        JuryPhaseKind.SESSIONS: PhaseStatus.ACTIVE,
        JuryPhaseKind.RESPONSE: PhaseStatus.UPCOMING,
    }
    run = jury.runs.get()
    selection = jury.phases.get(kind=JuryPhaseKind.SELECTION)
    assert selection.ends_at <= timezone.now() and run.drawn_at is not None
    # Every session of the demo workspace falls within the sessions phase.
    sessions = jury.phases.get(kind=JuryPhaseKind.SESSIONS)
    assert jury.sessions.exists()
    assert all(sessions.starts_at <= s.starts_at and s.ends_at <= sessions.ends_at for s in jury.sessions.all())
    content = client.get(jury.get_absolute_url()).content.decode()
    assert reverse("juries:register", args=[jury.slug]) not in content
    assert 'name="code"' not in client.get(reverse("juries:register", args=[jury.slug])).content.decode()
