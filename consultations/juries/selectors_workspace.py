"""Reads of the seated jury's workspace and of its public record (sessions, materials, hearings,
answered questions), each in a constant number of queries whatever the number of rows."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .models import BriefingMaterial, ExpertHearing, ExpertQuestion, Jury, JurySession


def sessions_for_jury(jury: Jury, *, public: bool = False) -> list[JurySession]:
    """The sessions in order, with their hearings and materials (the public ones only with `public`)."""
    materials = BriefingMaterial.objects.all()
    if public:
        materials = materials.filter(is_public=True)
    return list(
        JurySession.objects.filter(jury=jury).prefetch_related(
            Prefetch("hearings", queryset=ExpertHearing.objects.order_by("order", "id")),
            Prefetch("materials", queryset=materials),
        )
    )


def next_session(jury: Jury) -> JurySession | None:
    return JurySession.objects.filter(jury=jury, ends_at__gte=timezone.now()).order_by("starts_at", "id").first()


def materials_for_jury(jury: Jury, *, public: bool = False) -> QuerySet[BriefingMaterial]:
    materials = BriefingMaterial.objects.filter(jury=jury).select_related("session")
    return materials.filter(is_public=True) if public else materials


def hearings_for_jury(jury: Jury) -> QuerySet[ExpertHearing]:
    return ExpertHearing.objects.filter(session__jury=jury).select_related("session")


def questions_for_members(jury: Jury) -> QuerySet[ExpertQuestion]:
    """Every question and answer, for the members and staff (never who asked)."""
    return ExpertQuestion.objects.filter(jury=jury).select_related("hearing__session")


def questions_public(jury: Jury) -> QuerySet[ExpertQuestion]:
    return (
        ExpertQuestion.objects.filter(jury=jury, is_public=True, answered_at__isnull=False)
        .select_related("hearing__session")
        .order_by("-answered_at", "-id")
    )


def public_record(jury: Jury, *, user: Any) -> dict[str, Any]:
    """What the public jury page shows of the jury's work (five queries), and whether `user` may
    enter the workspace (a link to it for members and staff)."""
    return {
        "can_enter_workspace": user.has_perm("juries.enter_workspace", jury),
        "sessions": sessions_for_jury(jury, public=True),
        "public_materials": list(materials_for_jury(jury, public=True)),
        "public_questions": list(questions_public(jury)),
    }


def question_for_staff(jury: Jury, question_id: int) -> ExpertQuestion | None:
    return ExpertQuestion.objects.filter(jury=jury, pk=question_id).select_related("hearing__session").first()


def material_for_user(user: Any, jury: Jury, material_id: int) -> BriefingMaterial | None:
    """A material the user may download: a public one, or any one for those who enter the workspace."""
    material = BriefingMaterial.objects.filter(jury=jury, pk=material_id).first()
    if material is None or (not material.is_public and not user.has_perm("juries.enter_workspace", jury)):
        return None
    return material
