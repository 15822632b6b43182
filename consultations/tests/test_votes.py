"""Local consultations and referendums: the register, the secret ballot, paper ballots at the
desk, and the quorum rule of LO1112-7 on the results page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from civicplatform.accounts.tests.factories import ElectorFactory, ResidentFactory, StaffFactory
from civicplatform.ballots.models import Channel, ParticipationLedger, SecretBallot
from civicplatform.ballots.services import ballots_import
from civicplatform.core.models import AuditEvent
from civicplatform.territory.tests.factories import DistrictFactory
from civicplatform.verification.desk import person_ref
from consultations.models import VoteKind
from consultations.views import votes as vote_views
from consultations.votes import VoteRefused, local_vote_cast, local_vote_results, vote_decision

from .factories import LocalVoteFactory, add_phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def referendum(db):
    vote = LocalVoteFactory(slug="piscine", title="Référendum sur la piscine", registered_electors=10)
    add_phase(vote, start_days=-1, end_days=1)
    return vote


def close(vote):
    phase = vote.phases.get()
    phase.starts_at = timezone.now() - datetime.timedelta(days=3)
    phase.ends_at = timezone.now() - datetime.timedelta(minutes=1)
    phase.save()
    return vote


def test_an_elector_votes_secretly_once(referendum, elector):
    receipt = local_vote_cast(vote=referendum, person=elector, choice="yes")
    assert len(receipt) == 19
    entry = ParticipationLedger.objects.get()
    assert entry.voter == elector and entry.voted_on == timezone.localdate()
    ballot = SecretBallot.objects.get()
    assert ballot.choices == {"choice": "yes"}
    field_names = {field.name for field in SecretBallot._meta.get_fields()}
    assert not field_names & {"voter", "user", "created_at", "voted_on"}
    assert AuditEvent.objects.filter(action="ballots.cast", actor=elector).count() == 1
    with pytest.raises(VoteRefused):
        local_vote_cast(vote=referendum, person=elector, choice="no")
    assert SecretBallot.objects.count() == 1


def test_the_register_is_the_electoral_list(referendum, resident):
    decision = vote_decision(referendum, resident)
    assert not decision.allowed and decision.code == "elector"
    with pytest.raises(VoteRefused):
        local_vote_cast(vote=referendum, person=resident, choice="yes")


def test_a_consultation_of_part_of_the_territory_refuses_other_districts(referendum, elector):
    referendum.kind = VoteKind.CONSULTATION
    referendum.save()
    referendum.restricted_districts.set([DistrictFactory(name="Les Rives")])
    referendum.save()  # a parental many-to-many is written on save
    referendum = type(referendum).objects.get(pk=referendum.pk)
    assert vote_decision(referendum, elector).code == "district"


def test_nobody_votes_before_or_after_the_polling_period(referendum, elector):
    phase = referendum.phases.get()
    assert not vote_decision(referendum, elector, phase.starts_at - datetime.timedelta(minutes=1)).allowed
    assert not vote_decision(referendum, elector, phase.ends_at).allowed


def test_an_unknown_choice_is_refused(referendum, elector):
    with pytest.raises(VoteRefused):
        local_vote_cast(vote=referendum, person=elector, choice="peut-être")


def _votes(vote, yes=0, no=0, blank=0):
    for choice, count in (("yes", yes), ("no", no), ("blank", blank)):
        for _n in range(count):
            local_vote_cast(vote=vote, person=ElectorFactory(), choice=choice)


def test_a_referendum_is_adopted_with_the_quorum_and_a_majority_of_votes_cast(referendum):
    _votes(referendum, yes=3, no=1, blank=1)
    results = local_vote_results(referendum)
    assert (results.ballots, results.cast, results.turnout) == (5, 4, 50.0)
    assert results.quorum_met and results.approved and results.adopted
    assert results.yes_share == 75.0


def test_without_the_quorum_a_referendum_is_not_binding(referendum):
    _votes(referendum, yes=4)
    results = local_vote_results(referendum)
    assert results.approved and not results.quorum_met and not results.adopted


def test_blank_votes_count_for_the_quorum_not_for_the_majority(referendum):
    _votes(referendum, yes=2, no=2, blank=2)
    results = local_vote_results(referendum)
    assert results.quorum_met and not results.approved and not results.adopted


def test_a_consultation_is_never_binding(referendum):
    referendum.kind = VoteKind.CONSULTATION
    referendum.save()
    _votes(referendum, yes=9)
    assert not local_vote_results(referendum).adopted


def test_imported_paper_ballots_are_counted(referendum):
    _votes(referendum, yes=1)
    ballots_import(election=referendum, choices=[{"choice": "no"}] * 5, channel=Channel.PAPER, actor=StaffFactory())
    results = local_vote_results(referendum)
    assert (results.yes, results.no, results.ballots) == (1, 5, 6)


# ------------------------------------------------------------------ views


def url(name, vote):
    return reverse(f"consultations:{name}", args=[vote.slug])


def confirmation_of(response) -> dict[str, str]:
    """The hidden fields of the confirmation page, to post back with action=confirm."""
    page = response.content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(choice|token)" value="([^"]*)">', page))
    assert set(fields) == {"choice", "token"}, "not a confirmation page"
    return fields


def cast(client, vote, choice, *, view="vote_cast"):
    """Both steps of casting a vote: choose (a confirmation page, nothing recorded), then confirm."""
    shown = client.post(url(view, vote), {"choice": choice})
    assert shown.status_code == 200
    return client.post(url(view, vote), {**confirmation_of(shown), "action": "confirm"})


def test_the_page_shows_the_question_the_deliberation_and_the_dates(client, referendum):
    page = client.get(url("vote", referendum)).content.decode()
    assert referendum.question in page
    assert "Délibération n° 2026-045" in page
    assert "LO1112-7" in page


def test_anonymous_is_sent_to_log_in_to_vote(client, referendum):
    response = client.get(url("vote_cast", referendum))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_resident_not_on_the_register_is_told_why(client, referendum, resident):
    client.force_login(resident)
    response = client.get(url("vote_cast", referendum))
    assert response.status_code == 403
    assert "liste électorale" in response.content.decode()


def test_voting_without_a_choice_gives_400(client, referendum, elector):
    client.force_login(elector)
    response = client.post(url("vote_cast", referendum), {})
    assert response.status_code == 400 and "error-summary" in response.content.decode()
    assert not SecretBallot.objects.exists()


def test_an_elector_votes_and_gets_a_receipt(client, referendum, elector):
    client.force_login(elector)
    response = cast(client, referendum, "no")
    assert response.status_code == 302 and response["Location"] == url("vote_done", referendum)
    page = client.get(url("vote_done", referendum)).content.decode()
    assert "receipt__code" in page
    assert SecretBallot.objects.get().choices == {"choice": "no"}
    assert client.get(url("vote_cast", referendum)).status_code == 403  # already voted
    assert client.delete(url("vote_cast", referendum)).status_code == 405


def test_a_paper_ballot_at_the_desk_blocks_a_second_vote_online(client, referendum, elector):
    staff = StaffFactory()
    client.force_login(staff)
    assert client.get(url("vote_paper", referendum)).status_code == 403  # not acting for anyone
    client.post(reverse("verification:desk_act", args=[person_ref(elector)]))
    response = cast(client, referendum, "yes", view="vote_paper")
    assert response.status_code == 302
    entry = ParticipationLedger.objects.get()
    assert entry.voter == elector and entry.channel == Channel.PAPER
    assert SecretBallot.objects.get().channel == Channel.PAPER
    assert AuditEvent.objects.filter(action="ballots.paper", actor=staff, on_behalf_of=elector).exists()
    client.force_login(elector)
    assert client.get(url("vote_cast", referendum)).status_code == 403


def test_choosing_shows_the_choice_to_confirm_and_records_nothing_yet(client, referendum, elector):
    client.force_login(elector)
    response = client.post(url("vote_cast", referendum), {"choice": "yes"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vous allez voter\u00a0: <strong>Oui</strong>." in page
    assert "Confirmer mon vote" in page and "Modifier mon choix" in page
    assert confirmation_of(response)["choice"] == "yes"
    assert not SecretBallot.objects.exists() and not ParticipationLedger.objects.exists()


def test_changing_the_choice_goes_back_to_the_form_with_the_choice_selected(client, referendum, elector):
    client.force_login(elector)
    shown = client.post(url("vote_cast", referendum), {"choice": "blank"})
    response = client.post(url("vote_cast", referendum), {**confirmation_of(shown), "action": "change"})
    assert response.status_code == 200
    assert re.search(r'<input type="radio" name="choice" value="blank"[^>]* checked', response.content.decode())
    assert not SecretBallot.objects.exists()


@pytest.mark.parametrize("tamper", ["forged token", "other choice", "expired"])
def test_a_bad_or_expired_confirmation_records_nothing_and_keeps_the_choice(
    client, referendum, elector, monkeypatch, tamper
):
    client.force_login(elector)
    fields = confirmation_of(client.post(url("vote_cast", referendum), {"choice": "no"}))
    if tamper == "forged token":
        fields["token"] = fields["token"][:-3] + "abc"
    elif tamper == "other choice":
        fields["choice"] = "yes"
    else:
        monkeypatch.setattr(vote_views, "CONFIRM_KEEP", datetime.timedelta(seconds=-1))
    response = client.post(url("vote_cast", referendum), {**fields, "action": "confirm"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Votre vote n’a pas été enregistré" in page
    assert re.search(rf'<input type="radio" name="choice" value="{fields["choice"]}"[^>]* checked', page)
    assert not SecretBallot.objects.exists() and not ParticipationLedger.objects.exists()


def test_a_confirmation_is_for_the_person_it_was_shown_to(client, referendum, elector):
    client.force_login(elector)
    fields = confirmation_of(client.post(url("vote_cast", referendum), {"choice": "no"}))
    client.force_login(ElectorFactory())
    response = client.post(url("vote_cast", referendum), {**fields, "action": "confirm"})
    assert response.status_code == 400
    assert not SecretBallot.objects.exists()


def test_a_resident_cannot_record_paper_ballots(client, referendum, resident):
    client.force_login(resident)
    assert client.get(url("vote_paper", referendum)).status_code == 403


def test_results_are_published_when_the_poll_closes_with_the_quorum_rule(client, referendum):
    _votes(referendum, yes=2, no=1)
    assert client.get(url("vote_results", referendum)).status_code == 403
    close(referendum)
    page = client.get(url("vote_results", referendum)).content.decode()
    assert "30.0" in page or "30,0" in page  # turnout 3 / 10
    assert "Quorum non atteint" in page or "Quorum not met" in page


def test_results_say_when_the_referendum_is_adopted(client, referendum):
    _votes(referendum, yes=4, no=1)
    close(referendum)
    page = client.get(url("vote_results", referendum)).content.decode()
    assert "Quorum atteint" in page or "Quorum met" in page
    assert "adopt" in page


def test_an_unpublished_vote_is_not_found(client, referendum):
    referendum.published = False
    referendum.save()
    assert client.get(url("vote", referendum)).status_code == 404
    client.force_login(ResidentFactory())
    assert client.get(url("vote", referendum)).status_code == 404


@pytest.mark.parametrize(
    ("moment", "perm", "expected"),
    [
        ("open", "consultations.view_vote_results", {"staff"}),
        ("closed", "consultations.view_vote_results", {"anonymous", "resident", "elector", "staff"}),
        ("open", "consultations.record_paper_vote", {"staff"}),
        ("open", "consultations.view_vote", {"anonymous", "resident", "elector", "staff"}),
    ],
)
def test_vote_permission_matrix(referendum, elector, resident, moment, perm, expected):
    from django.contrib.auth.models import AnonymousUser

    if moment == "closed":
        close(referendum)
    personas = {"anonymous": AnonymousUser(), "resident": resident, "elector": elector, "staff": StaffFactory()}
    assert {name for name, user in personas.items() if user.has_perm(perm, referendum)} == expected


def test_the_index_lists_questionnaires_votes_and_opinion_maps(client, referendum):
    from consultations.models import Conversation

    Conversation.objects.create(slug="carte", title="Carte du centre", topic="Le centre", published=True)
    Conversation.objects.create(slug="brouillon", title="Carte brouillon", topic="Le centre", published=False)
    page = client.get(reverse("consultations:index")).content.decode()
    assert "Référendum sur la piscine" in page and "Carte du centre" in page
    assert "Carte brouillon" not in page
