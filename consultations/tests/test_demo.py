from __future__ import annotations

import io

import pytest

from civicplatform.accounts import demo as accounts_demo
from civicplatform.territory import demo as territory_demo
from consultations import demo
from consultations.models import LocalVote, QuestionKind, Questionnaire
from consultations.results import questionnaire_results
from consultations.votes import local_vote_results

pytestmark = pytest.mark.django_db


def test_the_demo_opens_a_questionnaire_with_results_and_loads_once():
    territory_demo.load_demo(io.StringIO())
    accounts_demo.load_demo(io.StringIO())
    demo.load_demo(io.StringIO())
    demo.load_demo(io.StringIO())
    survey = Questionnaire.objects.get(slug=demo.SURVEY_SLUG)
    assert survey.current_wave() == "single"
    assert survey.results_are_public()
    results = questionnaire_results(survey)
    assert results.responses == [60]
    kinds = {item.question.kind for section in results.sections for item in section.questions}
    assert kinds == set(QuestionKind.values)
    text = next(item for section in results.sections for item in section.questions if item.question.kind == "text")
    assert len(text.texts) == 3 and text.text_count == 4  # one idea still awaits moderation


def test_the_demo_has_an_open_consultation_and_an_adopted_referendum():
    territory_demo.load_demo(io.StringIO())
    accounts_demo.load_demo(io.StringIO())
    demo.load_demo(io.StringIO())
    consultation = LocalVote.objects.get(slug=demo.CONSULTATION_SLUG)
    assert consultation.is_open() and not consultation.is_referendum
    referendum = LocalVote.objects.get(slug=demo.REFERENDUM_SLUG)
    results = local_vote_results(referendum)
    assert referendum.is_closed() and results.quorum_met and results.adopted
    assert results.turnout == 52.0


def test_the_demo_deliberative_poll_shows_a_shift():
    from consultations.deliberation import deliberation_analysis

    territory_demo.load_demo(io.StringIO())
    accounts_demo.load_demo(io.StringIO())
    demo.load_demo(io.StringIO())
    poll = Questionnaire.objects.get(slug=demo.POLL_SLUG)
    assert poll.current_wave() == "after"
    analysis = deliberation_analysis(poll)
    assert (analysis.paired, analysis.before_only) == (23, 1)
    support = analysis.shifts[0].rows[0]
    assert support.shift > 0 and support.significant
    assert analysis.knowledge.after > analysis.knowledge.before


def test_the_demo_opinion_map_has_groups_and_consensus():
    from consultations.models import OpinionGrouping

    territory_demo.load_demo(io.StringIO())
    accounts_demo.load_demo(io.StringIO())
    demo.load_demo(io.StringIO())
    grouping = OpinionGrouping.objects.get(conversation__slug=demo.MAP_SLUG)
    assert grouping.k >= 2 and grouping.participants >= 50
    assert grouping.data["consensus"]


def test_the_demo_waits_for_the_accounts():
    demo.load_demo(io.StringIO())
    assert not Questionnaire.objects.exists()
