from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Page


class AccessibilityStatus(models.TextChoices):
    # The three statuses the RGAA requires in the accessibility statement and on every page.
    FULL = "full", _("fully compliant")
    PARTIAL = "partial", _("partially compliant")
    NONE = "none", _("not compliant")


@register_setting(icon="site")
class SiteBranding(BaseGenericSetting):
    municipality_name = models.CharField(_("municipality name"), max_length=150, default="")
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        blank=True,
        help_text=_("Hexadecimal, e.g. #1d4f91. Must contrast with white text."),
    )
    primary_dark_colour = models.CharField(_("dark primary colour"), max_length=7, blank=True)
    accessibility_status = models.CharField(
        _("accessibility status"),
        max_length=10,
        choices=AccessibilityStatus.choices,
        default=AccessibilityStatus.PARTIAL,
    )

    panels = [
        FieldPanel("municipality_name"),
        FieldPanel("logo"),
        MultiFieldPanel([FieldPanel("primary_colour"), FieldPanel("primary_dark_colour")], heading=_("Colours")),
        FieldPanel("accessibility_status"),
    ]

    class Meta:
        verbose_name = _("site branding")


class HomePage(Page):
    max_count = 1

    class Meta:
        verbose_name = _("home page")
