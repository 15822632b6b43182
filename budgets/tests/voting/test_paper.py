"""Paper ballots: typed in at the desk for a person present, or imported in bulk from polling stations."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budgets.models import BallotType
from budgets.voting.selectors import project_codes
from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.ballots.models import ParticipationLedger, SecretBallot
from civicplatform.core.models import AuditEvent
from civicplatform.verification.desk import person_ref

from .conftest import choose

pytestmark = pytest.mark.django_db


def _paper_url(budget):
    return reverse("budgets:paper_ballot", args=[budget.process.slug, budget.slug])


def _import_url(process):
    return reverse("budgets:paper_import", args=[process.slug])


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("bureau-1.csv", text.encode(), content_type="text/csv")


@pytest.fixture
def desk_for_resident(client, staff, resident):
    client.force_login(staff)
    client.post(reverse("verification:desk_act", args=[person_ref(resident)]))
    return client


# -- a paper ballot at the desk


def test_anonymous_visitors_are_sent_to_log_in(client, city_budget):
    assert reverse("account_login") in client.get(_paper_url(city_budget)).url


def test_residents_cannot_record_paper_ballots(client, resident, city_budget):
    client.force_login(resident)

    assert client.get(_paper_url(city_budget)).status_code == 403


def test_staff_must_act_for_a_person_first(client, staff, city_budget):
    client.force_login(staff)

    response = client.get(_paper_url(city_budget))

    assert response.status_code == 403
    assert reverse("verification:desk") in response.content.decode()


def test_staff_record_a_paper_ballot_for_the_person_at_the_desk(desk_for_resident, staff, resident, city_projects):
    budget = city_projects[0].budget

    page = desk_for_resident.get(_paper_url(budget)).content.decode()
    response = desk_for_resident.post(
        _paper_url(budget), {"projects": choose(city_projects, 0, 2), "action": "cast"}, follow=True
    )

    assert "Type in the paper ballot handed in by Camille" in page
    assert response.context["receipt"]
    entry = ParticipationLedger.objects.get()
    assert (entry.voter, entry.channel) == (resident, "paper")
    assert SecretBallot.objects.get().channel == "paper"
    event = AuditEvent.objects.get(action="ballots.paper")
    assert (event.actor, event.on_behalf_of) == (staff, resident)
    assert "projects" not in str(event.data)


def test_after_a_paper_ballot_the_person_cannot_vote_online(client, desk_for_resident, resident, city_projects):
    budget = city_projects[0].budget
    desk_for_resident.post(_paper_url(budget), {"projects": choose(city_projects, 0), "action": "cast"})
    client.force_login(resident)

    response = client.post(
        reverse("budgets:ballot", args=[budget.process.slug, budget.slug]),
        {"projects": choose(city_projects, 1), "action": "cast"},
    )

    assert response.status_code == 409
    assert SecretBallot.objects.count() == 1


def test_an_invalid_paper_ballot_is_400_and_keeps_the_ticks(desk_for_resident, city_projects):
    response = desk_for_resident.post(
        _paper_url(city_projects[0].budget), {"projects": choose(city_projects, 0, 1, 2), "action": "cast"}
    )

    assert response.status_code == 400
    assert "more than the budget" in response.content.decode()
    assert not SecretBallot.objects.exists()


def test_wrong_method_is_405(desk_for_resident, city_budget):
    assert desk_for_resident.delete(_paper_url(city_budget)).status_code == 405


# -- importing anonymous paper ballots


def test_only_staff_import_paper_ballots(client, resident, voting_process):
    assert reverse("account_login") in client.get(_import_url(voting_process)).url
    client.force_login(resident)
    assert client.get(_import_url(voting_process)).status_code == 403
    assert client.put(_import_url(voting_process)).status_code in (403, 405)


def test_the_import_page_lists_the_codes_to_use(client, staff, city_projects):
    client.force_login(staff)
    codes = project_codes(city_projects)

    page = client.get(_import_url(city_projects[0].process)).content.decode()

    assert all(code in page for code in codes.values())
    assert "ville;" in page


def test_paper_ballots_are_imported_anonymously_and_once(client, staff, city_projects):
    client.force_login(staff)
    process = city_projects[0].process
    codes = project_codes(city_projects)
    a, b, c = (codes[project.pk] for project in city_projects)
    text = f"budget;projects\nville;{a},{c}\nville;{b}\n\nville;{a}\n"

    response = client.post(_import_url(process), {"file": _csv(text)})

    assert response.status_code == 302
    ballots = SecretBallot.objects.filter(channel="paper")
    assert ballots.count() == 3
    assert {tuple(sorted(ballot.choices["projects"])) for ballot in ballots} == {
        tuple(sorted([city_projects[0].pk, city_projects[2].pk])),
        (city_projects[1].pk,),
        (city_projects[0].pk,),
    }
    assert not ParticipationLedger.objects.exists()
    assert AuditEvent.objects.get(action="ballots.paper").data["count"] == 3

    again = client.post(_import_url(process), {"file": _csv(text)})

    assert again.status_code == 400
    assert "already been imported" in again.content.decode()
    assert SecretBallot.objects.count() == 3


def test_a_file_with_wrong_lines_imports_nothing_and_lists_them(client, staff, city_projects):
    client.force_login(staff)
    codes = project_codes(city_projects)
    a = codes[city_projects[0].pk]
    text = f"ville;{a}\nnowhere;{a}\nville;zzz\nville;{a},{a}\nville;\n"

    response = client.post(_import_url(city_projects[0].process), {"file": _csv(text)})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Line 2: unknown budget" in page
    assert "Line 3: no project with the code" in page
    assert "Line 4: the project" in page
    assert "listed twice" in page
    assert "Line 5: " in page
    assert not SecretBallot.objects.exists()


def test_a_file_that_is_not_utf8_is_refused(client, staff, city_projects):
    client.force_login(staff)

    response = client.post(_import_url(city_projects[0].process), {"file": _csv("x")} | {})
    bad = client.post(
        _import_url(city_projects[0].process),
        {"file": SimpleUploadedFile("b.csv", "ville;é".encode("latin-1"))},
    )

    assert response.status_code == 400
    assert bad.status_code == 400
    assert "not UTF-8" in bad.content.decode()


def test_cumulative_paper_ballots_carry_their_points(client, staff, city_projects):
    process = city_projects[0].process
    process.ballot_type = BallotType.CUMULATIVE
    process.points_total = 10
    process.save()
    client.force_login(staff)
    codes = project_codes(city_projects)
    a, b = codes[city_projects[0].pk], codes[city_projects[1].pk]

    client.post(_import_url(process), {"file": _csv(f"ville;{a}:2,{b}:5\n")})

    assert SecretBallot.objects.get().choices == {
        "projects": [city_projects[1].pk, city_projects[0].pk],
        "points": [5, 2],
    }


def test_a_non_staff_user_with_the_desk_permission_is_still_refused(client, voting_process):
    client.force_login(UserFactory())
    assert client.get(_import_url(voting_process)).status_code == 403
