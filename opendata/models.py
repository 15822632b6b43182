"""Summary tables of the impact dashboards, filled by a Celery task (opendata.tasks).

The dashboards never count raw participations on a page view: `impact_compute`
reads every contribution once, writes these few hundred rows, and the pages
read them. Only counts are stored, never who.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Metric(models.TextChoices):
    MONTHLY_PARTICIPANTS = "monthly_participants", _("Participants per month")
    MONTHLY_CONTRIBUTIONS = "monthly_contributions", _("Contributions per month")
    NEWCOMERS = "newcomers", _("First-time and returning participants per month")
    DISTRICT = "district", _("Participants by district")
    AGE = "age", _("Participants by age band")
    CHANNEL = "channel", _("Contributions by channel")
    FUNNEL = "funnel", _("From visit to contribution")
    VISITS = "visits", _("Visits to participation pages per month")
    PETITION_OUTCOMES = "petition_outcomes", _("Petition outcomes")
    BUDGET_OUTCOMES = "budget_outcomes", _("Budget project outcomes")
    OPINION_CHANGE = "opinion_change", _("Deliberative polls: opinion change")


class ImpactRun(models.Model):
    computed_at = models.DateTimeField(_("computed on"), default=timezone.now)
    contributions = models.PositiveIntegerField(_("contributions read"), default=0)
    participants = models.PositiveIntegerField(_("distinct participants"), default=0)

    class Meta:
        ordering = ["-computed_at"]
        verbose_name = _("impact computation")
        verbose_name_plural = _("impact computations")

    def __str__(self) -> str:
        return str(self.computed_at)


class ImpactFigure(models.Model):
    run = models.ForeignKey(ImpactRun, on_delete=models.CASCADE, related_name="figures")
    metric = models.CharField(_("metric"), max_length=24, choices=Metric.choices)
    # "" for every participation together, else a participation key ("budget", "petition"...).
    participation = models.CharField(_("participation"), max_length=24, blank=True)
    period = models.DateField(_("month"), null=True, blank=True)
    label = models.CharField(_("label"), max_length=150, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    value = models.BigIntegerField(_("value"))
    # What the value is compared with: the district's population (reach), or a total.
    reference = models.BigIntegerField(_("reference"), null=True, blank=True)

    class Meta:
        ordering = ["metric", "participation", "position", "pk"]
        verbose_name = _("impact figure")
        verbose_name_plural = _("impact figures")
        indexes = [
            # The dashboards read one run's figures by metric (selectors.dashboard).
            models.Index(fields=["run", "metric"], name="opendata_figure_metric_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.participation} {self.label} = {self.value}"


class DailyVisits(models.Model):
    """Visits of participation pages per day and kind (opendata.visits): a number, never who."""

    day = models.DateField(_("day"))
    participation = models.CharField(_("participation"), max_length=24)
    visits = models.PositiveBigIntegerField(_("visits"), default=0)

    class Meta:
        ordering = ["day", "participation"]
        verbose_name = _("daily visits")
        verbose_name_plural = _("daily visits")
        constraints = [models.UniqueConstraint(fields=["day", "participation"], name="opendata_visits_day_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.participation} {self.visits}"
