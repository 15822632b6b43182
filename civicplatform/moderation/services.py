"""Moderation decisions. Each one writes its audit row in the same transaction and
announces itself through civicplatform.moderation.signals once committed."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplatform.core.services import audit_record
from civicplatform.moderation import signals
from civicplatform.moderation.models import (
    AUTO_HIDDEN_REASON,
    Moderatable,
    ModerationState,
    ModeratorAssignment,
    Report,
    ReportCategory,
    ReportResolution,
    UserBlock,
)
from civicplatform.moderation.selectors import forget_cached_moderation_state, space_key

logger = logging.getLogger(__name__)


def _send_on_commit(signal: Signal, **kwargs: Any) -> None:
    """Send `signal` after the commit. A failing receiver is logged: the decision
    is already recorded and must not turn into an error page."""

    def send() -> None:
        for receiver, response in signal.send_robust(**kwargs):
            if isinstance(response, Exception):
                logger.error("moderation signal receiver %r failed", receiver, exc_info=response)

    transaction.on_commit(send)


def _require_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


def _require_perm(user: Any, perm: str, obj: Any = None) -> None:
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to take this moderation decision."))


def _lock(content: Moderatable) -> Moderatable:
    """Reload the content row under a lock, so two decisions (or the report that
    tips it into automatic hiding) never interleave."""
    return type(content)._default_manager.select_for_update().get(pk=content.pk)


def _save_state(content: Moderatable, locked: Moderatable, state: str, reason: str) -> None:
    locked.moderation_state = state
    locked.moderation_reason = reason
    locked.moderated_at = timezone.now()
    locked.save(update_fields=["moderation_state", "moderation_reason", "moderated_at"])
    # The caller's instance reflects the decision too (templates, signal receivers).
    content.moderation_state = locked.moderation_state
    content.moderation_reason = locked.moderation_reason
    content.moderated_at = locked.moderated_at


def _resolve_open_reports(content: Moderatable, *, resolution: str, actor: Any) -> int:
    return (
        Report.objects.for_content(content)
        .open()
        .update(resolved_at=timezone.now(), resolution=resolution, resolved_by=actor)
    )


def _content_data(content: Moderatable, **extra: Any) -> dict[str, Any]:
    return {"content": content.moderation_content_key, "public_id": str(content.public_id), **extra}


def report_create(
    *,
    content: Moderatable,
    category: str,
    note: str = "",
    reporter: Any = None,
    ip_hash: str = "",
) -> tuple[Report, bool]:
    """Record that someone reports `content`; return (report, created).

    A second report by the same person (or, when anonymous, the same hashed IP)
    returns the first one unchanged. When MODERATION_AUTO_HIDE_REPORTS distinct
    people have open reports on visible content, it is hidden pending review.
    """
    person = reporter if reporter is not None and reporter.is_authenticated else None
    if not (person or AnonymousUser()).has_perm("moderation.report_content", content):
        raise PermissionDenied(_("You cannot report this content."))
    if person is None and not ip_hash:
        raise ValueError("An anonymous report needs the hashed IP address to tell reporters apart.")
    if category not in ReportCategory.values:
        raise ValidationError({"category": _("Choose a reason from the list.")})
    reporter_key = f"user:{person.pk}" if person is not None else f"ip:{ip_hash}"
    space_type_id, space_id = space_key(content.get_moderation_space())

    with transaction.atomic():
        locked = _lock(content)
        if locked.is_hidden:
            raise PermissionDenied(_("You cannot report this content."))
        existing = Report.objects.for_content(locked).filter(reporter_key=reporter_key).first()
        if existing is not None:
            return existing, False
        report = Report(
            content_type=ContentType.objects.get_for_model(locked),
            object_id=locked.pk,
            space_type_id=space_type_id,
            space_id=space_id,
            reporter=person,
            ip_hash="" if person is not None else ip_hash,
            reporter_key=reporter_key,
            category=category,
            note=(note or "").strip(),
        )
        report.full_clean(exclude=["content_type", "space_type", "reporter", "resolved_by"])
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            # The row lock makes this unlikely; the unique constraint makes it harmless.
            return Report.objects.for_content(locked).get(reporter_key=reporter_key), False

        distinct_reporters = Report.objects.for_content(locked).open().count()
        if distinct_reporters >= settings.MODERATION_AUTO_HIDE_REPORTS:
            _save_state(content, locked, ModerationState.AUTO_HIDDEN, "")
            audit_record(
                action="moderation.content_auto_hide",
                target=locked,
                reason=str(AUTO_HIDDEN_REASON),
                data=_content_data(locked, reports=distinct_reporters),
            )
            _send_on_commit(
                signals.content_hidden,
                sender=type(content),
                instance=content,
                actor=None,
                reason=str(AUTO_HIDDEN_REASON),
            )
    return report, True


def content_hide(
    *, content: Moderatable, actor: Any, reason: str, on_behalf_of: models.Model | None = None
) -> Moderatable:
    """Hide content; `reason` is shown publicly in its place. Open reports are resolved."""
    reason = _require_reason(reason, _("Give the reason readers will see in place of the content."))
    _require_perm(actor, "moderation.moderate_content", content)
    with transaction.atomic():
        locked = _lock(content)
        previous = locked.moderation_state
        _save_state(content, locked, ModerationState.HIDDEN, reason)
        resolved = _resolve_open_reports(locked, resolution=ReportResolution.HIDDEN, actor=actor)
        audit_record(
            action="moderation.content_hide",
            actor=actor,
            on_behalf_of=on_behalf_of,
            target=locked,
            reason=reason,
            data=_content_data(locked, previous_state=previous, reports_resolved=resolved),
        )
        _send_on_commit(signals.content_hidden, sender=type(content), instance=content, actor=actor, reason=reason)
    return content


def content_restore(
    *, content: Moderatable, actor: Any, reason: str, on_behalf_of: models.Model | None = None
) -> Moderatable:
    """Show hidden content again; `reason` stays in the audit log. Open reports are resolved."""
    reason = _require_reason(reason, _("Explain why the content is shown again."))
    _require_perm(actor, "moderation.moderate_content", content)
    with transaction.atomic():
        locked = _lock(content)
        if not locked.is_hidden:
            raise ValidationError(_("This content is already visible."))
        previous = locked.moderation_state
        _save_state(content, locked, ModerationState.VISIBLE, "")
        resolved = _resolve_open_reports(locked, resolution=ReportResolution.RESTORED, actor=actor)
        audit_record(
            action="moderation.content_restore",
            actor=actor,
            on_behalf_of=on_behalf_of,
            target=locked,
            reason=reason,
            data=_content_data(locked, previous_state=previous, reports_resolved=resolved),
        )
        _send_on_commit(signals.content_restored, sender=type(content), instance=content, actor=actor, reason=reason)
    return content


def reports_dismiss(*, content: Moderatable, actor: Any, reason: str = "") -> int:
    """Close the open reports on content judged acceptable; return how many.

    Content hidden automatically by those reports is shown again: no person
    decided to hide it, and a moderator has now decided it may stay.
    """
    _require_perm(actor, "moderation.moderate_content", content)
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _lock(content)
        resolved = _resolve_open_reports(locked, resolution=ReportResolution.DISMISSED, actor=actor)
        if not resolved:
            raise ValidationError(_("There are no reports awaiting a decision on this content."))
        restored = locked.moderation_state == ModerationState.AUTO_HIDDEN
        if restored:
            _save_state(content, locked, ModerationState.VISIBLE, "")
        audit_record(
            action="moderation.reports_dismiss",
            actor=actor,
            target=locked,
            reason=reason,
            data=_content_data(locked, reports_resolved=resolved, restored=restored),
        )
        if restored:
            _send_on_commit(
                signals.content_restored, sender=type(content), instance=content, actor=actor, reason=reason
            )
    return resolved


def user_block(*, user: Any, actor: Any, reason: str, content: Moderatable | None = None) -> UserBlock:
    """Bar a person from contributing, with a justification kept in the audit log."""
    reason = _require_reason(reason, _("Give the justification for blocking this person."))
    _require_perm(actor, "moderation.block_user", user)
    if user.pk == actor.pk or user.is_staff:
        # Superusers pass every rule; these two limits hold for them too.
        raise PermissionDenied(_("You are not allowed to take this moderation decision."))
    data = _content_data(content) if content is not None else {}
    try:
        with transaction.atomic():
            block = UserBlock.objects.create(user=user, reason=reason, blocked_by=actor)
            audit_record(action="moderation.user_block", actor=actor, target=user, reason=reason, data=data)
    except IntegrityError as exc:
        raise ValidationError(_("This person is already blocked.")) from exc
    forget_cached_moderation_state(user)
    _send_on_commit(signals.user_blocked, sender=UserBlock, instance=block, user=user, actor=actor, reason=reason)
    return block


def user_unblock(*, block: UserBlock, actor: Any, reason: str) -> None:
    """Lift a block; the justification is kept in the audit log."""
    reason = _require_reason(reason, _("Explain why the block is lifted."))
    user = block.user
    _require_perm(actor, "moderation.block_user", user)
    with transaction.atomic():
        audit_record(
            action="moderation.user_unblock",
            actor=actor,
            target=user,
            reason=reason,
            data={"blocked_on": block.created_at.isoformat(), "block_reason": block.reason},
        )
        UserBlock.objects.filter(pk=block.pk).delete()
    forget_cached_moderation_state(user)
    _send_on_commit(signals.user_unblocked, sender=UserBlock, instance=None, user=user, actor=actor, reason=reason)


def moderator_assign(
    *,
    user: Any,
    actor: Any,
    space: models.Model | None = None,
    space_type: ContentType | None = None,
    title: str = "",
    is_elected_official: bool = False,
) -> ModeratorAssignment:
    """Make `user` a moderator of one space, of every space of `space_type`, or
    (neither given) of the whole site."""
    _require_perm(actor, "moderation.assign_moderator")
    if space is not None:
        space_type = ContentType.objects.get_for_model(space)
    assignment = ModeratorAssignment(
        user=user,
        content_type=space_type,
        object_id=str(space.pk) if space is not None else None,
        title=title.strip(),
        is_elected_official=is_elected_official,
    )
    assignment.full_clean()
    with transaction.atomic():
        assignment.save()
        audit_record(
            action="moderation.moderator_assign",
            actor=actor,
            target=user,
            data={
                "scope": assignment.scope_label,
                "title": assignment.title,
                "is_elected_official": is_elected_official,
            },
        )
    forget_cached_moderation_state(user)
    return assignment


def moderator_unassign(*, assignment: ModeratorAssignment, actor: Any) -> None:
    """End a moderator assignment."""
    _require_perm(actor, "moderation.assign_moderator")
    with transaction.atomic():
        audit_record(
            action="moderation.moderator_unassign",
            actor=actor,
            target=assignment.user,
            data={"scope": assignment.scope_label, "title": assignment.title},
        )
        assignment.delete()
    forget_cached_moderation_state(assignment.user)
