"""Dated phases shared by every participation tool.

A budget process, a petition, a consultation or a jury moves through phases
("proposals", "vote", "signature"...). Each app declares its own concrete
model, for example::

    class BudgetPhase(DatedPhase):
        process = models.ForeignKey(BudgetProcess, on_delete=models.CASCADE, related_name="phases")
        kind = models.CharField(max_length=32, choices=BudgetPhaseKind.choices)

and its rules use ``phase_is_active("vote")`` (civicplatform.core.predicates).
The concrete model declares its own indexes (index names are limited to 30
characters, too short for a name built from the app and class names here).
"Active" is always evaluated against a timezone-aware ``now``: phases are data,
never flags that someone must remember to flip.
"""

from __future__ import annotations

import datetime
from typing import Any

import rules
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PhaseStatus(models.TextChoices):
    # In context: the French adjective agrees with "phase" (feminine), and a plain "open"
    # would also stand in for every other app's "open" (the first catalogue wins).
    UPCOMING = "upcoming", pgettext_lazy("phase", "upcoming")
    ACTIVE = "active", pgettext_lazy("phase", "open")
    FINISHED = "finished", pgettext_lazy("phase", "closed")


class PhaseQuerySet(models.QuerySet):
    """A phase is active from ``starts_at`` (included) until ``ends_at`` (excluded)."""

    def active(self, now: datetime.datetime | None = None) -> PhaseQuerySet:
        now = now or timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gt=now)

    def upcoming(self, now: datetime.datetime | None = None) -> PhaseQuerySet:
        now = now or timezone.now()
        return self.filter(starts_at__gt=now)

    def finished(self, now: datetime.datetime | None = None) -> PhaseQuerySet:
        now = now or timezone.now()
        return self.filter(ends_at__lte=now)

    def of_kind(self, kind: str) -> PhaseQuerySet:
        return self.filter(kind=kind)


class DatedPhase(models.Model):
    kind = models.CharField(_("phase"), max_length=32)
    starts_at = models.DateTimeField(_("starts on"))
    ends_at = models.DateTimeField(_("ends on"))

    objects = PhaseQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.starts_at:%Y-%m-%d} – {self.ends_at:%Y-%m-%d})"

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A phase must end after it starts.")})

    def is_active_at(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at

    def is_upcoming_at(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return now < self.starts_at

    def is_finished_at(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.ends_at <= now

    def status_at(self, now: datetime.datetime | None = None) -> PhaseStatus:
        now = now or timezone.now()
        if self.is_upcoming_at(now):
            return PhaseStatus.UPCOMING
        if self.is_active_at(now):
            return PhaseStatus.ACTIVE
        return PhaseStatus.FINISHED

    @property
    def status(self) -> PhaseStatus:
        return self.status_at()


def _phases_of(obj: Any) -> Any:
    if obj is None:
        return None
    if hasattr(obj, "get_phases"):
        return obj.get_phases()
    phases = getattr(obj, "phases", None)
    return phases.all() if phases is not None else None


def phase_is_active(kind: str) -> rules.Predicate:
    """Predicate factory: `obj` has a phase of this kind open right now.

    The phases come from `obj.get_phases()` or, failing that, from its `phases`
    relation (a DatedPhase subclass with related_name="phases"). They are
    filtered in Python so that a list page can prefetch_related("phases") and
    check every row without a query each.
    """

    def check(user: Any, obj: Any) -> bool:
        phases = _phases_of(obj)
        if phases is None:
            return False
        now = timezone.now()
        return any(phase.kind == kind and phase.is_active_at(now) for phase in phases)

    return rules.Predicate(check, name=f"phase_is_active:{kind}")
