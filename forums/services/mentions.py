"""@mentions: the people a post names by their pseudonym are notified."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.utils.text import Truncator, format_lazy
from django.utils.translation import gettext_lazy

from civicplatform.notifications import kinds
from civicplatform.notifications.services import notify
from forums.predicates import target_is_viewable
from forums.text import mention_candidates

# A post naming a crowd is a mass mailing, not a conversation: the first ten are notified.
MAX_MENTIONS = 10


def mentioned_users(source: str) -> list[Any]:
    """The active accounts `source` mentions, in order of first mention, at most MAX_MENTIONS."""
    groups = mention_candidates(source)
    if not groups:
        return []
    names = {name for group in groups for name in group}
    users = {
        user.pseudonym_key: user
        for user in get_user_model()
        .objects.annotate(pseudonym_key=Lower("pseudonym"))
        .filter(pseudonym_key__in=names, is_active=True, erased_at__isnull=True)
    }
    found: dict[int, Any] = {}
    for group in groups:
        for name in group:
            user = users.get(name)
            if user is not None:
                found.setdefault(user.pk, user)
                break
    return list(found.values())[:MAX_MENTIONS]


def notify_mentions(*, comment: Any, previous_source: str = "") -> list[Any]:
    """Notify the people `comment` mentions and did not already mention in `previous_source`.

    Nobody hears of a discussion they may not read (a members-only forum): the
    notification would carry its words outside.
    """
    already = {user.pk for user in mentioned_users(previous_source)} if previous_source else set()
    target = comment.target
    recipients = [
        user
        for user in mentioned_users(comment.source)
        if user.pk not in already and user.pk != comment.author_id and target_is_viewable(user, target)
    ]
    if not recipients:
        return []
    return notify(
        recipients=recipients,
        kind=kinds.MENTION,
        target=comment,
        actor=comment.author,
        title=format_lazy(
            gettext_lazy("{name} mentioned you in “{title}”"), name=comment.author_name, title=str(target)
        ),
        body=Truncator(comment.source).chars(300),
        url=comment.get_absolute_url(),
    )
