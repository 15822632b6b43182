"""What participatory budgets keep about a person, for the "download my data" archive and account erasure."""

from __future__ import annotations

from typing import Any

from .models import Project, Support


def export_projects(user: Any) -> list[dict[str, Any]]:
    """The project ideas the person proposed, as submitted, with what became of them."""
    projects = Project.objects.filter(author=user).select_related("process", "budget").order_by("created_at", "pk")
    return [
        {
            "id": project.public_id,
            "process": project.process.title,
            "budget": project.budget.name,
            "submitted_on": project.created_at,
            "title": project.title,
            "summary": project.summary,
            "description": project.description,
            "estimated_cost": project.cost,
            "address": project.address,
            "latitude": project.latitude,
            "longitude": project.longitude,
            "status": project.status,
            "review_reason": project.review_reason,
        }
        for project in projects
    ]


def export_supports(user: Any) -> list[dict[str, Any]]:
    """The projects the person supported during a shortlist phase."""
    supports = Support.objects.filter(user=user).select_related("project", "project__process")
    return [
        {
            "project": support.project.public_id,
            "title": support.project.title,
            "process": support.project.process.title,
            "date": support.created_at,
        }
        for support in supports.order_by("created_at", "pk")
    ]


def erase_supports(user: Any) -> None:
    """Supports say what a person wanted: they go with the account. Proposed projects
    stay (they belong to the process), signed "Deleted participant"."""
    Support.objects.filter(user=user).delete()
