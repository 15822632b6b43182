"""What moderation holds about a person: their exports and their erasure (GDPR)."""

from __future__ import annotations

from typing import Any

from civicplatform.core.services import audit_record
from civicplatform.moderation.models import ModeratorAssignment, Report, UserBlock


def reports_export(user: Any) -> list[dict[str, Any]]:
    """The reports the person made. Never who else reported the same content."""
    reports = Report.objects.filter(reporter=user).select_related("content_type").order_by("created_at")
    return [
        {
            "reported_on": report.created_at,
            "content_kind": str(report.content_type.name),
            "reason": str(report.get_category_display()),
            "details": report.note,
            "decision": str(report.get_resolution_display()) if report.resolution else "",
            "decided_on": report.resolved_at,
        }
        for report in reports
    ]


def block_export(user: Any) -> list[dict[str, Any]]:
    """A block in force on the person, with its justification (which the person may read)."""
    return [
        {"blocked_on": block.created_at, "justification": block.reason} for block in UserBlock.objects.filter(user=user)
    ]


def assignments_export(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "title": assignment.title,
            "scope": assignment.scope_label,
            "elected_official": assignment.is_elected_official,
            "since": assignment.created_at,
        }
        for assignment in ModeratorAssignment.objects.filter(user=user).select_related("content_type")
    ]


def erase(user: Any) -> None:
    """Called inside the account-erasure transaction.

    Reports stay (they are part of other people's moderation history) but lose
    their author and free-text details; the de-duplication key keeps working.
    An erased account moderates nothing any more.
    """
    Report.objects.filter(reporter=user).update(reporter=None, note="")
    for assignment in ModeratorAssignment.objects.filter(user=user).select_related("content_type"):
        audit_record(
            action="moderation.moderator_unassign",
            target=user,
            reason="account erased",
            data={"scope": assignment.scope_label, "title": assignment.title},
        )
        assignment.delete()
