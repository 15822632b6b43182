"""Who may see, answer, read the results of, export and moderate a questionnaire, before,
during and after answering."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from civicplatform.accounts.tests.factories import ElectorFactory, ResidentFactory, StaffFactory, UserFactory
from civicplatform.moderation.models import UserBlock
from consultations.selectors import answer_decision

from .factories import QuestionnaireFactory, add_phase

pytestmark = pytest.mark.django_db

EVERYONE = {"anonymous", "unconfirmed", "citizen", "resident", "elector", "blocked", "staff"}
PERMS = (
    "consultations.view_questionnaire",
    "consultations.view_results",
    "consultations.export_responses",
    "consultations.moderate_answers",
)


def test_perms_exist():
    import rules

    for perm in PERMS:
        assert rules.perm_exists(perm)


@pytest.fixture
def personas(district):
    blocked = ResidentFactory(district=district)
    UserBlock.objects.create(user=blocked, reason="Insultes répétées")
    return {
        "anonymous": AnonymousUser(),
        "unconfirmed": UserFactory(verification_level=0),
        "citizen": UserFactory(district=district),
        "resident": ResidentFactory(district=district),
        "elector": ElectorFactory(district=district),
        "blocked": blocked,
        "staff": StaffFactory(),
    }


@pytest.fixture
def questionnaire(db):
    questionnaire = QuestionnaireFactory(min_verification_level=2, results_visibility="after_close")
    phase = add_phase(questionnaire, start_days=1, end_days=3)
    return questionnaire, phase


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("before", set()),
        ("during", {"resident", "elector", "staff"}),
        ("after", set()),
    ],
)
def test_who_may_answer(personas, questionnaire, moment, expected):
    questionnaire, phase = questionnaire
    now = {
        "before": phase.starts_at - datetime.timedelta(hours=1),
        "during": phase.starts_at + datetime.timedelta(hours=1),
        "after": phase.ends_at,
    }[moment]
    allowed = {name for name, user in personas.items() if answer_decision(questionnaire, user, now).allowed}
    assert allowed == expected


def test_a_refusal_says_why(personas, questionnaire):
    questionnaire, phase = questionnaire
    now = phase.starts_at + datetime.timedelta(hours=1)
    assert answer_decision(questionnaire, personas["anonymous"], now).code == "login"
    assert answer_decision(questionnaire, personas["citizen"], now).code == "resident"
    assert "ne peut plus participer" in answer_decision(questionnaire, personas["blocked"], now).reason


@pytest.mark.parametrize(
    ("perm", "moment", "expected"),
    [
        ("consultations.view_results", "before", {"staff"}),
        ("consultations.view_results", "during", {"staff"}),
        (
            "consultations.view_results",
            "after",
            EVERYONE,
        ),
        ("consultations.export_responses", "during", {"staff"}),
        ("consultations.export_responses", "after", {"staff"}),
        ("consultations.moderate_answers", "during", {"staff"}),
        (
            "consultations.view_questionnaire",
            "before",
            EVERYONE,
        ),
    ],
)
def test_permission_matrix(personas, questionnaire, perm, moment, expected):
    questionnaire, phase = questionnaire
    when = {
        "before": phase.starts_at - datetime.timedelta(hours=1),
        "during": phase.starts_at + datetime.timedelta(hours=1),
        "after": phase.ends_at + datetime.timedelta(hours=1),
    }[moment]
    with time_machine.travel(when, tick=False):
        allowed = {name for name, user in personas.items() if user.has_perm(perm, questionnaire)}
    assert allowed == expected


def test_an_unpublished_questionnaire_is_seen_by_staff_only(personas):
    draft = QuestionnaireFactory(published=False)
    allowed = {name for name, user in personas.items() if user.has_perm("consultations.view_questionnaire", draft)}
    assert allowed == {"staff"}


def test_a_deliberative_poll_is_answered_by_its_panel_only(personas):
    from consultations.models import PanelMember

    poll = QuestionnaireFactory(kind="deliberative", min_verification_level=1)
    add_phase(poll, "before")
    PanelMember.objects.create(questionnaire=poll, person=personas["citizen"])
    allowed = {name for name, user in personas.items() if answer_decision(poll, user).allowed}
    assert allowed == {"citizen"}
