"""Deliberative polls: paired tests (checked against SciPy's values), and the before/after
analysis a panel's results page shows."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from civicplatform.accounts.tests.factories import UserFactory
from consultations.deliberation import deliberation_analysis, sign_test, wilcoxon_signed_rank
from consultations.models import PanelMember, PhaseKind, QuestionKind, Response
from consultations.services.questionnaires import AnswerRefused, response_submit

from .conftest import opt
from .factories import QuestionFactory, QuestionnaireFactory, SectionFactory, add_options, add_phase

# ---------------------------------------------------------------- the tests themselves
# Reference values: scipy.stats.wilcoxon(..., method="exact") and scipy.stats.binomtest.


def test_wilcoxon_matches_scipy_exact_without_ties():
    assert wilcoxon_signed_rank([3, -1, 4, 1.5, -9, 2.6, 5, -3.5, 8, 9.7, 7, -0.2]) == (58.0, 0.1513671875)
    assert wilcoxon_signed_rank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, -12]) == (66.0, 0.0341796875)


def test_wilcoxon_with_ties_is_the_exact_permutation_test():
    # Brute force over the 2^8 sign patterns of the non-zero differences gives 0.03125.
    assert wilcoxon_signed_rank([1, 2, -1, 3, 4, 2, 1, 0, 2]) == (34.0, 0.03125)


def test_wilcoxon_uses_the_normal_approximation_for_large_panels():
    import random

    draw = random.Random(1)
    differences = [draw.choice([-2, -1, 0, 1, 1, 2, 3]) for _n in range(150)]
    w_plus, p_value = wilcoxon_signed_rank(differences)
    assert w_plus == 6759.0
    assert p_value == pytest.approx(1.154752017495454e-06, rel=1e-9)  # scipy, correction=True


def test_no_change_gives_p_one():
    assert wilcoxon_signed_rank([0, 0, 0]) == (0.0, 1.0)
    assert sign_test(0, 0) == 1.0
    assert sign_test(5, 5) == 1.0


def test_sign_test_matches_the_exact_binomial_test():
    assert sign_test(9, 2) == 0.0654296875
    assert sign_test(2, 9) == 0.0654296875
    assert sign_test(10, 0) == pytest.approx(0.001953125)


# ---------------------------------------------------------------- the analysis

pytestmark = pytest.mark.django_db


@pytest.fixture
def poll(db):
    questionnaire = QuestionnaireFactory(
        kind="deliberative", slug="tramway", title="Sondage délibératif sur le tramway", results_visibility="always"
    )
    before = add_phase(questionnaire, PhaseKind.BEFORE, start_days=-10, end_days=-5)
    add_phase(questionnaire, PhaseKind.AFTER, start_days=-1, end_days=5)
    section = SectionFactory(questionnaire=questionnaire, title="Le tramway")
    scale = QuestionFactory(section=section, kind=QuestionKind.SCALE, text="Soutien au tramway", sort_order=1)
    choice = QuestionFactory(section=section, kind=QuestionKind.SINGLE, text="Tracé préféré", sort_order=2)
    add_options(choice, "Nord", "Sud")
    quiz = QuestionFactory(
        section=section, kind=QuestionKind.SINGLE, text="Coût du projet ?", is_knowledge=True, sort_order=3
    )
    add_options(quiz, "10 M€", "80 M€", correct="80 M€")
    rating = QuestionFactory(
        section=section, kind=QuestionKind.SCALE, text="Les documents étaient équilibrés", after_only=True, sort_order=4
    )
    questionnaire.q = {"scale": scale, "choice": choice, "quiz": quiz, "rating": rating}
    questionnaire.when = {"before": before.starts_at + datetime.timedelta(days=1), "after": timezone.now()}
    return questionnaire


def _answer(poll, person, wave, *, support, route, quiz, rating=None):
    q = poll.q
    answers = {
        q["scale"].pk: support,
        q["choice"].pk: opt(q["choice"], route),
        q["quiz"].pk: opt(q["quiz"], quiz),
    }
    if rating is not None:
        answers[q["rating"].pk] = rating
    return response_submit(questionnaire=poll, person=person, answers=answers, now=poll.when[wave])


def _panel(poll, size):
    people = [UserFactory() for _n in range(size)]
    for person in people:
        PanelMember.objects.create(questionnaire=poll, person=person)
    return people


def test_only_the_panel_answers_and_each_wave_once(poll):
    outsider = UserFactory()
    with pytest.raises(AnswerRefused):
        _answer(poll, outsider, "before", support=3, route="Nord", quiz="10 M€")
    (member,) = _panel(poll, 1)
    _answer(poll, member, "before", support=2, route="Nord", quiz="10 M€")
    _answer(poll, member, "after", support=4, route="Sud", quiz="80 M€", rating=5)
    assert sorted(Response.objects.values_list("wave", flat=True)) == ["after", "before"]


def test_the_evaluation_is_asked_after_only(client, poll):
    (member,) = _panel(poll, 1)
    client.force_login(member)
    page = client.get(reverse("consultations:questionnaire_answer", args=[poll.slug])).content.decode()
    assert "Les documents étaient équilibrés" in page  # the after wave is open now


def test_the_analysis_pairs_answers_and_tests_the_shift(poll):
    people = _panel(poll, 12)
    for index, person in enumerate(people[:10]):
        _answer(poll, person, "before", support=2, route="Nord", quiz="10 M€")
        _answer(
            poll,
            person,
            "after",
            support=4 if index < 9 else 1,
            route="Sud" if index < 8 else "Nord",
            quiz="80 M€" if index < 6 else "10 M€",
            rating=4,
        )
    _answer(poll, people[10], "before", support=5, route="Sud", quiz="80 M€")  # never came back
    analysis = deliberation_analysis(poll)
    assert (analysis.paired, analysis.before_only) == (10, 1)
    scale = next(s for s in analysis.shifts if s.question == poll.q["scale"]).rows[0]
    assert (scale.before, scale.after, scale.shift) == (2.0, 3.7, 1.7)
    assert scale.p_value == wilcoxon_signed_rank([2] * 9 + [-1])[1] and scale.significant
    route = {row.label: row for row in next(s for s in analysis.shifts if s.question == poll.q["choice"]).rows}
    assert (route["Sud"].before, route["Sud"].after, route["Sud"].shift) == (0.0, 80.0, 80.0)
    assert route["Sud"].p_value == sign_test(8, 0)
    assert analysis.knowledge.before == 0.0 and analysis.knowledge.after == 60.0
    assert analysis.knowledge.change == 60.0
    (evaluation,) = analysis.evaluation
    assert evaluation[0] == poll.q["rating"] and evaluation[2] == 4.0


def test_the_results_page_shows_the_shift_and_the_test(client, poll):
    people = _panel(poll, 6)
    for person in people:
        _answer(poll, person, "before", support=1, route="Nord", quiz="10 M€")
        _answer(poll, person, "after", support=5, route="Sud", quiz="80 M€", rating=3)
    page = client.get(reverse("consultations:questionnaire_results", args=[poll.slug])).content.decode()
    assert "data-shift-table" in page
    assert "+4.0" in page or "+4,0" in page  # scale 1 → 5
    assert "0.0313" in page or "0,0313" in page  # exact Wilcoxon p for 6 equal increases: 2/64
    assert "data-knowledge" in page


def test_the_poll_page_shows_sessions_hearings_and_briefings(client, poll):
    from consultations.models import BriefingDocument, DeliberationEvent, EventKind

    DeliberationEvent.objects.create(
        questionnaire=poll,
        kind=EventKind.HEARING,
        title="Audition des ingénieurs",
        starts_at=timezone.now(),
        speakers="Mme Dupont, ingénieure",
    )
    BriefingDocument.objects.create(questionnaire=poll, title="Le dossier", summary="Coûts et tracés")
    page = client.get(reverse("consultations:questionnaire", args=[poll.slug])).content.decode()
    assert "Audition des ingénieurs" in page and "Mme Dupont, ingénieure" in page
    assert "Le dossier" in page and "Coûts et tracés" in page
