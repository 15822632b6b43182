"""A link from the Wagtail admin menu to the verification back office and the desk."""

from __future__ import annotations

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


class StaffMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm("verification.work_at_desk")


@hooks.register("register_admin_menu_item")
def register_verification_menu_item() -> MenuItem:
    return StaffMenuItem(
        _("Verification and desk"), reverse_lazy("verification:staff_home"), icon_name="user", order=850
    )
