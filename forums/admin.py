"""Django admin for forums: staff create forums and name their members and moderators.
Memberships go through the services, so a moderator role becomes a moderation
assignment on the forum and every change is in the audit log. Posts, threads and
questions are moderated in the moderation queue and on the thread pages, not here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from forums import services
from forums.models import Forum, Membership, Question, Thread


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    raw_id_fields = ["user"]
    fields = ["user", "role"]


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "visibility", "order"]
    list_filter = ["visibility"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ("title",)}
    inlines = [MembershipInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        forum = form.instance
        memberships = formset.save(commit=False)
        for removed in formset.deleted_objects:
            services.membership_remove(forum=forum, user=removed.user, actor=request.user)
        for membership in memberships:
            if membership.pk:
                previous = Membership.objects.select_related("user").get(pk=membership.pk)
                if previous.user_id != membership.user_id:
                    services.membership_remove(forum=forum, user=previous.user, actor=request.user)
            services.membership_set(forum=forum, user=membership.user, role=membership.role, actor=request.user)


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "forum", "kind", "author", "created_at", "closed_at", "moderation_state"]
    list_filter = ["kind", "forum", "moderation_state"]
    search_fields = ["title", "slug"]
    # Texts are edited by their authors and rendered by the services (sanitised): read-only here.
    readonly_fields = [
        "author",
        "source",
        "body",
        "public_id",
        "last_event_seq",
        "last_activity_at",
        "closed_at",
        "closed_by",
        "conclusion",
    ]
    fields = [
        "forum",
        "title",
        "slug",
        "kind",
        "author",
        "source",
        "body",
        "public_id",
        "last_activity_at",
        "last_event_seq",
        "closed_at",
        "closed_by",
        "conclusion",
    ]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "thread", "status", "pinned", "created_at"]
    list_filter = ["status"]
    search_fields = ["text"]
    raw_id_fields = ["author", "merged_into", "thread"]
    readonly_fields = ["public_id", "created_at", "answered_at"]
