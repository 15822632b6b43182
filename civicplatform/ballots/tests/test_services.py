"""One person, one vote, a secret ballot and a receipt: the shared ballot box.

Any model instance can be an election; these tests use districts as stand-ins so that
the ballot box is tested without the budgets app.
"""

from __future__ import annotations

import re

import pytest
from django.db import models

from civicplatform.accounts.tests.factories import ResidentFactory, StaffFactory
from civicplatform.ballots import services
from civicplatform.ballots.models import Channel, ParticipationLedger, SecretBallot
from civicplatform.ballots.receipts import receipt_hash, receipt_new, receipt_normalise, voter_code
from civicplatform.core.models import AuditEvent
from civicplatform.territory.tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db

RECEIPT_FORMAT = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


@pytest.fixture
def election(db):
    return DistrictFactory(name="Vote on the new square")


@pytest.fixture
def other_election(db):
    return DistrictFactory(name="Vote on the library")


def test_a_receipt_is_sixteen_easy_to_copy_symbols_in_groups_of_four():
    receipts = {receipt_new() for _ in range(200)}
    assert len(receipts) == 200
    assert all(RECEIPT_FORMAT.match(receipt) for receipt in receipts)


def test_a_typed_receipt_is_read_whatever_the_case_spaces_and_look_alike_letters():
    assert receipt_normalise("k7qf 2m9x ht4p w8cz") == "K7QF-2M9X-HT4P-W8CZ"
    assert receipt_normalise("O7QF-2M9X-HT4P-W8CI") == "07QF-2M9X-HT4P-W8C1"
    assert receipt_normalise("K7QF-2M9X") is None
    assert receipt_normalise("K7QF-2M9X-HT4P-W8CU") is None


def test_casting_records_the_participation_and_an_anonymous_ballot(election, resident):
    receipt = services.ballot_cast(election=election, person=resident, choices={"projects": [3, 1]})

    assert RECEIPT_FORMAT.match(receipt)
    entry = ParticipationLedger.objects.get()
    ballot = SecretBallot.objects.get()
    assert entry.voter == resident
    assert entry.election == election
    assert entry.channel == Channel.ONLINE
    assert ballot.election == election
    assert ballot.choices == {"projects": [3, 1]}
    assert ballot.receipt_hash == receipt_hash(receipt)


def test_the_ballot_has_no_person_no_time_and_no_sequential_id():
    fields = {field.name: field for field in SecretBallot._meta.get_fields()}
    assert not any(
        isinstance(field, models.ForeignKey) and field.related_model.__name__ == "User" for field in fields.values()
    )
    assert not any(isinstance(field, (models.DateField, models.DateTimeField)) for field in fields.values())
    assert isinstance(SecretBallot._meta.pk, models.UUIDField)
    ledger_dates = [f for f in ParticipationLedger._meta.get_fields() if isinstance(f, models.DateField)]
    assert [type(field) for field in ledger_dates] == [models.DateField]  # a day, never a time


def test_the_ledger_does_not_store_anything_that_equals_the_ballots_hash(election, resident):
    receipt = services.ballot_cast(election=election, person=resident, choices={"projects": [1]})

    entry = ParticipationLedger.objects.get()
    ballot = SecretBallot.objects.get()
    stored = {entry.receipt_commitment, entry.receipt_salt}
    assert ballot.receipt_hash not in stored
    assert receipt not in stored
    assert receipt.replace("-", "") not in "".join(stored)


def test_a_second_vote_in_the_same_election_is_refused_and_changes_nothing(election, resident):
    services.ballot_cast(election=election, person=resident, choices={"projects": [1]})

    with pytest.raises(services.AlreadyVoted):
        services.ballot_cast(election=election, person=resident, choices={"projects": [2]})

    assert ParticipationLedger.objects.count() == 1
    assert list(SecretBallot.objects.values_list("choices", flat=True)) == [{"projects": [1]}]


def test_voting_in_two_separate_elections_is_allowed(election, other_election, resident):
    services.ballot_cast(election=election, person=resident, choices={"projects": [1]})
    services.ballot_cast(election=other_election, person=resident, choices={"projects": [2]})

    assert ParticipationLedger.objects.filter(voter=resident).count() == 2


def test_exclusive_elections_accept_a_vote_in_only_one_of_them(election, other_election, resident):
    group = [election, other_election]
    services.ballot_cast(election=election, person=resident, choices={}, exclusive_with=group)

    with pytest.raises(services.AlreadyVoted):
        services.ballot_cast(election=other_election, person=resident, choices={}, exclusive_with=group)

    assert SecretBallot.objects.count() == 1


def test_casting_is_audited_without_the_choices_or_the_ballot(election, resident):
    services.ballot_cast(election=election, person=resident, choices={"projects": [42]})

    event = AuditEvent.objects.get(action="ballots.cast")
    assert event.actor == resident
    assert event.target_id == str(election.pk)
    assert event.data == {"channel": "online"}
    assert str(SecretBallot.objects.get().pk) not in str(event.data)


def test_a_desk_vote_names_the_staff_member_and_the_person_and_looks_online_on_the_ballot(election, resident):
    agent = StaffFactory()

    services.ballot_cast(
        election=election, person=resident, choices={}, channel=Channel.DESK, actor=agent, on_behalf_of=resident
    )

    event = AuditEvent.objects.get(action="ballots.cast")
    assert (event.actor, event.on_behalf_of) == (agent, resident)
    assert ParticipationLedger.objects.get().channel == Channel.DESK
    # A handful of desk ballots flagged as such could be matched with the desk's visitors.
    assert SecretBallot.objects.get().channel == Channel.ONLINE


def test_a_paper_ballot_is_audited_as_paper(election, resident):
    services.ballot_cast(election=election, person=resident, choices={}, channel=Channel.PAPER, actor=StaffFactory())

    assert AuditEvent.objects.filter(action="ballots.paper").count() == 1
    assert SecretBallot.objects.get().channel == Channel.PAPER


def test_the_receipt_lets_its_owner_change_the_ballot_and_keeps_working(election, resident):
    receipt = services.ballot_cast(election=election, person=resident, choices={"projects": [1]})

    services.ballot_change(election=election, person=resident, receipt=receipt.lower(), choices={"projects": [2]})

    ballot = SecretBallot.objects.get()
    assert ballot.choices == {"projects": [2]}
    assert ballot.receipt_hash == receipt_hash(receipt)
    assert AuditEvent.objects.filter(action="ballots.change", actor=resident).count() == 1
    assert "projects" not in str(AuditEvent.objects.get(action="ballots.change").data)


def test_a_wrong_receipt_changes_nothing(election, resident):
    services.ballot_cast(election=election, person=resident, choices={"projects": [1]})

    with pytest.raises(services.ReceiptMismatch):
        services.ballot_change(election=election, person=resident, receipt=receipt_new(), choices={"projects": [2]})

    assert SecretBallot.objects.get().choices == {"projects": [1]}


def test_someone_elses_receipt_does_not_let_you_change_their_ballot(election, resident, other_resident):
    theirs = services.ballot_cast(election=election, person=other_resident, choices={"projects": [1]})
    services.ballot_cast(election=election, person=resident, choices={"projects": [3]})

    with pytest.raises(services.ReceiptMismatch):
        services.ballot_change(election=election, person=resident, receipt=theirs, choices={"projects": [2]})

    assert sorted(ballot.choices["projects"][0] for ballot in SecretBallot.objects.all()) == [1, 3]


def test_a_person_who_has_not_voted_cannot_change_anything(election, resident):
    with pytest.raises(services.ReceiptMismatch, match="not voted"):
        services.ballot_change(election=election, person=resident, receipt=receipt_new(), choices={})


def test_a_receipt_finds_its_ballot_and_a_malformed_or_unknown_one_finds_nothing(election, resident):
    receipt = services.ballot_cast(election=election, person=resident, choices={"projects": [7]})

    found = services.ballot_find(receipt.replace("-", " "))

    assert found.choices == {"projects": [7]}
    assert found.voter_code == voter_code(receipt_hash(receipt))
    assert services.ballot_find(receipt_new()) is None
    assert services.ballot_find("not a receipt") is None


def test_ballots_are_published_in_receipt_hash_order_not_in_casting_order(election):
    voters = ResidentFactory.create_batch(6)
    for number, voter in enumerate(voters):
        services.ballot_cast(election=election, person=voter, choices={"projects": [number]})

    published = list(services.ballots_for(election))

    assert [ballot.receipt_hash for ballot in published] == sorted(ballot.receipt_hash for ballot in published)
    assert len(published) == 6


def test_imported_paper_ballots_have_no_ledger_person_and_one_audit_row(election, staff):
    count = services.ballots_import(
        election=election, choices=[{"projects": [1]}, {"projects": [2]}], channel=Channel.PAPER, actor=staff
    )

    assert count == 2
    assert SecretBallot.objects.filter(channel=Channel.PAPER).count() == 2
    assert not ParticipationLedger.objects.exists()
    event = AuditEvent.objects.get(action="ballots.paper")
    assert event.data == {"channel": "paper", "count": 2}


def test_the_ballots_version_changes_when_a_ballot_is_written(election, resident, django_capture_on_commit_callbacks):
    before = services.ballots_version(election)
    assert services.ballots_version(election) == before

    with django_capture_on_commit_callbacks(execute=True):
        services.ballot_cast(election=election, person=resident, choices={})

    assert services.ballots_version(election) != before
