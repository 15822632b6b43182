"""Petitions and formal requests (CGCT art. L1112-16), their signatures and the defences around them.

Two kinds share one engine: a civic petition (any verified resident starts it, anyone
signs) and a formal request under article L1112-16 (registered electors only, one
request per quarter per collectivité, threshold of 1/10 of registered electors in a
commune, 1/20 elsewhere).
"""

from __future__ import annotations

import math
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicplatform.core.phases import DatedPhase
from civicplatform.moderation.models import Moderatable

from .querysets import PetitionQuerySet, SignatureQuerySet


class PetitionKind(models.TextChoices):
    CIVIC = "civic", _("Civic petition")
    FORMAL = "formal", _("Formal request (article L1112-16 CGCT)")


class PetitionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    GATHERING = "gathering", _("Gathering co-sponsors")
    MODERATION = "moderation", _("Awaiting moderation")
    REJECTED = "rejected", _("Rejected")
    OPEN = "open", _("Open for signatures")
    THRESHOLD = "threshold", _("Threshold reached")
    CLOSED = "closed", _("Closed")
    ANSWERED = "answered", _("Official response published")
    ARCHIVED = "archived", _("Archived")


# Published: shown in lists and feeds (a rejection is shown too, unless its reason is hidden).
PUBLISHED_STATUSES = (
    PetitionStatus.OPEN,
    PetitionStatus.THRESHOLD,
    PetitionStatus.CLOSED,
    PetitionStatus.ANSWERED,
    PetitionStatus.ARCHIVED,
)
# People may sign in these statuses while the signature phase is open.
SIGNABLE_STATUSES = (PetitionStatus.OPEN, PetitionStatus.THRESHOLD, PetitionStatus.ANSWERED)
SIGNATURE_PHASE = "signature"


class Theme(models.Model):
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class RejectionReason(models.Model):
    """Why a petition was refused. A hidden reason (libel, insult, advertising) also hides the petition."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("explanation shown to the public"), blank=True)
    hidden = models.BooleanField(_("hide the petition"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("rejection reason")
        verbose_name_plural = _("rejection reasons")

    def __str__(self) -> str:
        return self.title


class PetitionConfig(models.Model):
    """The municipality's choices for civic petitions. Formal requests follow the law, not this."""

    municipality = models.OneToOneField(
        "territory.Municipality", on_delete=models.CASCADE, related_name="petition_config"
    )
    response_threshold = models.PositiveIntegerField(
        _("signatures for an official response"),
        default=500,
        help_text=_("A civic petition reaching this number gets a written answer from the municipality."),
    )
    debate_threshold = models.PositiveIntegerField(
        _("signatures for a council debate"),
        default=2000,
        help_text=_("A civic petition reaching this number is debated by the municipal council."),
    )
    cosponsors_required = models.PositiveSmallIntegerField(
        _("co-sponsors before moderation"),
        default=5,
        help_text=_("People who must support a new petition before moderators review it."),
    )
    duration_months = models.PositiveSmallIntegerField(
        _("signature period (months)"), default=6, help_text=_("How long a petition stays open for signatures.")
    )
    moderation_overdue_days = models.PositiveSmallIntegerField(
        _("moderation deadline (days)"),
        default=14,
        help_text=_("A petition waiting longer than this is shown as overdue in the moderation queue."),
    )

    class Meta:
        verbose_name = _("petition settings")
        verbose_name_plural = _("petition settings")

    def __str__(self) -> str:
        return str(self.municipality)


def legal_threshold(*, registered_electors: int, is_commune: bool) -> int:
    """CGCT L1112-16 (since 2022): 1/10 of registered electors in a commune, 1/20 in other collectivités."""
    divisor = 10 if is_commune else 20
    return math.ceil(registered_electors / divisor)


class Petition(Moderatable):
    kind = models.CharField(_("kind"), max_length=10, choices=PetitionKind.choices, default=PetitionKind.CIVIC)
    status = models.CharField(_("status"), max_length=12, choices=PetitionStatus.choices, default=PetitionStatus.DRAFT)
    slug = models.SlugField(_("address"), max_length=90, unique=True)
    municipality = models.ForeignKey(
        "territory.Municipality", verbose_name=_("addressed to"), on_delete=models.PROTECT, related_name="petitions"
    )
    title = models.CharField(_("title"), max_length=120, help_text=_("What do you ask for, in one sentence?"))
    summary = models.TextField(
        _("summary"), max_length=500, help_text=_("Why it matters, in a few lines (500 characters at most).")
    )
    details = models.TextField(_("details"), max_length=5000, blank=True)
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), null=True, blank=True, on_delete=models.SET_NULL, related_name="petitions"
    )
    district = models.ForeignKey(
        "territory.District",
        verbose_name=_("district concerned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="petitions",
        help_text=_("Leave empty if it concerns the whole municipality."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="petitions",
    )
    response_threshold = models.PositiveIntegerField(_("threshold for an official response"), null=True, blank=True)
    debate_threshold = models.PositiveIntegerField(_("threshold for the council"), null=True, blank=True)
    cosponsors_required = models.PositiveSmallIntegerField(_("co-sponsors required"), default=5)
    duration_months = models.PositiveSmallIntegerField(_("signature period (months)"), default=6)

    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)
    moderation_at = models.DateTimeField(_("in moderation since"), null=True, blank=True)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected on"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived on"), null=True, blank=True)
    response_threshold_reached_at = models.DateTimeField(_("response threshold reached on"), null=True, blank=True)
    debate_threshold_reached_at = models.DateTimeField(_("council threshold reached on"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("signers anonymised on"), null=True, blank=True)
    rejection_reason = models.ForeignKey(
        RejectionReason, verbose_name=_("rejection reason"), null=True, blank=True, on_delete=models.PROTECT
    )
    rejection_details = models.TextField(_("rejection details"), blank=True)

    # Folded from the signature rows by a periodic task (services.counting), never
    # incremented per signature: one hot row updated by every signer is what brought
    # the UK petitions site down in March 2019.
    signature_count = models.PositiveIntegerField(_("signatures"), default=0)
    count_folded_at = models.DateTimeField(null=True, blank=True)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        indexes = [
            # PetitionQuerySet.published() and the list filters.
            models.Index(fields=["status", "-published_at"], name="petition_status_pub_idx"),
            # The moderation queue, oldest first.
            models.Index(fields=["status", "moderation_at"], name="petition_status_mod_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("petitions:detail", args=[self.slug])

    def get_moderation_preview(self) -> str:
        return f"{self.title}\n\n{self.summary}"

    @property
    def is_formal(self) -> bool:
        return self.kind == PetitionKind.FORMAL

    @property
    def is_published(self) -> bool:
        return self.status in PUBLISHED_STATUSES

    @property
    def is_publicly_visible(self) -> bool:
        if self.is_published:
            return True
        return self.status == PetitionStatus.REJECTED and not (self.rejection_reason and self.rejection_reason.hidden)

    def signature_phase(self) -> PetitionPhase | None:
        for phase in self.phases.all():
            if phase.kind == SIGNATURE_PHASE:
                return phase
        return None

    @property
    def closes_at(self):
        phase = self.signature_phase()
        return phase.ends_at if phase else None

    def is_signature_open(self, now=None) -> bool:
        phase = self.signature_phase()
        return self.status in SIGNABLE_STATUSES and phase is not None and phase.is_active_at(now or timezone.now())

    def thresholds(self) -> list[tuple[str, int, object]]:
        """(label, number, reached_at) for each threshold, smallest first."""
        items = []
        if self.response_threshold:
            items.append((str(_("Official response")), self.response_threshold, self.response_threshold_reached_at))
        if self.debate_threshold:
            label = _("On the council agenda") if self.is_formal else _("Council debate")
            items.append((str(label), self.debate_threshold, self.debate_threshold_reached_at))
        return sorted(items, key=lambda item: item[1])

    def next_threshold(self, count: int) -> tuple[str, int] | None:
        for label, number, _reached in self.thresholds():
            if count < number:
                return label, number
        return None


class PetitionPhase(DatedPhase):
    """The signature period: from publication to the deadline (default six months)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="phases")

    class Meta(DatedPhase.Meta):
        verbose_name = _("petition phase")
        verbose_name_plural = _("petition phases")
        indexes = [models.Index(fields=["kind", "ends_at"], name="petition_phase_end_idx")]


class CouncilDecision(models.TextChoices):
    NONE = "none", _("No council decision")
    ON_AGENDA = "agenda", _("Put on the council agenda")
    DEBATED = "debated", _("Debated by the council")
    ACT = "act", _("The council decided to act")
    NOT_ACT = "not_act", _("The council decided not to act")
    CONSULTATION = "consultation", _("The council decided to organise a consultation")
    NO_CONSULTATION = "no_consultation", _("The council decided not to organise a consultation")


class OfficialResponse(models.Model):
    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="official_response")
    text = models.TextField(_("response"))
    responded_on = models.DateField(_("date of the response"))
    council_decision = models.CharField(
        _("council decision"), max_length=16, choices=CouncilDecision.choices, default=CouncilDecision.NONE
    )
    council_meeting_on = models.DateField(_("date of the council meeting"), null=True, blank=True)
    council_details = models.TextField(_("council decision details"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("published on"), default=timezone.now)

    class Meta:
        verbose_name = _("official response")
        verbose_name_plural = _("official responses")

    def __str__(self) -> str:
        return str(self.petition)


class ResponseDocument(models.Model):
    response = models.ForeignKey(OfficialResponse, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=150)
    file = models.FileField(_("file"), upload_to="petitions/responses/%Y/")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("response document")
        verbose_name_plural = _("response documents")

    def __str__(self) -> str:
        return self.title


class SignatureState(models.TextChoices):
    PENDING = "pending", _("Awaiting e-mail confirmation")
    VALIDATED = "validated", _("Counted")
    HELD = "held", _("Held for review")
    INVALIDATED = "invalidated", _("Invalidated")


class HoldReason(models.TextChoices):
    NONE = "", _("None")
    IP_RATE = "ip_rate", _("Many signatures from the same connection")
    DOMAIN_RATE = "domain_rate", _("Many signatures from the same e-mail domain")
    DISPOSABLE = "disposable", _("Disposable e-mail address")
    NO_PROOF = "no_proof", _("Anti-robot check not completed (JavaScript off?)")


class Invalidation(models.Model):
    """A moderator's bulk invalidation of signatures matching some criteria (audited)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    summary = models.CharField(_("summary"), max_length=200)
    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    criteria = models.JSONField(_("criteria"), default=dict)
    matched_count = models.PositiveIntegerField(_("signatures invalidated"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created on"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invalidation")
        verbose_name_plural = _("invalidations")

    def __str__(self) -> str:
        return self.summary


class Signature(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="petition_signatures"
    )
    state = models.CharField(_("state"), max_length=12, choices=SignatureState.choices, default=SignatureState.PENDING)
    hold_reason = models.CharField(_("held because"), max_length=12, choices=HoldReason.choices, blank=True)
    # Private by default: shown only if the signer ticks "show my name".
    name = models.CharField(_("name"), max_length=120, blank=True)
    public_name = models.BooleanField(_("show my name on the petition"), default=False)
    email = models.EmailField(_("e-mail address"), null=True, blank=True)
    # Lower-cased, "+tag" removed, dots removed where the provider ignores them: one person, one signature.
    email_canonical = models.CharField(max_length=254, null=True, blank=True)
    email_domain = models.CharField(max_length=253, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    district = models.ForeignKey(
        "territory.District", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # L1112-16: name and postal address of the elector, Fernet-encrypted (petitions.crypto);
    # only the signatory-list export for the mayor decrypts it.
    identity_encrypted = models.TextField(blank=True)
    notify_response = models.BooleanField(_("send me the official response"), default=False)
    consent_at = models.DateTimeField(null=True, blank=True)
    # Keyed hash of the connection's address: enough to group and rate-limit, not to find anyone.
    ip_hash = models.CharField(max_length=64, blank=True)
    emails_sent = models.PositiveSmallIntegerField(default=0)
    # Set when the official response was sent to this signer: the mailing resumes where it stopped.
    response_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("signed on"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    invalidated_at = models.DateTimeField(_("invalidated on"), null=True, blank=True)
    invalidation = models.ForeignKey(Invalidation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = SignatureQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            # One signature per person per petition, whatever the race (services.signing
            # turns the IntegrityError into "you have already signed").
            models.UniqueConstraint(
                fields=["petition", "user"], condition=Q(user__isnull=False), name="petition_signature_one_per_user"
            ),
            models.UniqueConstraint(
                fields=["petition", "email_canonical"],
                condition=Q(email_canonical__isnull=False),
                name="petition_signature_one_per_email",
            ),
        ]
        indexes = [
            # The displayed count: COUNT(*) of validated rows, an index-only scan (selectors.signature_count).
            models.Index(fields=["petition"], condition=Q(state="validated"), name="petsig_validated_idx"),
            # Timeline chart and the quiet per-petition rate limits.
            models.Index(fields=["petition", "created_at"], name="petsig_petition_created_idx"),
            models.Index(fields=["ip_hash", "created_at"], name="petsig_ip_created_idx"),
            models.Index(fields=["email_domain", "created_at"], name="petsig_domain_created_idx"),
            # The outbox of confirmation e-mails (services.signing.confirmations_send).
            models.Index(
                fields=["id"],
                condition=Q(user__isnull=True, confirmed_at__isnull=True, emails_sent=0),
                name="petsig_unsent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.petition} – {self.public_id}"

    @property
    def counts(self) -> bool:
        return self.state == SignatureState.VALIDATED


class QuarterSignature(models.Model):
    """The L1112-16 quarter rule, enforced by the database.

    "Each quarter, an elector may sign only one request addressed to the same
    collectivité": one row per (elector, collectivité, quarter), written in the
    same transaction as the signature; the unique constraint refuses a second.
    """

    elector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey("territory.Municipality", on_delete=models.CASCADE, related_name="+")
    quarter = models.CharField(max_length=7)  # "2026-Q2"
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    signature = models.OneToOneField(Signature, on_delete=models.CASCADE, related_name="quarter_entry")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("quarterly L1112-16 signature")
        verbose_name_plural = _("quarterly L1112-16 signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["elector", "municipality", "quarter"], name="petition_one_formal_request_per_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarter} – {self.petition}"


class DisposableDomain(models.Model):
    """E-mail domains that hand out throwaway addresses: signatures from them are held for review."""

    domain = models.CharField(_("domain"), max_length=253, unique=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("added on"), default=timezone.now)

    class Meta:
        ordering = ["domain"]
        verbose_name = _("disposable e-mail domain")
        verbose_name_plural = _("disposable e-mail domains")

    def __str__(self) -> str:
        return self.domain


class TrendingKind(models.TextChoices):
    IP = "ip", _("Connection")
    DOMAIN = "domain", _("E-mail domain")


class TrendingFlag(models.Model):
    """An IP (keyed hash) or an e-mail domain that signed one petition unusually often in one hour."""

    kind = models.CharField(_("kind"), max_length=8, choices=TrendingKind.choices)
    value = models.CharField(_("value"), max_length=253)
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    window_start = models.DateTimeField(_("hour"))
    count = models.PositiveIntegerField(_("signatures"))
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(_("reviewed on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-window_start", "-count"]
        verbose_name = _("unusual signing activity")
        verbose_name_plural = _("unusual signing activity")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "value", "petition", "window_start"], name="petition_trending_once_per_hour"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value} ({self.count})"
