"""Cache busting when the districts change (territory does not know about petitions)."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from civicplatform.territory.models import District

from .services.signing import DISTRICTS_CACHE_KEY


@receiver([post_save, post_delete], sender=District, dispatch_uid="petitions.district_changed")
def forget_postal_codes(**kwargs) -> None:
    # The postal code → district table of anonymous signatures must not point at a deleted district.
    cache.delete(DISTRICTS_CACHE_KEY)
