from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FranceConnectIdentity(models.Model):
    """Links one FranceConnect identity (`sub`) to one local account.

    Only the `sub` is kept: FranceConnect issues a different, opaque `sub` to
    every service, so it identifies the person here without being their
    identity pivot. Names, birth date and birthplace are never stored.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="franceconnect_identity",
    )
    # unique: the login callback looks the person up by `sub`.
    sub = models.CharField(_("FranceConnect subject"), max_length=255, unique=True)
    created_at = models.DateTimeField(_("linked on"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last login with FranceConnect"), null=True, blank=True)
    # The eIDAS level of the last login (eidas1, eidas2...), shown to staff.
    acr = models.CharField(_("eIDAS level"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("FranceConnect identity")
        verbose_name_plural = _("FranceConnect identities")

    def __str__(self) -> str:
        return f"{self.user} ({self.acr or '-'})"
