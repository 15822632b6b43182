"""Notifications caused by other apps' events, connected in NotificationsConfig.ready().

Moderation sends its signals after the decision commits (see
civicplatform/moderation/signals.py), so these receivers never announce a
decision that was rolled back.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from civicplatform.notifications import kinds
from civicplatform.notifications.services import notify


def _content_path(instance) -> str:
    get_absolute_url = getattr(instance, "get_absolute_url", None)
    url = str(get_absolute_url() or "") if get_absolute_url is not None else ""
    if url.startswith(settings.SITE_URL + "/"):
        url = url[len(settings.SITE_URL) :]
    return url if url.startswith("/") and not url.startswith("//") else ""


def notify_author_of_hiding(sender, instance, actor=None, reason: str = "", **kwargs) -> None:
    author = instance.get_moderation_author()
    if author is None:
        return
    if actor is None:
        title = _("Your contribution was hidden after several reports")
        body = _("It is hidden until a moderator reviews it. Reason shown to readers: {reason}")
    else:
        title = _("Your contribution was hidden by a moderator")
        body = _("Reason shown to readers: {reason}")
    notify(
        recipients=[author],
        kind=kinds.MODERATION,
        target=instance,
        actor=actor,
        title=title,
        body=format_lazy(body, reason=reason),
        url=_content_path(instance),
    )


def notify_author_of_restoring(sender, instance, actor=None, reason: str = "", **kwargs) -> None:
    author = instance.get_moderation_author()
    if author is None:
        return
    # The restoring moderator's reason is an internal note kept in the audit log: not sent.
    notify(
        recipients=[author],
        kind=kinds.MODERATION,
        target=instance,
        actor=actor,
        title=_("Your contribution is visible again"),
        body=_("A moderator reviewed your contribution and made it visible again."),
        url=_content_path(instance),
    )


def connect_moderation_signals() -> None:
    from civicplatform.moderation import signals

    signals.content_hidden.connect(notify_author_of_hiding, dispatch_uid="notifications.content_hidden")
    signals.content_restored.connect(notify_author_of_restoring, dispatch_uid="notifications.content_restored")
