"""Secret ballots with receipts, shared by budget votes, local referendums and jury votes.

Two tables that the database alone cannot join:

* `ParticipationLedger` says "this person took part in this vote, on this day, through
  this channel". It is what stops a second vote (one row per person and election,
  enforced by a unique constraint) and what participation statistics count.
* `SecretBallot` holds the choices and the SHA-256 of a random receipt code that only
  the voter knows. It has no person, no timestamp and no sequential id (a UUID
  primary key), so neither its columns nor its id order say who cast it or when.

The ledger keeps a commitment to the receipt, SHA-256(salt + receipt) with a random
salt per row, so that the person (and only someone holding the receipt) can later
prove "this ballot is mine" to change it, while the stored values never equal the
ballot's `receipt_hash` and cannot be matched to it without the receipt (80 random bits).

What this does not hide: someone with raw access to the PostgreSQL files can still see
that a ledger row and a ballot were written by the same transaction (the system
columns `xmin`, and row placement). Protecting against a hostile database
administrator needs organisational measures (access to production is logged and
limited); the design protects against the application, its staff pages, exports, the
audit log, backups read through the ORM and published files.

An election is any model instance (a budget, a referendum question, a jury motion),
referenced by content type and integer primary key.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a vote reached us.

    The ledger keeps the precise channel; a ballot only keeps whether it was cast on a
    screen, on paper or imported (`ballot_channel`): a handful of desk-assisted votes
    marked as such on anonymous ballots could be matched with the desk's visitors.
    """

    ONLINE = "online", _("online")
    DESK = "desk", _("assisted at the desk")
    PAPER = "paper", _("paper")
    IMPORTED = "imported", _("imported")


def ballot_channel(channel: str) -> str:
    """The channel written on the anonymous ballot for a ledger channel."""
    return Channel.ONLINE if channel == Channel.DESK else channel


class ParticipationLedger(models.Model):
    election_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    election_id = models.PositiveBigIntegerField()
    election = GenericForeignKey("election_type", "election_id")
    # Erased accounts are anonymised, not deleted; a deleted account keeps its row
    # (with no person) so participation counts do not change after the vote.
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="participations",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    # A day, not a time: a precise time could be matched with server logs of ballot writes.
    voted_on = models.DateField(_("voted on"))
    receipt_salt = models.CharField(max_length=32)
    receipt_commitment = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participation ledger")
        constraints = [
            # One person, one vote: the database refuses the second row even under concurrency.
            models.UniqueConstraint(
                fields=["election_type", "election_id", "voter"], name="ballots_one_vote_per_person"
            ),
        ]
        indexes = [
            # participation statistics and "already voted in this process" (ballots.selectors)
            models.Index(fields=["election_type", "election_id", "channel"], name="ballots_ledger_election"),
        ]

    def __str__(self) -> str:
        return f"{self.election_type_id}:{self.election_id} {self.voter_id} {self.voted_on}"


class SecretBallot(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    election_id = models.PositiveBigIntegerField()
    election = GenericForeignKey("election_type", "election_id")
    receipt_hash = models.CharField(max_length=64, unique=True)
    # The shape belongs to the election's app (budgets: {"projects": [...], "points": [...]}).
    choices = models.JSONField(_("choices"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.ONLINE)

    class Meta:
        verbose_name = _("secret ballot")
        verbose_name_plural = _("secret ballots")
        indexes = [
            # publication order and counting: ballots_for(election)
            models.Index(fields=["election_type", "election_id", "receipt_hash"], name="ballots_ballot_election"),
        ]

    def __str__(self) -> str:
        return self.voter_code

    @property
    def voter_code(self) -> str:
        """The ballot's public identifier in published files (a prefix of the receipt hash)."""
        from civicplatform.ballots.receipts import voter_code

        return voter_code(self.receipt_hash)
