from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import _get_ip
from django_ratelimit.decorators import ratelimit

from civicplatform.core.models import AuditEvent
from civicplatform.moderation import services
from civicplatform.moderation.forms import (
    BlockForm,
    DismissForm,
    HideForm,
    QueueFilterForm,
    ReportForm,
    RestoreForm,
    UnblockForm,
)
from civicplatform.moderation.models import Moderatable, UserBlock
from civicplatform.moderation.selectors import (
    QueueStatus,
    blocked_users,
    content_for_key,
    content_reports,
    report_queue,
    user_is_blocked,
)

# ---------------------------------------------------------------- access helpers


def get_content_for_moderation(request: HttpRequest, content_key: str, public_id: UUID) -> Moderatable:
    """The content behind a moderation URL: 404 if unknown, 403 unless the person moderates its space."""
    content = content_for_key(content_key, public_id)
    if not request.user.has_perm("moderation.moderate_content", content):
        raise PermissionDenied
    return content


def _client_ip_hash(request: HttpRequest) -> str:
    # django-ratelimit's own notion of the client address (RATELIMIT_IP_META_KEY behind
    # a proxy, IPv6 grouped by /64), so rate limit and reporter de-duplication agree.
    # Only a keyed hash is stored, never the address.
    return salted_hmac("moderation.report", _get_ip(request)).hexdigest()


def _back_url(request: HttpRequest, content: Moderatable, next_url: str) -> str:
    get_absolute_url = getattr(content, "get_absolute_url", None)
    if get_absolute_url is not None:
        return get_absolute_url()
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return "/"


def _report_refusal(request: HttpRequest, content: Moderatable) -> str:
    if content.is_hidden:
        return _("This content has already been hidden by moderation.")
    if request.user.is_authenticated and content.get_moderation_author_id() == request.user.pk:
        return _("You cannot report your own contribution. You can edit or delete it instead.")
    return _("Your account is blocked: you cannot report content.")


def _report_rate(group: str, request: HttpRequest) -> str:
    return settings.MODERATION_REPORT_RATE


# ---------------------------------------------------------------- reporting


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_report_rate, method="POST", block=False)
def report(request: HttpRequest, content_key: str, public_id: UUID) -> HttpResponse:
    """Anyone, even without an account, may report visible content."""
    content = content_for_key(content_key, public_id)
    next_url = request.POST.get("next", "") if request.method == "POST" else request.GET.get("next", "")
    context = {
        "content": content,
        "kind": content._meta.verbose_name,
        "back_url": _back_url(request, content, next_url),
    }
    if not request.user.has_perm("moderation.report_content", content):
        context["refusal"] = _report_refusal(request, content)
        return render(request, "moderation/report_refused.html", context, status=403)

    if request.method == "GET":
        context["form"] = ReportForm(initial={"next": next_url})
        return render(request, "moderation/report.html", context)

    form = context["form"] = ReportForm(request.POST)
    if getattr(request, "limited", False):
        messages.error(request, _("Too many reports from your connection. Please try again in a while."))
        return render(request, "moderation/report.html", context, status=429)
    if form.is_bot:
        # Look like a success so that the robot learns nothing; record nothing.
        messages.success(request, _("Thank you. Your report has been sent to the moderators."))
        return redirect(context["back_url"])
    if not form.is_valid():
        return render(request, "moderation/report.html", context, status=400)

    _report, created = services.report_create(
        content=content,
        category=form.cleaned_data["category"],
        note=form.cleaned_data["note"],
        reporter=request.user,
        ip_hash=_client_ip_hash(request),
    )
    if created:
        messages.success(request, _("Thank you. Your report has been sent to the moderators."))
    else:
        messages.info(request, _("You had already reported this content. The moderators will look at it."))
    return redirect(context["back_url"])


# ---------------------------------------------------------------- the queue


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Reported content in the spaces the person moderates, most reported first."""
    if not request.user.has_perm("moderation.view_queue"):
        raise PermissionDenied
    form = QueueFilterForm(request.GET)
    status_code = 200
    if form.is_valid():
        status = form.cleaned_data["status"] or QueueStatus.OPEN
        content_state = form.cleaned_data["content_state"]
    else:
        status, content_state, status_code = QueueStatus.OPEN, "", 400
    page = report_queue(request.user, status=status, content_state=content_state, page_number=request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "status": status,
        "query": _query_without_page(request),
    }
    return render(request, "moderation/queue.html", context, status=status_code)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# ---------------------------------------------------------------- decisions on one content


def _render_decision(request: HttpRequest, content: Moderatable, *, status: int = 200, **forms: Any) -> HttpResponse:
    author = content.get_moderation_author()
    reports = list(content_reports(content))
    get_absolute_url = getattr(content, "get_absolute_url", None)
    context = {
        "content": content,
        "kind": content._meta.verbose_name,
        "content_url": get_absolute_url() if get_absolute_url is not None else "",
        "author": author,
        "author_is_blocked": author is not None and user_is_blocked(author),
        "can_block_author": author is not None and request.user.has_perm("moderation.block_user", author),
        "reports": reports,
        "open_report_count": sum(1 for report in reports if report.is_open),
        "history": AuditEvent.objects.for_target(content).select_related("actor", "on_behalf_of")[:50],
        "hide_form": forms.get("hide_form") or HideForm(),
        "restore_form": forms.get("restore_form") or RestoreForm(),
        "dismiss_form": forms.get("dismiss_form") or DismissForm(),
        "block_form": forms.get("block_form") or BlockForm(),
    }
    return render(request, "moderation/content.html", context, status=status)


def _decided(request: HttpRequest, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("moderation:queue")


@login_required
@require_GET
def content_detail(request: HttpRequest, content_key: str, public_id: UUID) -> HttpResponse:
    """The content, its reports and its moderation history, with the decisions."""
    content = get_content_for_moderation(request, content_key, public_id)
    return _render_decision(request, content)


@login_required
@require_POST
def content_hide(request: HttpRequest, content_key: str, public_id: UUID) -> HttpResponse:
    content = get_content_for_moderation(request, content_key, public_id)
    form = HideForm(request.POST)
    if not form.is_valid():
        return _render_decision(request, content, hide_form=form, status=400)
    services.content_hide(content=content, actor=request.user, reason=form.cleaned_data["reason"])
    return _decided(request, _("The content is hidden. Readers see your reason in its place."))


@login_required
@require_POST
def content_restore(request: HttpRequest, content_key: str, public_id: UUID) -> HttpResponse:
    content = get_content_for_moderation(request, content_key, public_id)
    form = RestoreForm(request.POST)
    if form.is_valid():
        try:
            services.content_restore(content=content, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _decided(request, _("The content is visible again."))
    return _render_decision(request, content, restore_form=form, status=400)


@login_required
@require_POST
def reports_dismiss(request: HttpRequest, content_key: str, public_id: UUID) -> HttpResponse:
    content = get_content_for_moderation(request, content_key, public_id)
    form = DismissForm(request.POST)
    if form.is_valid():
        try:
            count = services.reports_dismiss(content=content, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            message = ngettext("%(count)d report dismissed.", "%(count)d reports dismissed.", count)
            return _decided(request, message % {"count": count})
    return _render_decision(request, content, dismiss_form=form, status=400)


@login_required
@require_POST
def author_block(request: HttpRequest, content_key: str, public_id: UUID) -> HttpResponse:
    content = get_content_for_moderation(request, content_key, public_id)
    author = content.get_moderation_author()
    if author is None:
        raise Http404("This content has no author to block.")
    if not request.user.has_perm("moderation.block_user", author):
        raise PermissionDenied
    form = BlockForm(request.POST)
    if form.is_valid():
        try:
            services.user_block(user=author, actor=request.user, reason=form.cleaned_data["reason"], content=content)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _decided(request, _("%(name)s is blocked.") % {"name": author.public_name})
    return _render_decision(request, content, block_form=form, status=400)


# ---------------------------------------------------------------- blocked people


def _render_blocked_users(request: HttpRequest, *, status: int = 200, bound: Any = None) -> HttpResponse:
    page = Paginator(blocked_users(), 50).get_page(request.GET.get("page"))
    rows = []
    for block in page.object_list:
        prefix = f"unblock-{block.public_id}"
        form = bound if bound is not None and bound.prefix == prefix else UnblockForm(prefix=prefix)
        rows.append((block, form))
    return render(request, "moderation/blocked_users.html", {"page": page, "rows": rows}, status=status)


@login_required
@require_GET
def blocked_user_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("moderation.block_user"):
        raise PermissionDenied
    return _render_blocked_users(request)


@login_required
@require_POST
def user_unblock(request: HttpRequest, block_id: UUID) -> HttpResponse:
    block = get_object_or_404(UserBlock.objects.select_related("user"), public_id=block_id)
    if not request.user.has_perm("moderation.block_user", block.user):
        raise PermissionDenied
    form = UnblockForm(request.POST, prefix=f"unblock-{block.public_id}")
    if not form.is_valid():
        return _render_blocked_users(request, status=400, bound=form)
    services.user_unblock(block=block, actor=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("%(name)s can contribute again.") % {"name": block.user.public_name})
    return redirect(reverse("moderation:blocked_users"))
