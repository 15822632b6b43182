"""Writes on forums and threads: memberships, starting and closing a thread, and the
live events that moderation decisions on threads and posts produce."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from civicplatform.core.services import audit_record
from civicplatform.moderation import services as moderation_services
from civicplatform.moderation.models import ModeratorAssignment
from forums import events
from forums.models import Comment, Forum, Membership, MembershipRole, Thread, ThreadKind
from forums.models.threads import RESERVED_THREAD_SLUGS
from forums.predicates import forget_cached_memberships
from forums.services.common import check_can_participate, check_rate
from forums.text import render_comment_text

MIN_TITLE_LENGTH = 5
MAX_THREAD_TEXT_LENGTH = 10000
MAX_CONCLUSION_LENGTH = 10000


# ---------------------------------------------------------------- memberships


def membership_set(*, forum: Forum, user: Any, role: str, actor: Any) -> Membership:
    """Make `user` a member (or a moderator) of `forum`.

    A forum moderator is a moderator of the forum's space in the moderation app,
    so the moderation queue and decisions work the same as everywhere else; the
    assignment follows the role (and both changes are in the audit log).
    """
    if role not in MembershipRole.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    if not actor.has_perm("moderation.assign_moderator"):
        raise PermissionDenied(_("Only the municipal staff manage the members of a forum."))
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(forum=forum, user=user, defaults={"role": role})
        previous = None if created else membership.role
        if not created and membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
        _sync_moderator_assignment(forum=forum, user=user, moderator=role == MembershipRole.MODERATOR, actor=actor)
        if previous != role:
            audit_record(
                action="forums.membership_set",
                actor=actor,
                target=user,
                data={"forum": forum.slug, "role": role, "previous_role": previous},
            )
    forget_cached_memberships(user)
    return membership


def membership_remove(*, forum: Forum, user: Any, actor: Any) -> None:
    """Take `user` out of `forum` (and out of its moderators)."""
    if not actor.has_perm("moderation.assign_moderator"):
        raise PermissionDenied(_("Only the municipal staff manage the members of a forum."))
    with transaction.atomic():
        deleted, _rows = Membership.objects.filter(forum=forum, user=user).delete()
        _sync_moderator_assignment(forum=forum, user=user, moderator=False, actor=actor)
        if deleted:
            audit_record(action="forums.membership_remove", actor=actor, target=user, data={"forum": forum.slug})
    forget_cached_memberships(user)


def _sync_moderator_assignment(*, forum: Forum, user: Any, moderator: bool, actor: Any) -> None:
    assignment = ModeratorAssignment.objects.filter(
        user=user, content_type=ContentType.objects.get_for_model(Forum), object_id=str(forum.pk)
    ).first()
    if moderator and assignment is None:
        moderation_services.moderator_assign(user=user, actor=actor, space=forum)
    elif not moderator and assignment is not None:
        moderation_services.moderator_unassign(assignment=assignment, actor=actor)


# ---------------------------------------------------------------- threads


def _unique_slug(forum: Forum, title: str) -> str:
    base = slugify(title)[:70].strip("-") or "sujet"
    taken = set(Thread.objects.filter(forum=forum, slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_THREAD_SLUGS
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def ensure_can_start_thread(*, forum: Forum, user: Any, kind: str = ThreadKind.DISCUSSION) -> None:
    """Raise PermissionDenied, with the reason, unless `user` may start a thread of `kind` in `forum`."""
    check_can_participate(user)
    if not user.has_perm("forums.add_thread", forum):
        raise PermissionDenied(_("Only the members of this forum can start a discussion in it."))
    if kind != ThreadKind.DISCUSSION and not user.has_perm("forums.add_structured_thread", forum):
        raise PermissionDenied(_("Only the moderators of this forum can open a debate or a live event."))


def thread_create(
    *, forum: Forum, author: Any, title: str, text: str = "", kind: str = ThreadKind.DISCUSSION
) -> Thread:
    """Start a discussion (any participant who may post in the forum), or a debate or
    live event (the forum's moderators). A debate's title is its question."""
    if kind not in ThreadKind.values:
        raise ValidationError({"kind": _("Choose a kind of thread from the list.")})
    ensure_can_start_thread(forum=forum, user=author, kind=kind)
    title = " ".join(title.split())
    if len(title) < MIN_TITLE_LENGTH:
        raise ValidationError({"title": _("Give a title of at least %(min)d characters.") % {"min": MIN_TITLE_LENGTH}})
    source = text.strip()
    if len(source) > MAX_THREAD_TEXT_LENGTH:
        raise ValidationError({"text": _("Keep the text under %(max)d characters.") % {"max": MAX_THREAD_TEXT_LENGTH}})
    body = render_comment_text(source) if source else ""
    if kind == ThreadKind.DISCUSSION and not body:
        raise ValidationError({"text": _("Explain what you would like to discuss.")})
    check_rate(author, scope="thread", limit=getattr(settings, "FORUMS_THREADS_PER_HOUR", 5), window=3600)
    for _attempt in range(3):
        slug = _unique_slug(forum, title)
        thread = Thread(forum=forum, slug=slug, title=title, kind=kind, author=author, source=source, body=body)
        try:
            with transaction.atomic():
                thread.save()
        except IntegrityError:
            continue  # someone took the same address at the same moment: pick the next one
        return thread
    raise ValidationError({"title": _("Another discussion has just taken this title. Please try again.")})


def thread_close(*, thread: Thread, actor: Any, conclusion: str) -> Thread:
    """A moderator closes the thread with public conclusions; it is read-only afterwards."""
    if not actor.has_perm("forums.moderate_thread", thread):
        raise PermissionDenied(_("Only the moderators of this forum can close a discussion."))
    if thread.is_closed:
        raise PermissionDenied(_("This discussion is already closed."))
    source = conclusion.strip()
    if len(source) > MAX_CONCLUSION_LENGTH:
        raise ValidationError(
            {"conclusion": _("Keep the conclusions under %(max)d characters.") % {"max": MAX_CONCLUSION_LENGTH}}
        )
    body = render_comment_text(source)
    if not body:
        raise ValidationError({"conclusion": _("Write the conclusions readers will see at the top of the thread.")})
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        if locked.is_closed:
            raise PermissionDenied(_("This discussion is already closed."))
        thread.closed_at = timezone.now()
        thread.closed_by = actor
        thread.conclusion_source = source
        thread.conclusion = body
        thread.save(update_fields=["closed_at", "closed_by", "conclusion_source", "conclusion"])
        audit_record(
            action="forums.thread_close",
            actor=actor,
            target=thread,
            reason=source,
            data={"public_id": str(thread.public_id), "forum": thread.forum.slug},
        )
        events.record(thread=thread, kind=events.THREAD_CLOSED, object_id=thread.public_id)
    return thread


# ---------------------------------------------------------------- moderation decisions, live


def moderation_changed(*, instance: Any, hidden: bool) -> None:
    """Receiver of moderation's content_hidden / content_restored (sent after commit):
    a hidden post disappears from every open page of its thread, a restored one comes back."""
    if isinstance(instance, Comment):
        if events.thread_of(instance.target) is None:
            return
        with transaction.atomic():
            events.record_comment(instance, events.COMMENT_HIDDEN if hidden else events.COMMENT_RESTORED)
    elif isinstance(instance, Thread):
        with transaction.atomic():
            kind = events.THREAD_HIDDEN if hidden else events.THREAD_RESTORED
            events.record(thread=instance, kind=kind, object_id=instance.public_id)
