from __future__ import annotations

import uuid

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from civicplatform.core.registry import has_capability
from civicplatform.notifications import kinds, selectors, services
from civicplatform.notifications.forms import FollowForm, PreferencesForm
from civicplatform.notifications.models import Notification
from civicplatform.notifications.tokens import unsubscribe_token_read

PAGE_SIZE = 20


def _safe_next(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


# ---------------------------------------------------------------------------- in-app list


@login_required
@require_http_methods(["GET", "HEAD"])
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notification_list_for_user(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/list.html",
        {"page_obj": page, "unread": selectors.unread_count(user=request.user)},
    )


@login_required
@require_POST
def notification_mark_read(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    # Someone else's notification is a 404: its existence is not ours to reveal.
    notification = get_object_or_404(Notification, public_id=public_id, recipient=request.user)
    services.notification_mark_read(user=request.user, notification=notification)
    return redirect(_safe_next(request, fallback=reverse("notifications:list")))


@login_required
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect(reverse("notifications:list"))


# ---------------------------------------------------------------------------- preferences


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    current = selectors.delivery_modes_for_user(user=request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST, current=current)
        if form.is_valid():
            services.preferences_update(user=request.user, choices=form.cleaned_data)
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("notifications:preferences")
        return render(request, "notifications/preferences.html", {"form": form}, status=400)
    return render(request, "notifications/preferences.html", {"form": PreferencesForm(current=current)})


# ---------------------------------------------------------------------------- one-click unsubscribe


# The link arrives by e-mail and mail providers POST to it without a session
# (RFC 8058): the signed token is the proof, so this one view is exempt from CSRF.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        claim = unsubscribe_token_read(token)
    except signing.SignatureExpired:
        return _unsubscribe_invalid(request, expired=True)
    except signing.BadSignature:
        return _unsubscribe_invalid(request, expired=False)
    user = get_user_model().objects.filter(pk=claim.user_id, is_active=True, erased_at__isnull=True).first()
    kind_list = [kinds.get_kind(key) for key in claim.kinds if kinds.is_registered(key)]
    if user is None or not kind_list:
        return _unsubscribe_invalid(request, expired=False)
    if request.method == "POST":
        if is_ratelimited(
            request,
            group="notifications.unsubscribe",
            key="ip",
            rate=settings.NOTIFICATIONS_UNSUBSCRIBE_RATE,
            method="POST",
            increment=True,
        ):
            return render(request, "notifications/rate_limited.html", status=429)
        services.unsubscribe(user=user, kind_keys=[kind.key for kind in kind_list])
        return render(request, "notifications/unsubscribe_done.html", {"kinds": kind_list})
    return render(request, "notifications/unsubscribe_confirm.html", {"kinds": kind_list})


def _unsubscribe_invalid(request: HttpRequest, *, expired: bool) -> HttpResponse:
    return render(request, "notifications/unsubscribe_invalid.html", {"expired": expired}, status=400)


# ---------------------------------------------------------------------------- follow


def _get_followable_for_user(request: HttpRequest, model_key: str, ref: str) -> models.Model:
    """The followable object named in the URL, or 404: unknown model, model not registered as
    followable, malformed reference, or an object this person may not see."""
    try:
        model = apps.get_model(model_key)
    except (LookupError, ValueError):
        raise Http404 from None
    if not has_capability("followable", model):
        raise Http404
    queryset = model._default_manager.all()
    if hasattr(queryset, "visible_to"):
        queryset = queryset.visible_to(request.user)
    if hasattr(queryset, "live") and hasattr(queryset, "public"):
        queryset = queryset.live().public()  # Wagtail pages: published and without view restriction
    try:
        model._meta.get_field("public_id")
        lookup = {"public_id": uuid.UUID(ref)}
    except FieldDoesNotExist:
        if not ref.isdigit():
            raise Http404 from None
        lookup = {"pk": int(ref)}
    except ValueError:
        raise Http404 from None
    return get_object_or_404(queryset, **lookup)


def _object_url(obj: models.Model) -> str:
    url = getattr(obj, "url", None) if hasattr(obj, "live") else None
    if url is None and hasattr(obj, "get_absolute_url"):
        url = obj.get_absolute_url()
    return url or "/"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def follow(request: HttpRequest, model: str, ref: str) -> HttpResponse:
    target = _get_followable_for_user(request, model, ref)
    target_url = _object_url(target)
    form = FollowForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            if form.cleaned_data["action"] == FollowForm.FOLLOW:
                services.follow(user=request.user, target=target)
                messages.success(
                    request, _("You follow “%(name)s”: you will be notified of its news.") % {"name": target}
                )
            else:
                services.unfollow(user=request.user, target=target)
                messages.success(request, _("You no longer follow “%(name)s”.") % {"name": target})
            return redirect(_safe_next(request, fallback=target_url))
        status = 400
    else:
        status = 200
    context = {
        "form": form,
        "object": target,
        "object_url": target_url,
        "following": selectors.is_following(user=request.user, target=target),
    }
    return render(request, "notifications/follow.html", context, status=status)
