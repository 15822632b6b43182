"""Celery tasks: thin wrappers that call services (safe to run twice)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="consultations.conversation_group")
def conversation_group(conversation_id: int) -> int | None:
    """Recompute the opinion groups of a conversation; returns the number of groups."""
    from .models import Conversation
    from .services.opinions import grouping_compute

    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return None
    grouping = grouping_compute(conversation=conversation)
    return grouping.k if grouping else None
