"""Writes of participatory budgets: proposals, supports, technical review, shortlist, follow-up.

Every service checks its permission (django-rules, budgets/rules.py) for the
person concerned, writes in one transaction with an audit row, and sends
notifications only once the transaction has committed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicplatform.core.services import audit_record
from civicplatform.notifications import kinds
from civicplatform.notifications.services import notify, notify_followers

from . import selectors
from .models import (
    IMPLEMENTATION_STATUSES,
    Budget,
    BudgetProcess,
    Category,
    Milestone,
    Project,
    ProjectPhoto,
    ProjectStatus,
    Support,
)

# Notification kind for the authors of projects (review decisions, shortlist, follow-up).
PROJECT_AUTHOR_KIND = "budgets.project"


def register_notification_kinds() -> None:
    kinds.register_kind(
        PROJECT_AUTHOR_KIND,
        gettext_lazy("My participatory budget projects"),
        kinds.DeliveryMode.IMMEDIATE,
        gettext_lazy("When a project you proposed is reviewed, shortlisted or makes progress."),
        order=40,
    )


@dataclass(frozen=True)
class PhotoUpload:
    file: UploadedFile
    alt_text: str


def _refuse(decision_reason: str) -> PermissionDenied:
    return PermissionDenied(decision_reason or _("You cannot do this now."))


def _notify_author_and_followers(project: Project, *, actor: Any, title: str, body: str = "") -> None:
    """After commit: the author (their own kind of notification) and the followers (the rest)."""
    url = project.get_absolute_url()
    author = project.author
    if author is not None:
        notify(
            recipients=[author], kind=PROJECT_AUTHOR_KIND, target=project, actor=actor, title=title, body=body, url=url
        )
    notify_followers(
        target=project, actor=actor, title=title, body=body, url=url, exclude=[author] if author is not None else []
    )


def _on_commit_notify(project: Project, *, actor: Any, title: str, body: str = "") -> None:
    transaction.on_commit(partial(_notify_author_and_followers, project, actor=actor, title=title, body=body))


# ---------------------------------------------------------------- proposals


def project_submit(
    *,
    process: BudgetProcess,
    author: Any,
    budget: Budget,
    title: str,
    summary: str = "",
    description: str = "",
    cost: int,
    category: Category | None = None,
    district: Any = None,
    address: str = "",
    latitude: Any = None,
    longitude: Any = None,
    photos: Iterable[PhotoUpload] = (),
    actor: Any = None,
    on_behalf_of: Any = None,
) -> Project:
    """Record a resident's project idea, with its photos, awaiting technical review.

    `author` is the person proposing (at the desk, the person helped; `actor` is
    then the staff member and `on_behalf_of` the person).
    """
    if not author.has_perm("budgets.submit_project", process):
        raise _refuse(selectors.submit_decision(process, author).reason)
    if budget.process_id != process.pk:
        raise ValidationError({"budget": _("This budget belongs to another process.")})
    if cost > budget.amount:
        raise ValidationError(
            {
                "cost": _("This is more than the whole “%(budget)s” budget (%(amount)s euros).")
                % {"budget": budget.name, "amount": formats.number_format(budget.amount, force_grouping=True)}
            }
        )
    if category is not None and category.process_id != process.pk:
        raise ValidationError({"category": _("This category belongs to another process.")})
    if budget.district_id is not None:
        # A district budget funds projects in that district.
        if district is not None and district.pk != budget.district_id:
            raise ValidationError(
                {"district": _("The %(budget)s budget only funds projects in its district.") % {"budget": budget.name}}
            )
        district = budget.district
    project = Project(
        process=process,
        budget=budget,
        title=title.strip(),
        summary=summary.strip(),
        description=description.strip(),
        cost=cost,
        category=category,
        district=district,
        address=address.strip(),
        latitude=latitude,
        longitude=longitude,
        author=author,
        status=ProjectStatus.SUBMITTED,
    )
    project.full_clean()
    with transaction.atomic():
        project.save()
        for position, photo in enumerate(photos):
            item = ProjectPhoto(project=project, image=photo.file, alt_text=photo.alt_text.strip(), position=position)
            item.full_clean(exclude=["project"])
            item.save()
        audit_record(
            action="budgets.project_submit",
            actor=actor or author,
            on_behalf_of=on_behalf_of,
            target=project,
            data={"process": process.slug, "budget": budget.slug, "cost": cost},
        )
    return project


# ---------------------------------------------------------------- supports


def project_support_toggle(*, project: Project, person: Any, actor: Any = None, on_behalf_of: Any = None) -> bool:
    """Support `project`, or withdraw the support if `person` already gave it; returns True when supported.

    One support per person and project, guaranteed by a unique constraint even
    when two requests cross.
    """
    if not person.has_perm("budgets.support_project", project):
        raise _refuse(selectors.support_decision(project, person).reason)
    with transaction.atomic():
        deleted, _rows = Support.objects.filter(project=project, user=person).delete()
        if deleted:
            supported = False
        else:
            try:
                with transaction.atomic():
                    Support.objects.create(project=project, user=person)
            except IntegrityError:
                # A concurrent request recorded the same support: the person supports it.
                return True
            supported = True
        audit_record(
            action="budgets.support" if supported else "budgets.support_withdraw",
            actor=actor or person,
            on_behalf_of=on_behalf_of,
            target=project,
        )
    return supported


# ---------------------------------------------------------------- technical review


def _ensure_reviewer(reviewer: Any, process: BudgetProcess) -> None:
    if not reviewer.has_perm("budgets.review_project", process):
        raise PermissionDenied(_("Projects can only be reviewed by evaluators, and only until the vote opens."))


def project_review(
    *,
    project: Project,
    reviewer: Any,
    status: str,
    reason: str = "",
    final_cost: int | None = None,
) -> Project:
    """Record the technical review: feasible (with the reviewed cost) or not feasible (with a public reason)."""
    _ensure_reviewer(reviewer, project.process)
    if status not in (ProjectStatus.FEASIBLE, ProjectStatus.UNFEASIBLE, ProjectStatus.SUBMITTED):
        raise ValidationError({"status": _("Choose feasible or not feasible.")})
    reason = reason.strip()
    if status == ProjectStatus.UNFEASIBLE and not reason:
        raise ValidationError({"reason": _("Explain publicly why the project is not feasible.")})
    if project.status == ProjectStatus.MERGED:
        raise ValidationError(_("This project was merged into another one; review that project instead."))
    previous = project.status
    project.status = status
    project.review_reason = reason
    project.final_cost = final_cost
    project.reviewed_at = timezone.now()
    project.merged_into = None
    project.full_clean()
    with transaction.atomic():
        project.save(
            update_fields=["status", "review_reason", "final_cost", "reviewed_at", "merged_into", "updated_at"]
        )
        audit_record(
            action="budgets.project_review",
            actor=reviewer,
            target=project,
            reason=reason,
            data={"from": previous, "to": status, "final_cost": final_cost},
        )
        if status != previous and status != ProjectStatus.SUBMITTED:
            _on_commit_notify(
                project,
                actor=reviewer,
                title=_("Project “%(title)s”: %(status)s")
                % {"title": project.title, "status": project.get_status_display()},
                body=reason,
            )
    return project


def project_merge(*, project: Project, into: Project, reviewer: Any, reason: str = "") -> Project:
    """Merge a duplicate into another project of the same process; its supports follow it."""
    _ensure_reviewer(reviewer, project.process)
    if into.pk == project.pk or into.process_id != project.process_id:
        raise ValidationError({"into": _("Choose another project of the same process.")})
    if into.status in (ProjectStatus.MERGED, ProjectStatus.WITHDRAWN):
        raise ValidationError({"into": _("This project can no longer receive merged projects.")})
    reason = reason.strip() or _("Merged with a similar project: “%(title)s”.") % {"title": into.title}
    with transaction.atomic():
        supporters = Support.objects.filter(project=project).exclude(
            user_id__in=Support.objects.filter(project=into).values("user_id")
        )
        supporters.update(project=into)
        Support.objects.filter(project=project).delete()
        # Projects merged into this one now point at the target: no chains of merges.
        Project.objects.filter(merged_into=project).update(merged_into=into)
        project.status = ProjectStatus.MERGED
        project.merged_into = into
        project.review_reason = reason
        project.reviewed_at = timezone.now()
        project.save(update_fields=["status", "merged_into", "review_reason", "reviewed_at", "updated_at"])
        audit_record(
            action="budgets.project_merge",
            actor=reviewer,
            target=project,
            reason=reason,
            data={"into": str(into.public_id)},
        )
        _on_commit_notify(
            project,
            actor=reviewer,
            title=_("Project “%(title)s” merged into “%(into)s”") % {"title": project.title, "into": into.title},
            body=reason,
        )
    return project


def process_shortlist_select(*, process: BudgetProcess, actor: Any, per_budget: int) -> list[Project]:
    """Shortlist, in each budget, the `per_budget` feasible projects with the most supports.

    Ties at the cut are all kept: refusing one of two equally supported projects
    would need a rule nobody voted for. Projects shortlisted before are kept.
    """
    if not actor.has_perm("budgets.select_shortlist", process):
        raise PermissionDenied(_("The shortlist can only be chosen by evaluators, before the vote opens."))
    if per_budget < 1:
        raise ValidationError({"per_budget": _("Shortlist at least one project per budget.")})
    chosen: list[Project] = []
    with transaction.atomic():
        for budget in process.budgets.all():
            candidates = list(
                Project.objects.filter(process=process, budget=budget, status=ProjectStatus.FEASIBLE)
                .annotate(support_count=Count("supports"))
                .order_by("-support_count", "created_at", "pk")
            )
            if not candidates:
                continue
            cut = candidates[min(per_budget, len(candidates)) - 1].support_count
            chosen.extend(project for project in candidates if project.support_count >= cut)
        Project.objects.filter(pk__in=[project.pk for project in chosen]).update(
            status=ProjectStatus.SHORTLISTED, updated_at=timezone.now()
        )
        audit_record(
            action="budgets.shortlist_select",
            actor=actor,
            target=process,
            data={"per_budget": per_budget, "projects": [str(project.public_id) for project in chosen]},
        )
        for project in chosen:
            project.status = ProjectStatus.SHORTLISTED
            _on_commit_notify(
                project, actor=actor, title=_("Project “%(title)s” is on the ballot") % {"title": project.title}
            )
    return chosen


# ---------------------------------------------------------------- implementation follow-up


def _ensure_tracker(actor: Any, project: Project) -> None:
    if not actor.has_perm("budgets.edit_milestones", project):
        raise PermissionDenied(_("Only the implementation team can update a selected project, once the vote is over."))


def _sync_progress(project: Project) -> None:
    """The project shows the progress of its latest milestone; 100 % completes it."""
    latest = project.milestones.order_by("-date", "-pk").first()
    progress = latest.progress if latest else 0
    status = project.status
    if status in IMPLEMENTATION_STATUSES:
        if progress >= 100:
            status = ProjectStatus.COMPLETED
        elif progress > 0:
            status = ProjectStatus.IN_PROGRESS
        else:
            status = ProjectStatus.SELECTED
    project.progress = progress
    project.status = status
    project.save(update_fields=["progress", "status", "updated_at"])


def milestone_create(
    *,
    project: Project,
    actor: Any,
    date: datetime.date,
    title: str,
    description: str = "",
    progress: int = 0,
    status: str = "",
    photo: UploadedFile | None = None,
    photo_alt_text: str = "",
) -> Milestone:
    """Add a step of the implementation; followers and the author are told once it is saved."""
    _ensure_tracker(actor, project)
    milestone = Milestone(
        project=project,
        date=date,
        title=title.strip(),
        description=description.strip(),
        progress=progress,
        status=status.strip(),
        photo=photo or "",
        photo_alt_text=photo_alt_text.strip(),
    )
    milestone.full_clean()
    with transaction.atomic():
        milestone.save()
        _sync_progress(project)
        audit_record(
            action="budgets.milestone_create",
            actor=actor,
            target=project,
            data={"milestone": str(milestone.public_id), "progress": progress},
        )
        _on_commit_notify(
            project,
            actor=actor,
            title=_("“%(project)s”: %(milestone)s (%(progress)d %%)")
            % {"project": project.title, "milestone": milestone.title, "progress": progress},
            body=milestone.description,
        )
    return milestone


def milestone_update(
    *,
    milestone: Milestone,
    actor: Any,
    date: datetime.date,
    title: str,
    description: str = "",
    progress: int = 0,
    status: str = "",
    photo: UploadedFile | None = None,
    photo_alt_text: str = "",
    remove_photo: bool = False,
) -> Milestone:
    """Correct a milestone; followers and the author are told of the new state."""
    project = milestone.project
    _ensure_tracker(actor, project)
    milestone.date = date
    milestone.title = title.strip()
    milestone.description = description.strip()
    milestone.progress = progress
    milestone.status = status.strip()
    milestone.photo_alt_text = photo_alt_text.strip()
    if photo:
        milestone.photo = photo
    elif remove_photo:
        milestone.photo = ""
        milestone.photo_alt_text = ""
    milestone.full_clean()
    with transaction.atomic():
        milestone.save()
        _sync_progress(project)
        audit_record(
            action="budgets.milestone_update",
            actor=actor,
            target=project,
            data={"milestone": str(milestone.public_id), "progress": progress},
        )
        _on_commit_notify(
            project,
            actor=actor,
            title=_("“%(project)s”: %(milestone)s (%(progress)d %%)")
            % {"project": project.title, "milestone": milestone.title, "progress": progress},
            body=milestone.description,
        )
    return milestone


def milestone_delete(*, milestone: Milestone, actor: Any) -> None:
    """Remove a milestone entered by mistake (audited; nobody is notified)."""
    project = milestone.project
    _ensure_tracker(actor, project)
    with transaction.atomic():
        audit_record(
            action="budgets.milestone_delete",
            actor=actor,
            target=project,
            data={"milestone": str(milestone.public_id), "title": milestone.title},
        )
        milestone.delete()
        _sync_progress(project)
