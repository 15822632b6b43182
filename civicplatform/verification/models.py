from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RegisterKind(models.TextChoices):
    CENSUS = "census", _("Census of residents")
    ELECTORAL = "electoral", _("Electoral list")


class RegisterImport(models.Model):
    """One upload of a census or electoral-list file. The file itself is never stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("register"), max_length=16, choices=RegisterKind.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("imported on"), auto_now_add=True)
    source_name = models.CharField(_("file name"), max_length=255, blank=True)
    replaced_previous = models.BooleanField(_("replaced the previous entries"), default=False)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_added = models.PositiveIntegerField(_("entries added"), default=0)
    rows_already_present = models.PositiveIntegerField(_("entries already present"), default=0)
    rows_invalid = models.PositiveIntegerField(_("invalid rows"), default=0)
    rows_removed = models.PositiveIntegerField(_("unclaimed entries removed"), default=0)
    # Line numbers only: the content of a bad row is personal data we do not keep.
    invalid_lines = models.JSONField(_("invalid lines"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class RegisterEntry(models.Model):
    """One person of a register, known only by a keyed hash (HMAC) of their identity.

    An entry verifies at most one account: `claimed_at` is set once, by a
    conditional update, and stays set even when the account is erased, so the
    same person cannot verify a second account (one person, one vote).
    """

    register_import = models.ForeignKey(
        RegisterImport, verbose_name=_("import"), on_delete=models.PROTECT, related_name="entries"
    )
    # The latest import that listed this person: "replace" removes unclaimed entries not seen in it.
    seen_in = models.ForeignKey(RegisterImport, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    kind = models.CharField(_("register"), max_length=16, choices=RegisterKind.choices)
    key_hash = models.CharField(_("keyed hash"), max_length=64)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="register_entries",
    )
    claimed_at = models.DateTimeField(_("verified on"), null=True, blank=True)

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        constraints = [
            # The lookup at verification, and the dedup at import.
            models.UniqueConstraint(fields=["kind", "key_hash"], name="verification_entry_unique_hash"),
            # One account holds at most one entry of each register.
            models.UniqueConstraint(
                fields=["kind", "claimed_by"],
                condition=Q(claimed_by__isnull=False),
                name="verification_entry_one_per_account",
            ),
            models.CheckConstraint(
                condition=Q(claimed_by__isnull=True) | Q(claimed_at__isnull=False),
                name="verification_entry_claim_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key_hash[:8]}…"

    @property
    def is_claimed(self) -> bool:
        return self.claimed_at is not None


class VerificationMethod(models.TextChoices):
    CENSUS = "census", _("Census of residents")
    ELECTORAL = "electoral", _("Electoral list")
    POSTAL = "postal", _("Code sent by post")
    DESK = "desk", _("In person at the town hall")
    STAFF = "staff", _("Decision of the town hall staff")


class VerificationEvent(models.Model):
    """The verification history of an account, shown to the person and to staff."""

    class Kind(models.TextChoices):
        VERIFIED = "verified", _("Verified")
        CONFLICT = "conflict", _("Register entry already used: sent to staff")
        CONFLICT_REJECTED = "conflict_rejected", _("Request rejected by staff")
        REVOKED = "revoked", _("Verification withdrawn")
        LETTER_REQUESTED = "letter_requested", _("Letter requested")
        LETTER_SENT = "letter_sent", _("Letter sent")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="verification_events",
    )
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    method = models.CharField(_("method"), max_length=16, choices=VerificationMethod.choices)
    level_before = models.PositiveSmallIntegerField(_("level before"))
    level_after = models.PositiveSmallIntegerField(_("level after"))
    # Staff for desk verifications and conflict decisions; the person themself otherwise.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("verification event")
        verbose_name_plural = _("verification events")
        indexes = [
            # verification history on the status include and the desk person page
            models.Index(fields=["user", "-created_at"], name="verif_event_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.kind} {self.method}"


class VerificationConflict(models.Model):
    """A person matched a register entry that already verified another account: staff decide."""

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        REASSIGNED = "reassigned", _("Entry given to the new account")
        REJECTED = "rejected", _("Rejected")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="conflicts")
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account asking"),
        on_delete=models.CASCADE,
        related_name="verification_conflicts",
    )
    # The account holding the entry when the conflict opened (it may be erased since).
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account holding the entry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    postal_code = models.CharField(_("postal code given"), max_length=5, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("opened on"), auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("verification conflict")
        verbose_name_plural = _("verification conflicts")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "claimant"],
                condition=Q(status="open"),
                name="verification_conflict_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry} ← {self.claimant_id}"


class PostalLetter(models.Model):
    """A code sent by post to prove an address.

    The address (and the code in clear) are kept only until staff mark the
    letter as sent; from then on only a keyed hash of the code remains.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("To send")
        SENT = "sent", _("Sent")
        USED = "used", _("Code used")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="postal_letters")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    recipient = models.CharField(_("name on the letter box"), max_length=150, blank=True)
    address_line1 = models.CharField(_("street and number"), max_length=200, blank=True)
    address_line2 = models.CharField(_("additional address details"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5)
    city = models.CharField(_("town"), max_length=100, blank=True)
    code = models.CharField(max_length=16, blank=True)
    code_hash = models.CharField(max_length=64)
    requested_at = models.DateTimeField(_("requested on"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("code valid until"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used on"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("letter with a code")
        verbose_name_plural = _("letters with a code")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["requested", "sent"]),
                name="verification_letter_one_pending",
            ),
        ]
        indexes = [
            # staff list of letters to print
            models.Index(fields=["status", "requested_at"], name="verif_letter_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.requested_at:%Y-%m-%d}"
