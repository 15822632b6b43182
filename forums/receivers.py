"""What the forums do when another app decides something about their content."""

from __future__ import annotations

from typing import Any

from forums.services import moderation_changed


def on_content_hidden(sender: Any, instance: Any, **kwargs: Any) -> None:
    moderation_changed(instance=instance, hidden=True)


def on_content_restored(sender: Any, instance: Any, **kwargs: Any) -> None:
    moderation_changed(instance=instance, hidden=False)
