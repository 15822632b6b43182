from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VerificationLevel(models.IntegerChoices):
    """How sure we are of who a person is. Each participation tool requires a minimum."""

    NONE = 0, _("Unconfirmed")
    EMAIL = 1, _("E-mail confirmed")
    RESIDENT = 2, _("Verified resident")
    ELECTOR = 3, _("Registered elector")


class CivicUserManager(UserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):  # type: ignore[override]
        email = self.normalize_email(email) if email else None
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A participant. Logs in by e-mail; shown to others only by pseudonym.

    The e-mail is optional because staff create accounts at the desk for
    people who have none (digital divide); such accounts never log in.
    """

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True, null=True, blank=True)
    pseudonym = models.CharField(_("public pseudonym"), max_length=40, null=True, blank=True)
    district = models.ForeignKey(
        "territory.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
    )
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    verification_level = models.PositiveSmallIntegerField(
        _("verification level"), choices=VerificationLevel.choices, default=VerificationLevel.NONE
    )
    # Proof of consent to the terms and the personal-data notice (GDPR art. 7(1)).
    terms_accepted_at = models.DateTimeField(_("terms accepted on"), null=True, blank=True)
    # Set when the person deleted their account: personal fields are erased,
    # contributions stay under "deleted participant".
    erased_at = models.DateTimeField(_("erased on"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = CivicUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("pseudonym"), name="user_unique_pseudonym_ci"),
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        if self.erased_at:
            return str(_("Deleted participant"))
        return self.pseudonym or str(_("Participant"))

    def get_full_name(self) -> str:
        return self.public_name

    def get_short_name(self) -> str:
        return self.public_name


class LoginSession(models.Model):
    """One signed-in browser session of a person.

    Django's session table cannot be searched by user without decoding every
    row, so we note each session key at login: erasing an account (or any
    future "log out everywhere") deletes exactly these sessions.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("signed in on"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("login session")
        verbose_name_plural = _("login sessions")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"


class DataExportStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _in_seven_days():
    return timezone.now() + timedelta(days=DataExport.VALID_FOR_DAYS)


class DataExport(models.Model):
    """A person's request for a copy of their personal data (GDPR art. 15 and 20).

    The archive is built by a Celery task into private storage (never under
    MEDIA_URL) and served by Django to its owner only, for seven days.
    """

    VALID_FOR_DAYS = 7

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=DataExportStatus.choices, default=DataExportStatus.PENDING
    )
    # The language the person used when asking, so the e-mail and the archive's notes match it.
    language = models.CharField(max_length=8, default="fr")
    created_at = models.DateTimeField(_("requested on"), default=timezone.now)
    expires_at = models.DateTimeField(_("link valid until"), default=_in_seven_days)
    completed_at = models.DateTimeField(_("ready on"), null=True, blank=True)
    # Path inside PRIVATE_MEDIA_ROOT; empty until built and again once purged.
    file_path = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")
        indexes = [
            # data_export_purge_expired() scans by expiry.
            models.Index(fields=["expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_downloadable(self) -> bool:
        return self.status == DataExportStatus.READY and bool(self.file_path) and not self.is_expired
