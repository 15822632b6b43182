from __future__ import annotations

import re

from django.contrib.admin import display as admin_display
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

POSTAL_CODE_RE = re.compile(r"^\d{5}$")


class Municipality(models.Model):
    """The commune (or intercommunalité) running the platform. One row per installation."""

    name = models.CharField(_("name"), max_length=150)
    insee_code = models.CharField(_("INSEE code"), max_length=5, unique=True)
    # Legal thresholds (petitions under L1112-16, referendum quorum) are computed from this.
    registered_electors = models.PositiveIntegerField(_("registered electors"), default=0)
    population = models.PositiveIntegerField(_("population"), default=0)
    is_commune = models.BooleanField(
        _("is a commune"),
        default=True,
        help_text=_("Untick for an intercommunality: some legal thresholds differ."),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A quartier of the municipality."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="districts")
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150)
    postal_codes = models.JSONField(_("postal codes"), default=list, blank=True)
    population = models.PositiveIntegerField(_("population"), default=0)
    outline = models.JSONField(_("outline (GeoJSON)"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="district_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        codes = self.postal_codes
        if not isinstance(codes, list) or not all(isinstance(c, str) and POSTAL_CODE_RE.match(c) for c in codes):
            raise ValidationError(
                {"postal_codes": _('Give a list of five-digit postal codes, for example ["45100", "45110"].')}
            )

    @admin_display(description=_("postal codes"))
    def postal_codes_display(self) -> str:
        return ", ".join(self.postal_codes or [])

    @admin_display(description=_("outline"), boolean=True)
    def has_outline(self) -> bool:
        return bool(self.outline)
