"""Casting, changing and importing secret ballots.

Every write goes through here. The election's own app (budgets, consultations...)
checks eligibility and phases first, then calls these services, which guarantee one
vote per person, the secrecy of the ballot and the audit trail. Audit rows name the
election, never the ballot, and never carry the choices.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicplatform.ballots.models import Channel, ParticipationLedger, SecretBallot, ballot_channel
from civicplatform.ballots.receipts import (
    commitment_matches,
    receipt_commitment,
    receipt_hash,
    receipt_new,
    receipt_normalise,
    salt_new,
)
from civicplatform.core.services import audit_record

# bulk_create batch size for imports: big enough to be fast, small enough for one statement.
IMPORT_BATCH = 2000


class BallotError(Exception):
    """A refused ballot operation; `message` is a translated sentence for the person."""

    message = _("This ballot operation was refused.")

    def __init__(self, message: Any = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class AlreadyVoted(BallotError):
    message = _("You have already voted. You can change your ballot with your receipt code until the vote closes.")


class ReceiptMismatch(BallotError):
    message = _("This receipt code does not match your ballot. Check the code you wrote down.")


def election_key(election: models.Model) -> tuple[int, int]:
    """(content type id, primary key): how ballots and the ledger refer to an election."""
    return ContentType.objects.get_for_model(election).pk, election.pk


def _election_filter(election: models.Model) -> dict[str, int]:
    type_id, object_id = election_key(election)
    return {"election_type_id": type_id, "election_id": object_id}


def ballots_version(election: models.Model) -> str:
    """A token that changes whenever a ballot of `election` is written (for result caches)."""
    key = _version_key(election)
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(key, version, None)
    return version


def _version_key(election: models.Model) -> str:
    type_id, object_id = election_key(election)
    return f"ballots:version:{type_id}:{object_id}"


def _bump_version(election: models.Model) -> None:
    key = _version_key(election)
    transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, None))


def _lock_person(person: models.Model, elections: Sequence[models.Model]) -> None:
    """Serialise one person's votes across a group of elections, until the transaction ends.

    The unique constraint covers one election; "one of these elections only" (a budget
    process where each person votes in a single district) needs the check and the insert
    to happen without another of the person's votes in between. A PostgreSQL advisory lock
    keyed on the person and the group does that without locking any row others use;
    SQLite already runs one writing transaction at a time.
    """
    if connection.vendor != "postgresql":
        return
    group = ",".join(sorted(f"{type_id}:{object_id}" for type_id, object_id in map(election_key, elections)))
    digest = hashlib.sha256(f"ballots:{person.pk}:{group}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)])


def has_voted(*, elections: Iterable[models.Model], person: models.Model) -> bool:
    """Whether `person` has a ledger row in any of `elections`."""
    condition = models.Q()
    for election in elections:
        condition |= models.Q(**_election_filter(election))
    if not condition:
        return False
    return ParticipationLedger.objects.filter(condition, voter=person).exists()


def ballot_cast(
    *,
    election: models.Model,
    person: models.Model,
    choices: Any,
    channel: str = Channel.ONLINE,
    actor: models.Model | None = None,
    on_behalf_of: models.Model | None = None,
    exclusive_with: Sequence[models.Model] = (),
    today: datetime.date | None = None,
) -> str:
    """Record that `person` voted and store their anonymous ballot; return the receipt code.

    One transaction, two rows (ledger, ballot) plus the audit row. A second vote by the
    same person in the same election fails on the ledger's unique constraint and raises
    `AlreadyVoted`, also when both arrive at the same instant. `exclusive_with` lists
    elections of which the person may vote in only one (the election itself included).
    The receipt is returned once and stored nowhere in clear: losing it only means the
    person cannot change or find their ballot.
    """
    receipt = receipt_new()
    salt = salt_new()
    reference = _election_filter(election)
    try:
        with transaction.atomic():
            if exclusive_with:
                _lock_person(person, exclusive_with)
                if has_voted(elections=exclusive_with, person=person):
                    raise AlreadyVoted
            ParticipationLedger.objects.create(
                **reference,
                voter=person,
                channel=channel,
                voted_on=today or timezone.localdate(),
                receipt_salt=salt,
                receipt_commitment=receipt_commitment(receipt, salt),
            )
            SecretBallot.objects.create(
                **reference, receipt_hash=receipt_hash(receipt), choices=choices, channel=ballot_channel(channel)
            )
            audit_record(
                action="ballots.paper" if channel == Channel.PAPER else "ballots.cast",
                actor=actor or person,
                target=election,
                on_behalf_of=on_behalf_of,
                data={"channel": str(channel)},
            )
            _bump_version(election)
    except IntegrityError:
        if ParticipationLedger.objects.filter(**reference, voter=person).exists():
            raise AlreadyVoted from None
        raise
    return receipt


def _ledger_entry_for_update(election: models.Model, person: models.Model) -> ParticipationLedger:
    entry = ParticipationLedger.objects.select_for_update().filter(**_election_filter(election), voter=person).first()
    if entry is None:
        raise ReceiptMismatch(_("You have not voted in this vote yet."))
    return entry


def ballot_verify(*, election: models.Model, person: models.Model, receipt: str) -> SecretBallot:
    """The person's own ballot, if `receipt` is the one their ledger row committed to."""
    canonical = receipt_normalise(receipt)
    if canonical is None:
        raise ReceiptMismatch(_("A receipt code has 16 letters and digits, such as K7QF-2M9X-HT4P-W8CZ."))
    entry = ParticipationLedger.objects.filter(**_election_filter(election), voter=person).first()
    if entry is None:
        raise ReceiptMismatch(_("You have not voted in this vote yet."))
    if not commitment_matches(receipt=canonical, salt=entry.receipt_salt, commitment=entry.receipt_commitment):
        raise ReceiptMismatch
    ballot = SecretBallot.objects.filter(**_election_filter(election), receipt_hash=receipt_hash(canonical)).first()
    if ballot is None:
        raise ReceiptMismatch
    return ballot


def ballot_change(
    *,
    election: models.Model,
    person: models.Model,
    receipt: str,
    choices: Any,
    actor: models.Model | None = None,
    on_behalf_of: models.Model | None = None,
) -> SecretBallot:
    """Replace the choices of the person's ballot, keeping its receipt.

    The ledger row is locked first, so two changes by the same person apply one after
    the other. The caller checks that the vote is still open.
    """
    canonical = receipt_normalise(receipt)
    if canonical is None:
        raise ReceiptMismatch(_("A receipt code has 16 letters and digits, such as K7QF-2M9X-HT4P-W8CZ."))
    with transaction.atomic():
        entry = _ledger_entry_for_update(election, person)
        if not commitment_matches(receipt=canonical, salt=entry.receipt_salt, commitment=entry.receipt_commitment):
            raise ReceiptMismatch
        ballot = (
            SecretBallot.objects.select_for_update()
            .filter(**_election_filter(election), receipt_hash=receipt_hash(canonical))
            .first()
        )
        if ballot is None:
            raise ReceiptMismatch
        ballot.choices = choices
        ballot.save(update_fields=["choices"])
        audit_record(
            action="ballots.change",
            actor=actor or person,
            target=election,
            on_behalf_of=on_behalf_of,
            data={"channel": entry.channel},
        )
        _bump_version(election)
    return ballot


def ballot_find(receipt: str) -> SecretBallot | None:
    """The ballot a receipt code belongs to, in any election ("find my ballot")."""
    canonical = receipt_normalise(receipt)
    if canonical is None:
        return None
    return SecretBallot.objects.filter(receipt_hash=receipt_hash(canonical)).first()


def ballots_for(election: models.Model) -> models.QuerySet[SecretBallot]:
    """The anonymous ballots of an election in publication order (by receipt hash, i.e. random)."""
    return SecretBallot.objects.filter(**_election_filter(election)).order_by("receipt_hash")


def ballots_import(
    *,
    election: models.Model,
    choices: Iterable[Any],
    channel: str,
    actor: models.Model | None,
    action: str = "ballots.paper",
    data: dict[str, Any] | None = None,
) -> int:
    """Add anonymous ballots that have no ledger person: paper ballots counted at a polling
    station that keeps its own register of voters, or ballots of an imported election.

    Each gets a fresh random receipt that is immediately forgotten (such voters were never
    given one). One audit row for the whole batch, with its size. Returns the number added.
    """
    reference = _election_filter(election)
    created = 0
    with transaction.atomic():
        batch: list[SecretBallot] = []
        for item in choices:
            batch.append(
                SecretBallot(**reference, receipt_hash=receipt_hash(receipt_new()), choices=item, channel=channel)
            )
            if len(batch) >= IMPORT_BATCH:
                SecretBallot.objects.bulk_create(batch)
                created += len(batch)
                batch = []
        if batch:
            SecretBallot.objects.bulk_create(batch)
            created += len(batch)
        audit_record(
            action=action, actor=actor, target=election, data={"channel": channel, "count": created, **(data or {})}
        )
        _bump_version(election)
    return created
