from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from ..models import Jury, SelectionRun
from ..selectors import jury_get_public


def get_jury_for_user(request: HttpRequest, slug: str, *, manage: bool = False) -> Jury:
    """A published jury for anyone; any jury for staff. 403 for a staff-only action by someone else."""
    if manage:
        if not request.user.has_perm("juries.manage_jury"):
            raise PermissionDenied
        return get_object_or_404(Jury, slug=slug)
    jury = jury_get_public(slug)
    if jury is None:
        if request.user.has_perm("juries.manage_jury"):
            return get_object_or_404(Jury, slug=slug)
        raise Http404
    return jury


def get_run_for_user(request: HttpRequest, jury: Jury, public_id: str) -> SelectionRun:
    return get_object_or_404(SelectionRun, jury=jury, public_id=public_id)


def form_errors_to_form(form, error) -> None:
    """Attach a service's ValidationError to the form fields it names (or to the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
