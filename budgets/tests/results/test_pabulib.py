"""The published ballot file (.pb) and the import of real elections from pabulib."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from budgets import tally
from budgets.models import BallotType, BudgetProcess, ProjectStatus, TallyRule
from budgets.results.selectors import budget_pb, process_results
from budgets.results.services import pb_import
from civicplatform.ballots.models import SecretBallot
from civicplatform.ballots.receipts import receipt_hash, voter_code
from civicplatform.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PABULIB = Path(settings.BASE_DIR).parent / "shared" / "data" / "pabulib"
GREEDY_FILES = [
    "Poland_Czestochowa_2024_Mirow.pb",
    "Poland_Krakow_2022_Zwierzyniec.pb",
    "Poland_Warszawa_2026_Stegny.pb",
]
needs_files = pytest.mark.skipif(not PABULIB.is_dir(), reason="the shared pabulib files are not here")


def _selected_in_file(path: Path) -> set[str]:
    election = tally.parse_pb(path)
    return {pid for pid, project in election.projects.items() if project.fields.get("selected") in ("1", "2", "3")}


# -- export


def test_the_ballot_file_is_pabulib_and_each_voter_finds_their_line(client, counted):
    budget, projects, receipts = counted

    response = client.get(reverse("budgets:results_pb", args=[budget.process.slug, budget.slug]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bp-2025_ville.pb"'
    text = response.content.decode()
    election = tally.parse_pb(text)
    assert election.meta["vote_type"] == "approval"
    assert election.meta["max_sum_cost"] == "100000"
    assert election.meta["rule"] == "greedy"
    assert election.num_voters == 10
    voter_ids = [voter.voter_id for voter in election.voters]
    assert voter_ids == sorted(voter_ids)
    mine = voter_code(receipt_hash(receipts[0]))
    assert mine in voter_ids
    assert tally.consistency_problems(election) == []
    selected = {pid for pid, project in election.projects.items() if project.fields["selected"] == "1"}
    assert {election.projects[pid].name for pid in selected} == {"A - Arbres", "B - Bancs"}


def test_a_project_name_with_a_semicolon_is_quoted(counted):
    budget, projects, _receipts = counted
    projects[0].title = 'Arbres; "grands" et petits'
    projects[0].save()

    text = budget_pb(budget)

    assert '"Arbres; ""grands"" et petits"' in text
    assert tally.parse_pb(text).projects is not None


def test_the_ballot_file_is_not_published_before_the_close(client, voting_process, city_budget):
    response = client.get(reverse("budgets:results_pb", args=[voting_process.slug, city_budget.slug]))

    assert response.status_code == 403


def test_the_export_command_writes_one_file_per_budget(counted, tmp_path):
    budget, _projects, _receipts = counted

    call_command("pb_export", budget.process.slug, "--output", str(tmp_path), stdout=io.StringIO())

    assert tally.parse_pb(tmp_path / "bp-2025_ville.pb").num_voters == 10
    with pytest.raises(CommandError, match="no budget process"):
        call_command("pb_export", "nope", stdout=io.StringIO())


# -- import


@needs_files
@pytest.mark.parametrize("name", GREEDY_FILES)
def test_an_imported_greedy_election_gives_the_published_winners(name):
    path = PABULIB / name
    election = tally.parse_pb(path)

    result = pb_import(data=path.read_bytes(), actor=None, filename=name)

    process = result.process
    assert process.is_imported
    assert process.is_voting_over()
    (budget_result,) = process_results(process)
    winners = {row.code for row in budget_result.rows if row.result.selected}
    assert winners == _selected_in_file(path)
    assert budget_result.num_ballots == election.num_voters
    assert SecretBallot.objects.filter(channel="imported").count() == election.num_voters


@needs_files
def test_import_maps_ballot_types_and_rules(staff):
    krakow = pb_import(data=(PABULIB / "Poland_Krakow_2022_Zwierzyniec.pb").read_bytes(), actor=staff).process
    czestochowa = pb_import(data=(PABULIB / "Poland_Czestochowa_2024_Mirow.pb").read_bytes(), actor=staff).process
    warszawa = pb_import(data=(PABULIB / "Poland_Warszawa_2026_Stegny.pb").read_bytes(), actor=staff).process
    assen = pb_import(data=(PABULIB / "Netherlands_Assen_2024.pb").read_bytes(), actor=staff).process

    assert (krakow.ballot_type, krakow.rank_k, krakow.tally_rule) == (BallotType.RANKED, 3, TallyRule.GREEDY)
    assert (czestochowa.ballot_type, czestochowa.points_total) == (BallotType.CUMULATIVE, 10)
    assert (warszawa.tally_rule, warszawa.threshold, warszawa.max_projects) == (TallyRule.GREEDY_THRESHOLD, 30, 5)
    assert (assen.tally_rule, assen.min_projects) == (TallyRule.MES_ADD1, 2)
    assert AuditEvent.objects.filter(action="budgets.pb_import", actor=staff).count() == 4


@needs_files
def test_an_imported_equal_shares_election_gives_the_published_winners():
    path = PABULIB / "Netherlands_Assen_2024.pb"
    process = pb_import(data=path.read_bytes(), actor=None, filename=path.name).process

    (budget_result,) = process_results(process)

    assert {row.code for row in budget_result.rows if row.result.selected} == _selected_in_file(path)


@needs_files
def test_a_file_without_a_selected_column_gets_the_platforms_count():
    path = PABULIB / "US_Stanford_Dataset_PB_Chicago_33rd_Ward_2021_vote_knapsacks.pb"
    result = pb_import(data=path.read_bytes(), actor=None, filename=path.name)

    process = result.process
    assert any("nearest rule" in warning for warning in result.warnings)
    selected = set(process.projects.filter(status=ProjectStatus.SELECTED).values_list("external_id", flat=True))
    (budget_result,) = process_results(process)
    assert selected == {row.code for row in budget_result.rows if row.result.selected}
    assert process.currency == "USD"


@needs_files
def test_export_after_import_round_trips_projects_and_ballots():
    path = PABULIB / "Poland_Czestochowa_2024_Mirow.pb"
    original = tally.parse_pb(path)
    process = pb_import(data=path.read_bytes(), actor=None, filename=path.name).process

    exported = tally.parse_pb(budget_pb(process.budgets.get()))

    assert set(exported.projects) == set(original.projects)
    assert exported.votes == original.votes
    assert exported.scores == original.scores
    assert exported.num_voters == original.num_voters
    assert sorted(tally.tally(exported, "greedy").selected) == sorted(_selected_in_file(path))


def test_a_broken_file_is_refused_with_the_line(staff):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="line"):
        pb_import(
            data=b"META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;abc\n", actor=staff
        )
    assert not BudgetProcess.objects.exists()


def test_amounts_with_cents_are_refused():
    from django.core.exceptions import ValidationError

    text = "META\nkey;value\nbudget;100.5\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;10\n"
    text += "VOTES\nvoter_id;vote\n1;1\n"
    with pytest.raises(ValidationError, match="cents"):
        pb_import(data=text.encode(), actor=None)


@needs_files
def test_the_import_command_creates_a_process(capsys):
    out = io.StringIO()

    call_command("pb_import", str(PABULIB / "Poland_Warszawa_2026_Stegny.pb"), "--slug", "stegny", stdout=out)

    assert "Imported Poland_Warszawa_2026_Stegny.pb as process 'stegny'" in out.getvalue()
    assert BudgetProcess.objects.get(slug="stegny").projects.count() == 12
    with pytest.raises(CommandError, match="cannot read"):
        call_command("pb_import", "/nonexistent.pb")


# -- the staff upload page


def test_only_staff_upload_pabulib_files(client, resident):
    url = reverse("budgets:pb_import")

    assert reverse("account_login") in client.get(url).url
    client.force_login(resident)
    assert client.get(url).status_code == 403


@needs_files
def test_staff_upload_a_file_and_land_on_its_results(client, staff):
    client.force_login(staff)
    path = PABULIB / "Poland_Warszawa_2026_Stegny.pb"

    response = client.post(
        reverse("budgets:pb_import"), {"file": SimpleUploadedFile(path.name, path.read_bytes()), "slug": "stegny-2026"}
    )

    assert response.status_code == 302
    assert response.url == reverse("budgets:results", args=["stegny-2026"])
    page = client.get(response.url).content.decode()
    assert "imported from a pabulib file" in page
    assert "Only projects with a support of at least 30 are eligible" in page


def test_an_upload_that_is_not_a_pb_file_is_400(client, staff):
    client.force_login(staff)

    wrong_name = client.post(reverse("budgets:pb_import"), {"file": SimpleUploadedFile("x.csv", b"a;b")})
    broken = client.post(reverse("budgets:pb_import"), {"file": SimpleUploadedFile("x.pb", b"nothing")})

    assert wrong_name.status_code == 400
    assert "ends in .pb" in wrong_name.content.decode()
    assert broken.status_code == 400
    assert "not a readable pabulib file" in broken.content.decode()
    assert client.put(reverse("budgets:pb_import")).status_code == 405
