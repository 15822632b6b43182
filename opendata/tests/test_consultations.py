"""Consultation datasets: questionnaire answers, local votes, deliberative polls and opinion maps,
as counts only, small counts left empty, on the open-data page, in the catalogue and the API."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from civicplatform.accounts.tests.factories import ElectorFactory, StaffFactory, UserFactory
from consultations.models import (
    Answer,
    Conversation,
    OpinionGrouping,
    PhaseKind,
    QuestionKind,
    Response,
    Statement,
    StatementVote,
    TextAnswer,
)
from consultations.tests.factories import (
    LocalVoteFactory,
    QuestionFactory,
    QuestionnaireFactory,
    SectionFactory,
    add_options,
    add_phase,
)
from consultations.votes import local_vote_cast
from opendata import registry
from opendata.services import impact_compute

pytestmark = pytest.mark.django_db

KEYS = (
    "consultations-questionnaire-results",
    "consultations-local-votes",
    "consultations-deliberative-shifts",
    "consultations-deliberative-distributions",
    "consultations-opinion-groups",
    "consultations-opinion-statements",
)


def csv_rows(client, key: str) -> list[dict[str, str]]:
    response = client.get(reverse("opendata:download", kwargs={"key": key, "extension": "csv"}))
    assert response.status_code == 200, response.content[:300]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def _respond(questionnaire, answers: list[dict], *, wave: str = "single", people=None) -> list[Response]:
    """One response per item of `answers` ({question: option | value | [options] | text})."""
    responses = []
    for index, given in enumerate(answers):
        person = people[index] if people else None
        response = Response.objects.create(
            questionnaire=questionnaire,
            respondent=person,
            anonymous_key="" if person else f"k{wave}{index}",
            wave=wave,
        )
        for question, value in given.items():
            if question.kind == QuestionKind.TEXT:
                TextAnswer.objects.create(response=response, question=question, text=value)
            elif question.kind == QuestionKind.SCALE:
                Answer.objects.create(response=response, question=question, value=value)
            else:
                for option in value if isinstance(value, list) else [value]:
                    Answer.objects.create(response=response, question=question, option=option)
        responses.append(response)
    return responses


@pytest.fixture
def survey(db):
    """15 answers: vélo 8, bus 2, voiture 5; a scale answered 3 × 4 and 12 × 5; one free text."""
    questionnaire = QuestionnaireFactory(slug="mobilites", title="Mobilités", results_visibility="always")
    add_phase(questionnaire, start_days=-5, end_days=5)
    section = SectionFactory(questionnaire=questionnaire)
    mode = QuestionFactory(section=section, kind=QuestionKind.SINGLE, text="Comment venez-vous ?", sort_order=1)
    velo, bus, voiture = add_options(mode, "À vélo", "En bus", "En voiture")
    scale = QuestionFactory(section=section, kind=QuestionKind.SCALE, text="Satisfaction", sort_order=2)
    text = QuestionFactory(section=section, kind=QuestionKind.TEXT, text="Une idée ?", sort_order=3)
    choices = [velo] * 8 + [bus] * 2 + [voiture] * 5
    _respond(
        questionnaire,
        [
            {mode: choice, scale: 4 if index < 3 else 5, **({text: "Mon voisin M. Dupont"} if index == 0 else {})}
            for index, choice in enumerate(choices)
        ],
    )
    return questionnaire


def test_the_consultations_provider_registers_its_datasets():
    assert set(KEYS) <= {dataset.key for dataset in registry.datasets()}
    assert {dataset.participation for dataset in registry.datasets() if dataset.key in KEYS} == {"consultation"}


def test_questionnaire_results_count_each_answer_and_hide_small_ones(client, survey):
    rows = [
        row for row in csv_rows(client, "consultations-questionnaire-results") if row["questionnaire"] == "mobilites"
    ]
    mode = {row["answer"]: row for row in rows if row["question"] == "Comment venez-vous ?"}
    assert mode["À vélo"]["answers"] == "8"
    assert mode["À vélo"]["respondents"] == "15"
    # 2 is below the threshold, and 5 is hidden with it so 15 - 8 cannot give it back.
    assert mode["En bus"]["answers"] == "" and mode["En voiture"]["answers"] == ""
    scale = {row["answer"]: row["answers"] for row in rows if row["question"] == "Satisfaction"}
    # 3 is hidden, and the only other count with it (15 - 3 would give it back); zeros stay.
    assert scale == {"1": "0", "2": "0", "3": "0", "4": "", "5": ""}
    assert {row["wave"] for row in rows} == {"single"}
    # Free text stays out, even a published one.
    assert "Une idée ?" not in {row["question"] for row in rows}
    assert "Dupont" not in json.dumps(rows)


def test_questionnaires_with_private_or_unpublished_results_stay_out(client, survey):
    survey.results_visibility = "staff"
    survey.save()
    assert csv_rows(client, "consultations-questionnaire-results") == []


@pytest.fixture
def closed_referendum(db):
    vote = LocalVoteFactory(slug="piscine", title="Référendum sur la piscine", registered_electors=10)
    add_phase(vote, start_days=-3, end_days=1)
    for choice, count in (("yes", 4), ("no", 1), ("blank", 1)):
        for _n in range(count):
            local_vote_cast(vote=vote, person=ElectorFactory(), choice=choice)
    phase = vote.phases.get()
    phase.ends_at = timezone.now() - datetime.timedelta(minutes=1)
    phase.save()
    return vote


def test_closed_votes_give_official_results_with_turnout_and_quorum(client, closed_referendum):
    open_vote = LocalVoteFactory(slug="marche", title="Consultation du marché", kind="consultation")
    add_phase(open_vote, start_days=-1, end_days=3)
    rows = csv_rows(client, "consultations-local-votes")
    assert [row["vote"] for row in rows] == ["piscine"]  # the open vote is not counted yet
    row = rows[0]
    assert (row["registered"], row["ballots"], row["yes"], row["no"], row["blank"]) == ("10", "6", "4", "1", "1")
    assert row["turnout_percent"] == "60.0" and row["yes_percent"] == "80.0"
    assert row["quorum_met"] == "true" and row["adopted"] == "true"


@pytest.fixture
def poll(db):
    """Eight panelists answered twice: support 2 → 4 for six of them, 3 → 3 for two; one answered
    only before. Knowledge: 2 right before, 8 after."""
    questionnaire = QuestionnaireFactory(
        kind="deliberative", slug="tramway", title="Sondage délibératif tramway", results_visibility="always"
    )
    before = add_phase(questionnaire, PhaseKind.BEFORE, start_days=-10, end_days=-5)
    add_phase(questionnaire, PhaseKind.AFTER, start_days=-1, end_days=5)
    assert before
    section = SectionFactory(questionnaire=questionnaire)
    support = QuestionFactory(section=section, kind=QuestionKind.SCALE, text="Soutien au tramway", sort_order=1)
    quiz = QuestionFactory(section=section, kind=QuestionKind.SINGLE, text="Coût ?", is_knowledge=True, sort_order=2)
    low, high = add_options(quiz, "10 M€", "80 M€", correct="80 M€")
    panel = [UserFactory(email=f"panel{n}@example.org") for n in range(9)]
    _respond(
        questionnaire,
        [{support: 2 if n < 6 else 3, quiz: high if n < 2 else low} for n in range(9)],
        wave="before",
        people=panel,
    )
    _respond(
        questionnaire, [{support: 4 if n < 6 else 3, quiz: high} for n in range(8)], wave="after", people=panel[:8]
    )
    return questionnaire


def test_deliberative_shift_compares_the_panelists_who_answered_twice(client, poll):
    rows = csv_rows(client, "consultations-deliberative-shifts")
    support = next(row for row in rows if row["question"] == "Soutien au tramway")
    assert support["paired_panelists"] == "8"
    assert (support["before"], support["after"], support["shift"]) == ("2.25", "3.75", "1.5")
    assert support["measure"] == "opinion" and support["unit"] == "mean"
    knowledge = next(row for row in rows if row["measure"] == "knowledge")
    assert (knowledge["before"], knowledge["after"]) == ("25.0", "100.0")
    distributions = csv_rows(client, "consultations-deliberative-distributions")
    cells = {(r["question"], r["wave"], r["answer"]): (r["panelists"], r["answered"]) for r in distributions}
    # All eight panelists got the knowledge question right after: published.
    assert cells[("Coût ?", "after", "80 M€")] == ("8", "8")
    assert cells[("Coût ?", "after", "10 M€")] == ("0", "8")
    # Before, 2 were right: hidden, and the 6 with it (8 - 6 would give it back).
    assert cells[("Coût ?", "before", "80 M€")] == ("", "8")
    assert cells[("Coût ?", "before", "10 M€")] == ("", "8")
    assert cells[("Soutien au tramway", "after", "1")] == ("0", "8")
    text = json.dumps([rows, distributions])
    assert "panel0@example.org" not in text and "respondent" not in text


def test_a_panel_below_the_threshold_publishes_no_statistics(client, poll, settings):
    settings.OPENDATA_MIN_COUNT = 9
    assert csv_rows(client, "consultations-deliberative-shifts") == []


@pytest.fixture
def opinion_map(db):
    """Group A: 6 participants who agree with statement 1; group B: 5 who disagree. A hidden statement."""
    conversation = Conversation.objects.create(
        slug="centre-ville", title="Le centre-ville", topic="Que faire ?", published=True, min_verification_level=1
    )
    author = UserFactory(email="auteur@example.org")
    first = Statement.objects.create(conversation=conversation, author=author, text="Piétonniser", is_seed=True)
    hidden = Statement.objects.create(
        conversation=conversation, author=author, text="Insulte", moderation_state="hidden"
    )
    a_people = [UserFactory() for _n in range(6)]
    b_people = [UserFactory() for _n in range(5)]
    for person in a_people:
        StatementVote.objects.create(statement=first, conversation=conversation, participant=person, value=1)
    for index, person in enumerate(b_people):
        value = -1 if index < 4 else 0
        StatementVote.objects.create(statement=first, conversation=conversation, participant=person, value=value)
    StatementVote.objects.create(statement=hidden, conversation=conversation, participant=a_people[0], value=1)
    people = a_people + b_people
    OpinionGrouping.objects.create(
        conversation=conversation,
        computed_at=timezone.now(),
        participants=len(people),
        votes=12,
        k=2,
        silhouette=0.8,
        data={
            "points": [[0.1, 0.1, 0]] * 6 + [[0.9, 0.9, 1]] * 5,
            "participants": [person.pk for person in people],
            "groups": [
                {"index": 0, "size": 6, "centre": [0.1, 0.1], "representative": []},
                {"index": 1, "size": 5, "centre": [0.9, 0.9], "representative": []},
            ],
            "consensus": [],
        },
    )
    return conversation


def test_opinion_maps_publish_group_sizes_and_agreement_per_group(client, opinion_map):
    groups = csv_rows(client, "consultations-opinion-groups")
    assert [(row["group"], row["participants"]) for row in groups] == [("A", "6"), ("B", "5")]
    rows = csv_rows(client, "consultations-opinion-statements")
    assert {row["text"] for row in rows} == {"Piétonniser"}  # the hidden statement stays out
    by_group = {row["group"]: row for row in rows}
    assert (by_group[""]["agree"], by_group[""]["disagree"]) == ("6", "")  # 4 is below 5
    assert by_group["A"]["agree"] == "6"
    # Nobody in B agreed (a zero singles nobody out); 4 disagree and 1 pass are hidden.
    assert (by_group["B"]["agree"], by_group["B"]["disagree"], by_group["B"]["pass"]) == ("0", "", "")
    text = json.dumps(rows + groups)
    assert "auteur@example.org" not in text
    assert set(rows[0]) == {"conversation", "statement", "text", "by_organisers", "group", "agree", "disagree", "pass"}


def test_the_datasets_show_on_the_page_in_the_catalogue_and_the_api(client, survey):
    html = client.get(reverse("opendata:index")).content.decode()
    assert "Consultations" in html
    for key in KEYS:
        assert reverse("opendata:download", kwargs={"key": key, "extension": "csv"}) in html
    catalogue = client.get(reverse("opendata:catalogue"), {"page_size": 100}).content.decode()
    for key in KEYS:
        assert f"/open-data/jeux/{key}.csv" in catalogue
    response = client.get("/api/v1/datasets/consultations-questionnaire-results/rows")
    assert response.status_code == 200, response.content[:300]
    assert "À vélo" in {row["answer"] for row in response.json()["results"]}


def test_the_impact_dashboard_shows_who_changed_their_opinion(client, poll):
    impact_compute()
    html = client.get(reverse("opendata:dashboard")).content.decode()
    assert "Deliberative polls: panelists who changed their opinion" in html
    assert "Sondage délibératif tramway" in html
    staff = StaffFactory()
    client.force_login(staff)
    rows = [
        row
        for row in csv.DictReader(
            io.StringIO(client.get(reverse("opendata:dashboard_export"), {"exact": 1}).content.decode())
        )
        if row["metric"] == "opinion_change"
    ]
    # Six of the eight changed their support (the knowledge question is not an opinion).
    assert [(row["label"], row["value"], row["reference"]) for row in rows] == [
        ("Sondage délibératif tramway", "6", "8")
    ]
