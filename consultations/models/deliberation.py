"""Deliberative polls: the panel, its sessions and hearings, and the briefing materials.

The questionnaire itself is a `Questionnaire` of kind "deliberative", answered in the
waves "before" and "after". The panel is recruited by staff or drawn by lot (citizen
juries, consultations.juries, can hand over the people it drew).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey

from .questionnaires import Questionnaire


class PanelSource(models.TextChoices):
    RECRUITED = "recruited", _("recruited")
    DRAWN = "drawn", _("drawn by lot")


class PanelMember(models.Model):
    questionnaire = ParentalKey(Questionnaire, on_delete=models.CASCADE, related_name="panel")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(
        _("how they joined"), max_length=12, choices=PanelSource.choices, default=PanelSource.RECRUITED
    )
    added_at = models.DateTimeField(_("added on"), auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("panel member")
        verbose_name_plural = _("panel")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "person"], name="consult_panel_once"),
        ]

    def __str__(self) -> str:
        return str(self.person)


class EventKind(models.TextChoices):
    SESSION = "session", _("Deliberation session")
    HEARING = "hearing", _("Expert hearing")


class DeliberationEvent(models.Model):
    questionnaire = ParentalKey(Questionnaire, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices, default=EventKind.SESSION)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    speakers = models.CharField(_("experts heard"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session or hearing")
        verbose_name_plural = _("sessions and hearings")

    def __str__(self) -> str:
        return self.title


class BriefingDocument(models.Model):
    questionnaire = ParentalKey(Questionnaire, on_delete=models.CASCADE, related_name="briefings")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    url = models.URLField(_("link to the full document"), blank=True)
    sort_order = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("briefing document")
        verbose_name_plural = _("briefing documents")

    def __str__(self) -> str:
        return self.title
