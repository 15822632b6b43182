"""The demo jury loads, its public draw verifies, and loading twice changes nothing."""

from __future__ import annotations

import io

import pytest

from .. import services
from ..demo import SLUG, load_demo
from ..models import Jury, RunStatus
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
