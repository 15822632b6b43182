"""The e-mails this app sends: one per notification, or one daily summary.

Every e-mail carries a one-click unsubscribe link (RFC 8058: List-Unsubscribe
and List-Unsubscribe-Post headers, plus the same link in the text) and a
Message-ID derived from what it delivers, so a receiving server that sees the
same message twice can drop the copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from civicplatform.notifications import kinds
from civicplatform.notifications.models import Notification
from civicplatform.notifications.tokens import unsubscribe_token_make


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path else ""


def _mail_domain() -> str:
    return urlparse(settings.SITE_URL).hostname or "localhost"


def _headers(*, user_id: int, kind_keys: Sequence[str], message_key: str) -> tuple[dict[str, str], str]:
    token = unsubscribe_token_make(user_id=user_id, kinds=kind_keys)
    unsubscribe_url = absolute_url(reverse("notifications:unsubscribe", kwargs={"token": token}))
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        # Tells auto-responders not to reply (RFC 3834).
        "Auto-Submitted": "auto-generated",
        "Message-ID": f"<{message_key}@{_mail_domain()}>",
    }
    return headers, unsubscribe_url


def notification_email(*, notification: Notification, to: str) -> EmailMessage:
    headers, unsubscribe_url = _headers(
        user_id=notification.recipient_id,
        kind_keys=[notification.kind],
        message_key=f"notification-{notification.public_id}",
    )
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "notifications/email/notification.txt",
            {
                "notification": notification,
                "kind_label": notification.kind_label,
                "link": absolute_url(notification.url),
                "unsubscribe_url": unsubscribe_url,
                "preferences_url": absolute_url(reverse("notifications:preferences")),
                "site_name": settings.WAGTAIL_SITE_NAME,
            },
        )
    return EmailMessage(subject=notification.title, body=body, to=[to], headers=headers)


def digest_email(*, user_id: int, to: str, notifications: Sequence[Notification], day_key: str) -> EmailMessage:
    kind_keys = sorted({notification.kind for notification in notifications})
    headers, unsubscribe_url = _headers(user_id=user_id, kind_keys=kind_keys, message_key=f"digest-{day_key}")
    with translation.override(settings.LANGUAGE_CODE):
        count = len(notifications)
        subject = ngettext(
            "Your daily summary: %(count)d new notification",
            "Your daily summary: %(count)d new notifications",
            count,
        ) % {"count": count}
        kind_labels = [str(kinds.get_kind(key).label) for key in kind_keys if kinds.is_registered(key)]
        body = render_to_string(
            "notifications/email/digest.txt",
            {
                "items": [
                    {"notification": notification, "link": absolute_url(notification.url)}
                    for notification in notifications
                ],
                "kind_labels": kind_labels,
                "unsubscribe_url": unsubscribe_url,
                "preferences_url": absolute_url(reverse("notifications:preferences")),
                "list_url": absolute_url(reverse("notifications:list")),
                "site_name": settings.WAGTAIL_SITE_NAME,
            },
        )
    return EmailMessage(subject=subject, body=body, to=[to], headers=headers)
