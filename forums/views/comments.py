"""Comment actions. Each works without JavaScript: a form POST, then a redirect back
to the commented page, anchored to the comment (Post/Redirect/Get)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from forums import services
from forums.forms import CommentForm, DeleteCommentForm, ReactionForm, comment_form_for, discussion_is_private
from forums.models import Comment, CommentSort
from forums.predicates import target_is_viewable
from forums.selectors import (
    PAGE_PARAM,
    SORT_PARAM,
    get_comment,
    get_commentable_target,
    target_url,
)
from forums.text import quote_text
from frontend.views import bad_request


def _back_url(request: HttpRequest, target: Any) -> str:
    """Where to return: the page the form was posted from (it carries the sort and
    page of the comments list), if it is on this site; else the target's own page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate.split("#", 1)[0]
    return target_url(target, request)


def _anchored(url: str, comment: Comment) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{url}#{comment.anchor}")


def _newest_first(url: str) -> str:
    # A new top-level comment is at the top of page one when sorted newest first.
    parts = urlsplit(url)
    query = QueryDict(parts.query, mutable=True)
    query[SORT_PARAM] = CommentSort.NEWEST
    query.pop(PAGE_PARAM, None)
    return urlunsplit(parts._replace(query=query.urlencode()))


def _add_errors(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _refused(request: HttpRequest, refusal: PermissionDenied, back: str) -> HttpResponse:
    return render(
        request, "forums/refused.html", {"reason": str(refusal) or _("You cannot do this."), "back": back}, status=403
    )


def _form_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "forums/comment_form.html", context, status=status)


def _get_comment_for_user(request: HttpRequest, public_id: UUID, perm: str) -> Comment:
    """The comment, 404 when it (or its target) is not shown, 403 when the user may not take this action."""
    comment = get_comment(public_id, request.user)
    if not request.user.has_perm(perm, comment):
        raise PermissionDenied
    return comment


@require_POST
def comment_create(request: HttpRequest, target_label: str, target_key: str) -> HttpResponse:
    target = get_commentable_target(target_label, target_key)
    if not target_is_viewable(request.user, target):
        raise Http404
    back = _back_url(request, target)
    if not request.user.is_authenticated:
        return redirect_to_login(f"{back}#comments")
    form = comment_form_for(target)(request.POST, private=discussion_is_private(target))
    status = 400
    if form.is_valid():
        try:
            comment = services.comment_create(
                author=request.user,
                target=target,
                text=form.cleaned_data["text"],
                alignment=form.cleaned_data.get("alignment", ""),
            )
        except PermissionDenied as refusal:
            return _refused(request, refusal, back)
        except services.CommentRateLimited as error:
            form.add_error(None, error.message)
            status = 429
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your comment has been published."))
            return _anchored(_newest_first(back), comment)
    context = {
        "heading": _("Post a comment"),
        "form": form,
        "target": target,
        "back": back,
        "action": reverse("forums:comment_create", args=[target_label, target_key]),
        "submit_label": _("Publish"),
    }
    return _form_page(request, context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def comment_reply(request: HttpRequest, public_id: UUID) -> HttpResponse:
    parent = get_comment(public_id, request.user)
    target = parent.target
    back = _back_url(request, target)
    try:
        services.ensure_can_comment(user=request.user, target=target, parent=parent)
    except PermissionDenied as refusal:
        return _refused(request, refusal, back)
    # "Quote": the reply starts with the quoted comment, which its author may trim.
    initial = {"text": quote_text(parent.source)} if request.GET.get("citer") else {}
    form = CommentForm(request.POST or None, initial=initial, private=discussion_is_private(target))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                comment = services.comment_create(
                    author=request.user, target=target, text=form.cleaned_data["text"], parent=parent
                )
            except PermissionDenied as refusal:
                return _refused(request, refusal, back)
            except services.CommentRateLimited as error:
                form.add_error(None, error.message)
                status = 429
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Your reply has been published."))
                return _anchored(back, comment)
    context = {
        "heading": _("Reply to %(name)s") % {"name": parent.author_name},
        "form": form,
        "target": target,
        "quoted": parent,
        "back": back,
        "action": reverse("forums:comment_reply", args=[parent.public_id]),
        "submit_label": _("Publish the reply"),
    }
    return _form_page(request, context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def comment_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    comment = get_comment(public_id, request.user)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    target = comment.target
    back = _back_url(request, target)
    try:
        services.ensure_can_edit(comment=comment, editor=request.user)
    except PermissionDenied as refusal:
        return _refused(request, refusal, back)
    form = CommentForm(request.POST or None, initial={"text": comment.source}, private=discussion_is_private(target))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.comment_edit(comment=comment, editor=request.user, text=form.cleaned_data["text"])
            except PermissionDenied as refusal:
                return _refused(request, refusal, back)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Your comment has been updated."))
                return _anchored(back, comment)
    context = {
        "heading": _("Edit your comment"),
        "form": form,
        "target": target,
        "back": back,
        "action": reverse("forums:comment_edit", args=[comment.public_id]),
        "submit_label": _("Save the changes"),
    }
    return _form_page(request, context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def comment_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    comment = _get_comment_for_user(request, public_id, "forums.delete_comment")
    back = _back_url(request, comment.target)
    # A moderator removing someone else's words must say why (it goes to the audit log).
    needs_reason = comment.author_id != request.user.pk
    form = DeleteCommentForm(request.POST or None) if needs_reason else None
    status = 200
    if request.method == "POST":
        status = 400
        if form is None or form.is_valid():
            reason = form.cleaned_data["reason"] if form is not None else ""
            try:
                services.comment_delete(comment=comment, actor=request.user, reason=reason)
            except ValidationError as error:
                if form is None:
                    raise
                _add_errors(form, error)
            else:
                messages.success(request, _("The comment has been deleted."))
                return _anchored(back, comment)
    context = {"comment": comment, "form": form, "back": back, "target": comment.target}
    return render(request, "forums/comment_delete.html", context, status=status)


@require_POST
def comment_react(request: HttpRequest, public_id: UUID) -> HttpResponse:
    comment = get_comment(public_id, request.user)
    back = _back_url(request, comment.target)
    if not request.user.is_authenticated:
        return redirect_to_login(f"{back}#{comment.anchor}")
    form = ReactionForm(request.POST)
    if not form.is_valid():
        return bad_request(request)
    try:
        services.comment_react(comment=comment, user=request.user, value=form.cleaned_data["value"])
    except PermissionDenied as refusal:
        return _refused(request, refusal, back)
    return _anchored(back, comment)
