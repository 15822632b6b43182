"""Reading and writing pabulib `.pb` files (budgets.tally.parse / write)."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest

from budgets.tally import (
    PbFormatError,
    consistency_problems,
    format_amount,
    format_money,
    parse_amount,
    parse_pb,
    tally,
    write_pb,
)
from budgets.tests.tally_helpers import FILE_IDS, PB_FILES, make_election, require_pabulib

HEADER = "META\nkey;value\ndescription;Test\nnum_projects;3\nnum_votes;3\nbudget;100\nvote_type;approval\nrule;greedy\n"
PROJECTS = "PROJECTS\nproject_id;cost;votes;name\n1;60;2;Un parc\n2;50;2;Des bancs\n10;30;1;Un jardin\n"
VOTES = "VOTES\nvoter_id;vote\nv1;1,2\nv2;2,1\nv3;10\n"


def ballots(election) -> Counter:
    """Ballots as a multiset independent of order within approval ballots."""
    counted: Counter = Counter()
    for ballot in election.ballots:
        key = tuple(zip(ballot.projects, ballot.points or (), strict=False))
        if election.vote_type in ("approval", "choose-1"):
            key = tuple(sorted(ballot.projects))
        counted[(key, ballot.points if election.vote_type == "ordinal" else None)] += ballot.multiplicity
    return counted


def test_the_shared_pabulib_files_are_present():
    folder = require_pabulib()
    assert len(list(folder.glob("*.pb"))) >= 5


@pytest.mark.parametrize("path", PB_FILES, ids=FILE_IDS)
def test_every_shared_file_survives_a_write_and_read_round_trip(path):
    original = parse_pb(path)
    text = write_pb(original)
    again = parse_pb(text)

    assert again.meta == original.meta
    assert again.project_columns == original.project_columns
    assert again.voter_columns == original.voter_columns
    assert [(p.id, p.cost, p.fields) for p in again.projects.values()] == [
        (p.id, p.cost, p.fields) for p in original.projects.values()
    ]
    assert ballots(again) == ballots(original)
    assert [(v.voter_id, v.extra) for v in again.voters] == [(v.voter_id, v.extra) for v in original.voters]
    assert [again.ballots[v.ballot].projects for v in again.voters] == [
        original.ballots[v.ballot].projects for v in original.voters
    ]
    assert write_pb(again) == text


@pytest.mark.parametrize("path", PB_FILES, ids=FILE_IDS)
def test_recounted_votes_and_scores_equal_the_file_columns(path):
    election = parse_pb(path)
    assert consistency_problems(election) == []
    for project in election.projects.values():
        if "votes" in project.fields:
            assert election.votes[project.id] == int(project.fields["votes"])
        if "score" in project.fields:
            assert election.scores[project.id] == int(project.fields["score"])


def test_a_file_with_a_byte_order_mark_and_windows_line_ends_reads_the_same():
    plain = parse_pb(HEADER + PROJECTS + VOTES)
    marked = parse_pb(("\ufeff" + HEADER + PROJECTS + VOTES).replace("\n", "\r\n").encode("utf-8"))
    assert marked.meta == plain.meta
    assert ballots(marked) == ballots(plain)


def test_identical_ballots_are_counted_once_with_their_multiplicity():
    election = parse_pb(HEADER + PROJECTS + VOTES)
    # v1 "1,2" and v2 "2,1" are the same approval ballot.
    assert sorted(ballot.multiplicity for ballot in election.ballots) == [1, 2]
    assert election.num_voters == 3
    assert election.votes == {"1": 2, "2": 2, "10": 1}


def test_ordinal_ballots_keep_their_order_and_score_length_down_to_one():
    text = (
        HEADER.replace("approval", "ordinal")
        + "PROJECTS\nproject_id;cost\n1;60\n2;50\n10;30\n"
        + "VOTES\nvoter_id;vote\nv1;1,2,10\nv2;2,1,10\nv3;10\n"
    )
    election = parse_pb(text)
    assert len(election.ballots) == 3
    assert election.scores == {"1": 3 + 2, "2": 2 + 3, "10": 1 + 1 + 1}


def test_project_names_with_semicolons_and_quotes_survive_a_round_trip():
    name = 'Zielona obwodnica; ETAP II, "duża"'
    text = HEADER + f'PROJECTS\nproject_id;cost;name\n1;60;"{name.replace(chr(34), chr(34) * 2)}"\n2;50;b\n10;30;c\n'
    election = parse_pb(text + VOTES)
    assert election.projects["1"].name == name
    assert parse_pb(write_pb(election)).projects["1"].name == name


def test_none_cells_count_as_empty():
    text = HEADER + "PROJECTS\nproject_id;cost;name;category\n1;60;None;\n2;50;b;none\n10;30;c;x\n" + VOTES
    election = parse_pb(text)
    assert election.projects["1"].fields == {}
    assert election.projects["2"].fields == {"name": "b"}


def test_decimal_costs_and_budgets_stay_exact():
    text = (
        HEADER.replace("budget;100", "budget;1721654.65")
        + "PROJECTS\nproject_id;cost\n1;1000000.10\n2;721654.55\n10;0.01\n"
    )
    election = parse_pb(text + VOTES)
    assert election.budget == Fraction("1721654.65")
    outcome = tally(election, "greedy")
    assert set(outcome.selected) == {"1", "2"}
    assert format_amount(outcome.spent) == "1721654.65"
    assert outcome.results["10"].reason_params == {"remaining": "0", "cost": "0.01"}
    assert "\n1;1000000.1\n" in write_pb(election)


@pytest.mark.parametrize(
    ("text", "amount"), [("0", "0"), ("12", "12"), ("12.50", "12.5"), ("1721654.65", "1721654.65"), ("0.001", "0.001")]
)
def test_amounts_are_read_and_written_exactly(text, amount):
    assert format_amount(parse_amount(text)) == amount


def test_money_for_people_is_rounded_down_to_the_cent():
    assert format_money(Fraction(2, 3)) == "0.66"
    assert format_money(Fraction(5, 2)) == "2.5"
    assert format_amount(Fraction(2, 3)) == "2/3"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (HEADER + PROJECTS.replace("1;60;", "1;60,5;") + VOTES, 11, "cost of project '1'"),
        (HEADER + PROJECTS + VOTES.replace("v3;10", "v3;11"), 18, "unknown project '11'"),
        (HEADER + PROJECTS + VOTES.replace("v3;10", "v3;10,10"), 18, "lists a project twice"),
        (HEADER + PROJECTS + VOTES.replace("v2;", "v1;"), 17, "voter 'v1' appears twice"),
        (HEADER + PROJECTS.replace("2;50;2;Des bancs", "1;50;2;Des bancs") + VOTES, 12, "project '1' appears twice"),
        (HEADER + PROJECTS.replace("10;30;1;Un jardin", "10;30;1"), 13, "3 cells where the PROJECTS header has 4"),
        (HEADER.replace("budget;100", "budget;1,5") + PROJECTS + VOTES, 10, "META budget"),
        ("description;x\n" + HEADER, 1, "must start with a META line"),
        (HEADER.replace("approval", "cumulative") + PROJECTS + VOTES, 15, "need a points column"),
        (HEADER.replace("approval", "bogus") + PROJECTS + VOTES, 10, "unknown vote_type"),
    ],
)
def test_malformed_files_are_refused_with_the_line_number(text, line, message):
    with pytest.raises(PbFormatError, match=message) as caught:
        parse_pb(text)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"line {line}: ")


def test_a_missing_section_is_refused():
    with pytest.raises(PbFormatError, match="the VOTES section is missing"):
        parse_pb(HEADER + PROJECTS)


def test_cumulative_points_must_match_the_vote_list():
    text = HEADER.replace("approval", "cumulative") + PROJECTS + "VOTES\nvoter_id;vote;points\nv1;1,2;3\n"
    with pytest.raises(PbFormatError, match="has 1 points for 2 projects"):
        parse_pb(text)


def test_an_election_built_in_code_is_written_with_numbered_voters_and_its_results():
    election = make_election({"a": 60, "b": 50}, [("a",), ("a", "b"), ("b",), ("b",)], budget=100)
    outcome = tally(election, "greedy")
    text = write_pb(election, outcome)
    assert "num_votes;4\n" in text
    assert "PROJECTS\nproject_id;cost;votes;selected\na;60;2;0\nb;50;3;1\n" in text
    assert text.endswith("VOTES\nvoter_id;vote\n1;a\n2;a,b\n3;b\n4;b\n")
    assert parse_pb(text).votes == {"a": 2, "b": 3}


def test_choose_one_ballots_are_counted_as_approvals():
    text = HEADER.replace("approval", "choose-1") + PROJECTS + "VOTES\nvoter_id;vote\nv1;1\nv2;2\nv3;2\n"
    election = parse_pb(text)
    assert election.votes == {"1": 1, "2": 2, "10": 0}
    assert tally(election, "greedy").selected == ("2",)


def test_scoring_ballots_may_give_negative_points_and_a_default_score():
    text = (
        HEADER.replace("approval", "scoring").replace("rule;greedy", "rule;greedy\ndefault_score;1")
        + "PROJECTS\nproject_id;cost\n1;60\n2;50\n10;30\n"
        + "VOTES\nvoter_id;vote;points\nv1;1,2;5,-2\nv2;2;3\nv3;;\n"
    )
    election = parse_pb(text)
    # Unlisted projects get the default score of 1 from each voter.
    assert election.scores == {"1": 5 + 1 + 1, "2": -2 + 3 + 1, "10": 1 + 1 + 1}
    assert parse_pb(write_pb(election)).scores == election.scores
