"""`manage.py pb_tally`: any pabulib file, any rule, no database.

No test here is marked django_db: pytest-django refuses database access to unmarked
tests, so each of them also proves that the command never touches the database.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from budgets.management.commands.pb_tally import Command
from budgets.tests.tally_helpers import require_pabulib


def run(*args: str, language: str = "en") -> str:
    out = StringIO()
    with translation.override(language):
        call_command("pb_tally", *args, stdout=out)
    return out.getvalue()


def test_it_runs_with_the_database_blocked(django_db_blocker):
    with django_db_blocker.block():
        data = json.loads(run(str(require_pabulib() / "Poland_Czestochowa_2024_Mirow.pb"), "--json"))
    assert sorted(data["selected"]) == ["146", "687", "717", "795"]


def test_it_needs_neither_system_checks_nor_migrations():
    assert Command.requires_system_checks == []
    assert Command.requires_migrations_checks is False


def test_json_output_gives_the_winners_the_money_spent_and_the_budget():
    path = require_pabulib() / "Poland_Warszawa_2026_Stegny.pb"
    data = json.loads(run(str(path), "--rule", "greedy-threshold", "--json"))
    assert data["rule"] == "greedy-threshold"
    assert sorted(data["selected"]) == ["1866", "1976", "2019", "221", "271", "272", "273", "275", "276", "454", "672"]
    assert data["selected"][0] == "672"  # funded in order of votes
    assert (data["spent"], data["budget"], data["threshold"]) == ("741630", "846539", 30)
    assert {project["id"]: project["reason"] for project in data["projects"]}["671"] == "did_not_fit"


def test_without_a_rule_it_uses_the_rule_named_in_the_file():
    data = json.loads(run(str(require_pabulib() / "Netherlands_Assen_2024.pb"), "--json"))
    assert data["rule"] == "mes-add1"
    assert sorted(data["selected"]) == ["11", "12", "13", "14", "2", "3", "5", "6", "9"]
    assert (data["spent"], data["endowment"]) == ("76700", "2033")
    assert data["rounds"][0]["project"] == "3"


def test_the_human_report_explains_every_project():
    report = run(str(require_pabulib() / "Poland_Krakow_2022_Zwierzyniec.pb"), "--rule", "greedy-no-skip")
    assert "Rule: greedy-no-skip" in report
    assert "Budget: 1921258 PLN; spent: 1458500 PLN." in report
    assert "Funded: 1, 5" in report
    assert "17 (cost 768500, 343 votes, 713 points): Not funded: it did not fit in the remaining budget" in report
    assert "the count stopped at the first project that did not fit (project 17)" in report


def test_the_report_is_in_french_by_default():
    report = run(str(require_pabulib() / "Poland_Krakow_2022_Zwierzyniec.pb"), "--rule", "greedy", language="fr")
    assert "Règle\xa0: greedy" in report
    assert "Non financé\xa0: il ne tenait pas dans le budget restant" in report


def test_threshold_and_tie_breaking_options_are_applied():
    path = str(require_pabulib() / "Poland_Czestochowa_2024_Mirow.pb")
    data = json.loads(run(path, "--rule", "greedy", "--threshold", "1000", "--tie-breaking", "id", "--json"))
    assert data["selected"] == ["795"]  # the only project with 1,000 points or more
    assert data["tie_breaking"] == ["id"]
    assert {project["reason"] for project in data["projects"] if project["id"] != "795"} == {"below_threshold"}


def test_a_malformed_file_is_refused_with_its_line_number(tmp_path):
    path = tmp_path / "broken.pb"
    path.write_text(
        "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;12,5\nVOTES\nvoter_id;vote\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"broken\.pb is not a valid pabulib file: line 7: cost of project '1'"):
        run(str(path))


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "nowhere.pb"))


def test_greedy_threshold_without_a_threshold_is_refused():
    path = str(require_pabulib() / "Netherlands_Assen_2024.pb")
    with pytest.raises(CommandError, match="needs a threshold"):
        run(path, "--rule", "greedy-threshold")


def test_an_unknown_tie_breaking_criterion_is_refused():
    path = str(require_pabulib() / "Netherlands_Assen_2024.pb")
    with pytest.raises(CommandError, match="unknown tie-breaking criteria"):
        run(path, "--rule", "greedy", "--tie-breaking", "luck")
