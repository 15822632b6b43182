from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicplatform.core import registry
from civicplatform.core.registry import models_with
from civicplatform.moderation.models import (
    Moderatable,
    ModerationState,
    ModeratorAssignment,
    Report,
    ReportCategory,
    UserBlock,
)

_BLOCKED_CACHE = "_moderation_is_blocked"
_ASSIGNMENTS_CACHE = "_moderation_assignments"
_HIDDEN_SPACES_CACHE = "_moderation_hidden_spaces"


def user_is_blocked(user) -> bool:
    """True when a moderator has barred this person from contributing."""
    if not getattr(user, "is_authenticated", False):
        return False
    return UserBlock.objects.filter(user_id=user.pk).exists()


def user_is_blocked_cached(user) -> bool:
    """user_is_blocked(), remembered on the user object for the rest of the request,
    so a page checking a permission per item asks the database once."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not hasattr(user, _BLOCKED_CACHE):
        setattr(user, _BLOCKED_CACHE, user_is_blocked(user))
    return getattr(user, _BLOCKED_CACHE)


def forget_cached_moderation_state(user) -> None:
    """Drop what the permission predicates remembered about this user object."""
    for name in (_BLOCKED_CACHE, _ASSIGNMENTS_CACHE, _HIDDEN_SPACES_CACHE):
        if hasattr(user, name):
            delattr(user, name)


def moderator_assignments_of(user) -> list[ModeratorAssignment]:
    """The spaces this person moderates, loaded once per user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    if not hasattr(user, _ASSIGNMENTS_CACHE):
        assignments = list(ModeratorAssignment.objects.filter(user_id=user.pk).select_related("content_type"))
        setattr(user, _ASSIGNMENTS_CACHE, assignments)
    return getattr(user, _ASSIGNMENTS_CACHE)


def space_key(space: models.Model | None) -> tuple[int | None, str | None]:
    """(content type id, primary key as text) of a space, or (None, None) for no space."""
    if space is None:
        return None, None
    return ContentType.objects.get_for_model(space).pk, str(space.pk)


def _hidden_spaces(user) -> set[tuple[int, str]]:
    """Private spaces (core registry) this person may not see, loaded once per user object."""
    if not hasattr(user, _HIDDEN_SPACES_CACHE):
        setattr(user, _HIDDEN_SPACES_CACHE, registry.private_spaces_hidden_from(user))
    return getattr(user, _HIDDEN_SPACES_CACHE)


def user_moderates(user, space: models.Model | None) -> bool:
    """True when one of the person's assignments covers `space` (None: content outside any space)
    and the space is not private to others (a members-only forum they are not in)."""
    type_id, space_id = space_key(space)
    assignments = moderator_assignments_of(user)
    if space is None:
        return any(assignment.is_site_wide for assignment in assignments)
    if not any(assignment.covers(type_id, space_id) for assignment in assignments):
        return False
    return (type_id, space_id) not in _hidden_spaces(user)


def moderation_scope_q(user, *, type_field: str = "space_type", id_field: str = "space_id") -> Q | None:
    """A filter on (space type, space id) columns limited to the spaces `user` moderates.

    None means no limit (staff and site-wide moderators); an empty Q() never
    happens: a person without assignments gets a filter that matches nothing.
    """
    if getattr(user, "is_staff", False):
        return None
    assignments = moderator_assignments_of(user)
    if not assignments:
        return Q(pk__in=[])
    hidden = Q(pk__in=[])
    for type_id, space_id in _hidden_spaces(user):
        hidden |= Q(**{f"{type_field}_id": type_id, id_field: space_id})
    if any(assignment.is_site_wide for assignment in assignments):
        return ~hidden if _hidden_spaces(user) else None
    scope = Q(pk__in=[])
    for assignment in assignments:
        if assignment.object_id is None:
            scope |= Q(**{f"{type_field}_id": assignment.content_type_id})
        else:
            scope |= Q(**{f"{type_field}_id": assignment.content_type_id, id_field: assignment.object_id})
    return scope & ~hidden if _hidden_spaces(user) else scope


# ---------------------------------------------------------------- reportable content


def reportable_models() -> dict[str, type[Moderatable]]:
    """Registered reportable models by their "app_label.model" key."""
    return {model._meta.label_lower: model for model in models_with("reportable")}


def reportable_model_for_key(content_key: str) -> type[Moderatable]:
    model = reportable_models().get(content_key)
    if model is None:
        raise Http404("Unknown kind of content.")
    return model


def content_for_key(content_key: str, public_id: Any) -> Moderatable:
    """The reportable object behind a moderation URL, or 404."""
    model = reportable_model_for_key(content_key)
    try:
        return model.get_moderation_queryset().get(public_id=public_id)
    except (model.DoesNotExist, ValueError) as exc:
        raise Http404("No such content.") from exc


def content_reports(content: models.Model) -> models.QuerySet[Report]:
    """Every report of this content, newest first, with the people involved."""
    return Report.objects.for_content(content).select_related("reporter", "resolved_by")


# ---------------------------------------------------------------- the queue


class QueueStatus(models.TextChoices):
    OPEN = "open", _("awaiting a decision")
    RESOLVED = "resolved", _("decided")


@dataclass
class ReportGroup:
    """The reports of one piece of content, as the queue shows them."""

    content_type_id: int
    object_id: int
    report_count: int
    first_reported_at: datetime
    last_reported_at: datetime
    content: Moderatable | None = None
    reports: list[Report] = field(default_factory=list)

    @property
    def categories(self) -> list[tuple[str, int]]:
        """(category label, count), most frequent first."""
        counts: dict[str, int] = {}
        for report in self.reports:
            counts[report.category] = counts.get(report.category, 0) + 1
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return [(str(ReportCategory(value).label), count) for value, count in ordered]

    @property
    def notes(self) -> list[str]:
        return [report.note for report in self.reports if report.note]

    @property
    def kind(self) -> str:
        return str(self.content._meta.verbose_name) if self.content is not None else ""

    @property
    def decision_url(self) -> str:
        if self.content is None:
            return ""
        return reverse("moderation:content", args=[self.content.moderation_content_key, self.content.public_id])

    @property
    def content_url(self) -> str:
        get_absolute_url = getattr(self.content, "get_absolute_url", None)
        return get_absolute_url() if get_absolute_url is not None else ""


def _content_state_q(states: list[str]) -> Q:
    """Reports whose content is currently in one of `states`, across every reportable model, in one query."""
    condition = Q(pk__in=[])
    models_by_type = ContentType.objects.get_for_models(*reportable_models().values())
    for model, content_type in models_by_type.items():
        in_state = model._default_manager.filter(pk=OuterRef("object_id"), moderation_state__in=states)
        condition |= Q(content_type_id=content_type.pk) & Exists(in_state)
    return condition


def report_queue(
    user,
    *,
    status: str = QueueStatus.OPEN,
    content_state: str = "",
    page_number: Any = 1,
    per_page: int = 20,
) -> Page:
    """One page of reported content for a moderator, grouped by content.

    Scoped to the spaces the person moderates. Each group carries its content
    object and its reports; the number of queries does not grow with the page
    (one per kind of reported content at most).
    """
    reports = Report.objects.resolved() if status == QueueStatus.RESOLVED else Report.objects.open()
    scope = moderation_scope_q(user)
    if scope is not None:
        reports = reports.filter(scope)
    if content_state in ModerationState.values:
        reports = reports.filter(_content_state_q([content_state]))
    grouped = (
        reports.values("content_type_id", "object_id")
        .annotate(report_count=Count("id"), first=Min("created_at"), last=Max("created_at"))
        .order_by("-report_count", "-last", "object_id")
    )
    page = Paginator(grouped, per_page).get_page(page_number)
    groups = [
        ReportGroup(
            content_type_id=row["content_type_id"],
            object_id=row["object_id"],
            report_count=row["report_count"],
            first_reported_at=row["first"],
            last_reported_at=row["last"],
        )
        for row in page.object_list
    ]
    if groups:
        _attach_reports(groups, reports)
        _attach_content(groups)
    page.object_list = groups
    return page


def _attach_reports(groups: list[ReportGroup], reports: models.QuerySet[Report]) -> None:
    wanted = Q(pk__in=[])
    for group in groups:
        wanted |= Q(content_type_id=group.content_type_id, object_id=group.object_id)
    by_content = {(group.content_type_id, group.object_id): group for group in groups}
    for report in reports.filter(wanted).order_by("created_at"):
        by_content[(report.content_type_id, report.object_id)].reports.append(report)


def _attach_content(groups: list[ReportGroup]) -> None:
    ids_by_type: dict[int, list[int]] = {}
    for group in groups:
        ids_by_type.setdefault(group.content_type_id, []).append(group.object_id)
    for type_id, ids in ids_by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        queryset = model.get_moderation_queryset() if issubclass(model, Moderatable) else model._default_manager
        objects = {obj.pk: obj for obj in queryset.filter(pk__in=ids)}
        for group in groups:
            if group.content_type_id == type_id:
                group.content = objects.get(group.object_id)


def blocked_users() -> models.QuerySet[UserBlock]:
    return UserBlock.objects.select_related("user", "blocked_by").order_by("-created_at")
