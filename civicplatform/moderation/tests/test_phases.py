"""The shared phase helpers (civicplatform.core.phases) and the phase_is_active predicate
factory, on a test-only phase model. Future apps declare their own concrete phases."""

from __future__ import annotations

import pytest
import rules
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from civicplatform.core.phases import PhaseStatus
from civicplatform.core.predicates import is_blocked, is_verified_resident, phase_is_active
from civicplatform.moderation.tests.conftest import AFTER, BEFORE, DURING, PHASE_END, PHASE_START
from civicplatform.moderation.tests.testmodels import SpacePhase

pytestmark = pytest.mark.django_db


@pytest.fixture
def phase(space_a):
    return space_a.phases.get()


def test_a_phase_is_upcoming_then_active_then_finished(phase):
    assert phase.status_at(BEFORE) == PhaseStatus.UPCOMING
    assert phase.status_at(DURING) == PhaseStatus.ACTIVE
    assert phase.status_at(AFTER) == PhaseStatus.FINISHED
    # starts_at is included, ends_at is not
    assert phase.is_active_at(PHASE_START)
    assert phase.is_finished_at(PHASE_END)


@pytest.mark.parametrize(
    ("when", "active", "upcoming", "finished"),
    [(BEFORE, 0, 1, 0), (DURING, 1, 0, 0), (AFTER, 0, 0, 1)],
)
def test_the_queryset_sorts_phases_by_the_clock(phase, when, active, upcoming, finished):
    assert SpacePhase.objects.active(when).count() == active
    assert SpacePhase.objects.upcoming(when).count() == upcoming
    assert SpacePhase.objects.finished(when).count() == finished


def test_the_queryset_uses_the_current_time_by_default(phase):
    with time_machine.travel(DURING, tick=False):
        assert list(SpacePhase.objects.active()) == [phase]
        assert phase.status == PhaseStatus.ACTIVE
    with time_machine.travel(AFTER, tick=False):
        assert not SpacePhase.objects.active().exists()


def test_a_phase_must_end_after_it_starts(space_a):
    backwards = SpacePhase(space=space_a, kind="vote", starts_at=PHASE_END, ends_at=PHASE_START)
    with pytest.raises(ValidationError) as excinfo:
        backwards.full_clean()
    assert "Une phase doit se terminer après avoir commencé." in excinfo.value.message_dict["ends_at"]
    with pytest.raises(IntegrityError), transaction.atomic():
        backwards.save()


# A permission a future app would declare: residents propose during the "debate" phase.
example_rules = rules.RuleSet()
example_rules.add_rule("propose", is_verified_resident & ~is_blocked & phase_is_active("debate"))
example_rules.add_rule("vote", is_verified_resident & phase_is_active("vote"))

PERSONAS = ["anonymous", "citizen", "resident", "elector", "blocked", "staff"]
ALLOWED_DURING_DEBATE = {"resident", "elector", "staff"}  # the staff persona is a verified resident too


@pytest.mark.parametrize(("when", "open_"), [(BEFORE, False), (DURING, True), (AFTER, False)])
def test_phase_is_active_opens_an_action_only_during_its_phase(request, space_a, when, open_):
    with time_machine.travel(when, tick=False):
        for name in PERSONAS:
            user = AnonymousUser() if name == "anonymous" else request.getfixturevalue(name)
            expected = open_ and name in ALLOWED_DURING_DEBATE
            assert example_rules.test_rule("propose", user, space_a) is expected, (name, when)
            assert example_rules.test_rule("vote", user, space_a) is False


def test_phase_is_active_is_false_without_phases(resident):
    with time_machine.travel(DURING, tick=False):
        assert example_rules.test_rule("propose", resident, None) is False
        assert example_rules.test_rule("propose", resident, object()) is False


def test_phase_is_active_uses_prefetched_phases_without_queries(space_a, resident, django_assert_num_queries):
    from civicplatform.moderation.tests.testmodels import Space

    spaces = list(Space.objects.prefetch_related("phases"))
    predicate = phase_is_active("debate")
    with time_machine.travel(DURING, tick=False), django_assert_num_queries(0):
        assert [predicate.test(resident, space) for space in spaces] == [True]
