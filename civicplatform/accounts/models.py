from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
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
