"""Reusable filters for budget processes, phases and projects."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from civicplatform.core.phases import PhaseQuerySet


class BudgetPhaseQuerySet(PhaseQuerySet):
    def enabled(self) -> BudgetPhaseQuerySet:
        return self.filter(enabled=True)


class BudgetProcessQuerySet(models.QuerySet):
    def _phase_model(self):
        return self.model._meta.get_field("phases").related_model

    def current(self, now: datetime.datetime | None = None) -> BudgetProcessQuerySet:
        """Processes with an enabled phase open now, or one still to come."""
        now = now or timezone.now()
        phases = self._phase_model().objects.filter(process=OuterRef("pk"), enabled=True, ends_at__gt=now)
        return self.filter(Exists(phases))

    def past(self, now: datetime.datetime | None = None) -> BudgetProcessQuerySet:
        """Processes whose enabled phases are all over (or that never had any, e.g. imported ones)."""
        now = now or timezone.now()
        phases = self._phase_model().objects.filter(process=OuterRef("pk"), enabled=True, ends_at__gt=now)
        return self.filter(~Exists(phases))

    def with_open_phase(self, kind: str, now: datetime.datetime | None = None) -> BudgetProcessQuerySet:
        now = now or timezone.now()
        phases = self._phase_model().objects.filter(
            process=OuterRef("pk"), enabled=True, kind=kind, starts_at__lte=now, ends_at__gt=now
        )
        return self.filter(Exists(phases))


class ProjectQuerySet(models.QuerySet):
    def on_ballot(self) -> ProjectQuerySet:
        """Projects voters choose from (see Project.is_on_ballot).

        With an enabled shortlist phase only shortlisted projects go to the vote;
        without one every feasible project does. After the vote the selected and
        not selected projects stay on the published ballot.
        """
        from .models import VOTED_STATUSES, BudgetPhase, PhaseKind, ProjectStatus

        shortlist = BudgetPhase.objects.filter(process=OuterRef("process_id"), kind=PhaseKind.SHORTLIST, enabled=True)
        return self.filter(
            Q(status__in=VOTED_STATUSES)
            | Q(status=ProjectStatus.SHORTLISTED)
            | Q(Q(status=ProjectStatus.FEASIBLE) & ~Exists(shortlist))
        )

    def visible(self) -> ProjectQuerySet:
        """Not hidden by moderation."""
        from civicplatform.moderation.models import ModerationState

        return self.filter(moderation_state=ModerationState.VISIBLE)

    def awaiting_review(self) -> ProjectQuerySet:
        from .models import ProjectStatus

        return self.filter(status=ProjectStatus.SUBMITTED)

    def with_location(self) -> ProjectQuerySet:
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def search(self, text: str) -> ProjectQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(title__icontains=text) | Q(summary__icontains=text) | Q(description__icontains=text))
