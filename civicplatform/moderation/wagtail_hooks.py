"""Links from the Wagtail admin to the moderation queue and the audit log,
shown only to those allowed to open them."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_moderation_queue_menu_item() -> MenuItem:
    return PermissionMenuItem(
        _("Moderation"),
        reverse_lazy("moderation:queue"),
        name="moderation-queue",
        icon_name="warning",
        order=900,
        permission="moderation.view_queue",
    )


@hooks.register("register_admin_menu_item")
def register_audit_log_menu_item() -> MenuItem:
    return PermissionMenuItem(
        _("Audit log"),
        reverse_lazy("moderation:audit_log"),
        name="audit-log",
        icon_name="history",
        order=910,
        permission="core.view_audit_log",
    )
