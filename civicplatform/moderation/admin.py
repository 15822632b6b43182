"""Django admin for the people behind moderation. Decisions on content are taken
in the moderation queue; here staff name moderators, and both go through the
services so the audit log records them."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from civicplatform.moderation import services
from civicplatform.moderation.models import ModeratorAssignment, Report, UserBlock


class ModeratorAssignmentForm(forms.ModelForm):
    class Meta:
        model = ModeratorAssignment
        fields = ["user", "content_type", "object_id", "title", "is_elected_official"]

    def clean(self) -> dict:
        cleaned = super().clean()
        content_type, object_id = cleaned.get("content_type"), cleaned.get("object_id")
        if object_id and content_type is None:
            self.add_error("content_type", _("Choose the type of the space."))
        elif object_id:
            try:
                content_type.get_object_for_this_type(pk=object_id)
            except (ObjectDoesNotExist, ValueError, ValidationError):
                self.add_error("object_id", _("There is no space of this type with this identifier."))
        return cleaned


@admin.register(ModeratorAssignment)
class ModeratorAssignmentAdmin(admin.ModelAdmin):
    form = ModeratorAssignmentForm
    list_display = ["user", "title", "is_elected_official", "content_type", "object_id", "created_at"]
    list_filter = ["is_elected_official", "content_type"]
    search_fields = ["user__pseudonym", "user__email", "title"]
    raw_id_fields = ["user"]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # An assignment is granted or withdrawn, never edited in place: both leave an audit row.
        return False

    def save_model(self, request, obj, form, change) -> None:
        space = obj.space if obj.object_id else None
        created = services.moderator_assign(
            user=obj.user,
            actor=request.user,
            space=space,
            space_type=obj.content_type,
            title=obj.title,
            is_elected_official=obj.is_elected_official,
        )
        obj.pk = created.pk

    def delete_model(self, request, obj) -> None:
        services.moderator_unassign(assignment=obj, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for assignment in queryset:
            services.moderator_unassign(assignment=assignment, actor=request.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "category", "content_type", "object_id", "reporter", "resolution", "resolved_at"]
    list_filter = ["category", "resolution", "content_type"]
    list_select_related = ["content_type", "reporter"]


@admin.register(UserBlock)
class UserBlockAdmin(ReadOnlyAdmin):
    list_display = ["user", "blocked_by", "created_at"]
    list_select_related = ["user", "blocked_by"]
