"""Who may do what, when: each permission across personas, before, during and after its phase."""

from __future__ import annotations

import datetime

import pytest
import rules
import time_machine
from django.contrib.auth.models import AnonymousUser, Permission

from budgets.models import BudgetPhase, PhaseKind, ProjectStatus
from civicplatform.accounts.models import VerificationLevel
from civicplatform.accounts.tests.factories import ResidentFactory, UserFactory
from civicplatform.moderation.models import ModerationState, UserBlock

from .factories import BudgetFactory, BudgetProcessFactory, ProjectFactory

pytestmark = pytest.mark.django_db

PERMISSIONS = [
    "budgets.view_process",
    "budgets.view_project",
    "budgets.submit_project",
    "budgets.support_project",
    "budgets.review_project",
    "budgets.select_shortlist",
    "budgets.edit_milestones",
]

T0 = datetime.datetime(2030, 3, 1, 12, tzinfo=datetime.UTC)
# Days after T0: submission 10-20, shortlist 25-30, voting 40-50, implementation 55-400.
PHASES = {
    PhaseKind.SUBMISSION: (10, 20),
    PhaseKind.SHORTLIST: (25, 30),
    PhaseKind.VOTING: (40, 50),
    PhaseKind.IMPLEMENTATION: (55, 400),
}
MOMENTS = {
    "before": 5,
    "submission": 15,
    "shortlist": 27,
    "between": 35,
    "voting": 45,
    "after": 60,
}


def at(moment: str):
    return time_machine.travel(T0 + datetime.timedelta(days=MOMENTS[moment]), tick=False)


@pytest.fixture
def process(db):
    process = BudgetProcessFactory(min_verification_level=VerificationLevel.RESIDENT, min_age=16)
    for kind, (start, end) in PHASES.items():
        BudgetPhase.objects.create(
            process=process,
            kind=kind,
            starts_at=T0 + datetime.timedelta(days=start),
            ends_at=T0 + datetime.timedelta(days=end),
        )
    return process


@pytest.fixture
def budget(process):
    return BudgetFactory(process=process)


@pytest.fixture
def feasible(budget):
    return ProjectFactory(budget=budget, status=ProjectStatus.FEASIBLE)


@pytest.fixture
def selected(budget):
    return ProjectFactory(budget=budget, status=ProjectStatus.SELECTED)


@pytest.fixture
def people(db, district, citizen, resident, staff, outsider):
    blocked = ResidentFactory(district=district, pseudonym="Bloqué")
    UserBlock.objects.create(user=blocked, reason="Spam", blocked_by=staff)
    evaluator = UserFactory(pseudonym="Évaluatrice")
    evaluator.user_permissions.add(Permission.objects.get(codename="review_project"))
    tracker = UserFactory(pseudonym="Suivi")
    tracker.user_permissions.add(Permission.objects.get(codename="change_milestone"))
    resident.birth_year = 1990
    resident.save()
    staff.birth_year = 1980
    staff.save()
    return {
        "anonymous": AnonymousUser(),
        "unconfirmed": UserFactory(verification_level=VerificationLevel.NONE),
        "citizen": citizen,
        "resident": resident,
        "too_young": ResidentFactory(district=district, birth_year=2020),
        "blocked": blocked,
        "evaluator": evaluator,
        "tracker": tracker,
        "staff": staff,
        "outsider": outsider,
    }


def _fresh(obj):
    """A fresh copy: phases, policies and block states are cached on instances."""
    return type(obj).objects.get(pk=obj.pk)


@pytest.mark.parametrize("permission", PERMISSIONS)
def test_perm_exists(permission):
    assert rules.perm_exists(permission)


@pytest.mark.parametrize("moment", list(MOMENTS))
@pytest.mark.parametrize("person", ["anonymous", "unconfirmed", "citizen", "resident", "blocked", "staff"])
def test_everyone_may_view_processes_and_projects_at_any_time(people, process, feasible, moment, person):
    with at(moment):
        assert people[person].has_perm("budgets.view_process", process)
        assert people[person].has_perm("budgets.view_project", feasible)


@pytest.mark.parametrize(
    ("person", "moment", "allowed"),
    [
        ("resident", "before", False),
        ("resident", "submission", True),
        ("resident", "shortlist", False),
        ("resident", "after", False),
        ("staff", "submission", True),
        ("anonymous", "submission", False),
        ("unconfirmed", "submission", False),
        ("citizen", "submission", False),
        ("too_young", "submission", False),
        ("blocked", "submission", False),
        ("evaluator", "submission", False),
        ("outsider", "submission", False),
    ],
)
def test_who_may_submit_a_project_and_when(people, process, person, moment, allowed):
    with at(moment):
        assert people[person].has_perm("budgets.submit_project", _fresh(process)) is allowed


@pytest.mark.parametrize(
    ("person", "moment", "allowed"),
    [
        ("resident", "submission", False),
        ("resident", "shortlist", True),
        ("resident", "between", False),
        ("resident", "after", False),
        ("staff", "shortlist", True),
        ("anonymous", "shortlist", False),
        ("citizen", "shortlist", False),
        ("too_young", "shortlist", False),
        ("blocked", "shortlist", False),
        ("outsider", "shortlist", False),
    ],
)
def test_who_may_support_a_feasible_project_and_when(people, feasible, person, moment, allowed):
    with at(moment):
        assert people[person].has_perm("budgets.support_project", _fresh(feasible)) is allowed


@pytest.mark.parametrize("status", [ProjectStatus.SUBMITTED, ProjectStatus.UNFEASIBLE, ProjectStatus.MERGED])
def test_only_feasible_projects_gather_supports(people, budget, status):
    project = ProjectFactory(budget=budget, status=status)
    with at("shortlist"):
        assert not people["resident"].has_perm("budgets.support_project", _fresh(project))


def test_a_hidden_project_gathers_no_supports(people, feasible):
    feasible.moderation_state = ModerationState.HIDDEN
    feasible.save()
    with at("shortlist"):
        assert not people["resident"].has_perm("budgets.support_project", _fresh(feasible))


def test_support_needs_a_project_not_a_process(people, process):
    with at("shortlist"):
        assert not people["resident"].has_perm("budgets.support_project", _fresh(process))


@pytest.mark.parametrize(
    ("person", "moment", "allowed"),
    [
        ("evaluator", "before", True),
        ("evaluator", "submission", True),
        ("evaluator", "between", True),
        ("evaluator", "voting", False),
        ("evaluator", "after", False),
        ("staff", "submission", True),
        ("staff", "voting", False),
        ("resident", "submission", False),
        ("tracker", "submission", False),
        ("anonymous", "submission", False),
        ("outsider", "submission", False),
    ],
)
def test_who_may_review_projects_and_when(people, process, feasible, person, moment, allowed):
    with at(moment):
        assert people[person].has_perm("budgets.review_project", _fresh(process)) is allowed
        assert people[person].has_perm("budgets.review_project", _fresh(feasible)) is allowed


@pytest.mark.parametrize(
    ("person", "moment", "allowed"),
    [
        ("evaluator", "shortlist", True),
        ("evaluator", "between", True),
        ("evaluator", "voting", False),
        ("staff", "shortlist", True),
        ("resident", "shortlist", False),
        ("anonymous", "shortlist", False),
    ],
)
def test_who_may_choose_the_shortlist_and_when(people, process, person, moment, allowed):
    with at(moment):
        assert people[person].has_perm("budgets.select_shortlist", _fresh(process)) is allowed


def test_no_shortlist_to_choose_when_the_phase_is_switched_off(people, process):
    process.phases.filter(kind=PhaseKind.SHORTLIST).update(enabled=False)
    with at("between"):
        assert not people["staff"].has_perm("budgets.select_shortlist", _fresh(process))


@pytest.mark.parametrize(
    ("person", "moment", "allowed"),
    [
        ("tracker", "voting", False),
        ("tracker", "after", True),
        ("staff", "voting", False),
        ("staff", "after", True),
        ("evaluator", "after", False),
        ("resident", "after", False),
        ("anonymous", "after", False),
        ("outsider", "after", False),
    ],
)
def test_who_may_update_the_implementation_and_when(people, selected, person, moment, allowed):
    with at(moment):
        assert people[person].has_perm("budgets.edit_milestones", _fresh(selected)) is allowed


def test_projects_not_selected_have_no_implementation_to_follow(people, feasible):
    with at("after"):
        assert not people["staff"].has_perm("budgets.edit_milestones", _fresh(feasible))


def test_a_disabled_submission_phase_never_opens(people, process):
    process.phases.filter(kind=PhaseKind.SUBMISSION).update(enabled=False)
    with at("submission"):
        assert not people["resident"].has_perm("budgets.submit_project", _fresh(process))


@pytest.mark.parametrize("permission", PERMISSIONS)
def test_every_permission_has_its_row_in_the_roles_table(permission):
    from pathlib import Path

    roles = Path(__file__).resolve().parents[2] / "docs" / "ROLES.md"
    assert f"| `{permission}`" in roles.read_text(encoding="utf-8")
