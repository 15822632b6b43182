from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone


class PetitionQuerySet(models.QuerySet):
    def published(self) -> PetitionQuerySet:
        from .models import PUBLISHED_STATUSES

        return self.filter(status__in=PUBLISHED_STATUSES)

    def publicly_visible(self) -> PetitionQuerySet:
        """Published, or rejected for a reason that may be shown; never hidden by moderation."""
        from civicplatform.moderation.models import ModerationState

        from .models import PUBLISHED_STATUSES, PetitionStatus

        return self.filter(
            Q(status__in=PUBLISHED_STATUSES) | Q(status=PetitionStatus.REJECTED, rejection_reason__hidden=False)
        ).filter(moderation_state=ModerationState.VISIBLE)

    def signature_open(self, now: datetime.datetime | None = None) -> PetitionQuerySet:
        from .models import SIGNABLE_STATUSES, SIGNATURE_PHASE

        now = now or timezone.now()
        return self.filter(
            status__in=SIGNABLE_STATUSES,
            phases__kind=SIGNATURE_PHASE,
            phases__starts_at__lte=now,
            phases__ends_at__gt=now,
        )

    def signature_expired(self, now: datetime.datetime | None = None) -> PetitionQuerySet:
        from .models import SIGNABLE_STATUSES, SIGNATURE_PHASE

        now = now or timezone.now()
        return self.filter(
            status__in=SIGNABLE_STATUSES, closed_at__isnull=True, phases__kind=SIGNATURE_PHASE, phases__ends_at__lte=now
        )


class SignatureQuerySet(models.QuerySet):
    def validated(self) -> SignatureQuerySet:
        from .models import SignatureState

        return self.filter(state=SignatureState.VALIDATED)
