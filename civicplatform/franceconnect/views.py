"""FranceConnect login, first-login pseudonym, linking and logout.

Every view answers 404 while FRANCECONNECT_ENABLED is off. The protocol lives in
client.py, the session bookkeeping in sessions.py and the account writes in
services.py; a refused login ends on a localised error page (4xx, or 502 when
the provider cannot be reached) and leaves an audit row with the reason only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from civicplatform.franceconnect import client, services, sessions
from civicplatform.franceconnect.client import MESSAGE_RETRY, FranceConnectError
from civicplatform.franceconnect.conf import is_enabled
from civicplatform.franceconnect.forms import PseudonymForm
from civicplatform.franceconnect.selectors import email_in_use, franceconnect_identity_for_user

logger = logging.getLogger(__name__)

MESSAGE_EMAIL_IN_USE = gettext_lazy(
    "An account already uses the e-mail address sent by FranceConnect. Log in to that account with your "
    "password, then link FranceConnect from your account page."
)


def _enabled_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _rate(group: str, request: HttpRequest) -> str:
    return settings.FRANCECONNECT_RATE_LIMIT


def _absolute(url_name: str) -> str:
    # Built from SITE_URL, not from the request: it must match the URL registered with FranceConnect.
    return f"{settings.SITE_URL}{reverse(url_name)}"


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _error_page(
    request: HttpRequest, *, message: Any, status: int, retry: bool = True, action: tuple[str, Any] | None = None
) -> HttpResponse:
    """The friendly end of a refused step; `action` is an optional (url, label) way forward."""
    context = {"message": message, "retry": retry, "action": action}
    return render(request, "franceconnect/error.html", context, status=status)


def _refuse(request: HttpRequest, exc: FranceConnectError) -> HttpResponse:
    logger.warning("FranceConnect login refused: %s", exc.code)
    actor = request.user if request.user.is_authenticated else None
    services.franceconnect_failure_record(reason=exc.code, actor=actor)
    return _error_page(request, message=exc.message, status=exc.status)


def _too_many(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request, message=_("Too many attempts from your connection. Please wait a minute and try again."), status=429
    )


@_enabled_only
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_rate, method="POST", block=False)
def login(request: HttpRequest) -> HttpResponse:
    """GET: a page with the button. POST: go to FranceConnect (to log in, or to link when logged in)."""
    if request.method == "GET":
        next_url = _safe_next(request, request.GET.get("next"))
        return render(request, "franceconnect/login.html", {"redirect_field_value": next_url})
    if getattr(request, "limited", False):
        return _too_many(request)
    user_id = request.user.pk if request.user.is_authenticated else None
    state, nonce = sessions.login_begin(
        request, next_url=_safe_next(request, request.POST.get("next")), user_id=user_id
    )
    try:
        url = client.authorization_url(redirect_uri=_absolute("franceconnect:callback"), state=state, nonce=nonce)
    except FranceConnectError as exc:
        return _refuse(request, exc)
    return HttpResponseRedirect(url)


@_enabled_only
@require_GET
@ratelimit(key="ip", rate=_rate, block=False)
def callback(request: HttpRequest) -> HttpResponse:
    """FranceConnect sends the browser back here with a code (or an error) and our state."""
    if getattr(request, "limited", False):
        return _too_many(request)
    try:
        attempt = sessions.login_pop(request, request.GET.get("state", ""))
        if "error" in request.GET:
            if request.GET["error"] == "access_denied":
                messages.info(request, _("You cancelled the FranceConnect login."))
                return redirect("account_login")
            raise FranceConnectError("provider_error", status=400, message=MESSAGE_RETRY)
        code = request.GET.get("code", "")
        if not code:
            raise FranceConnectError("code_missing", status=400, message=MESSAGE_RETRY)
        identity, id_token = client.authenticate(
            code=code, nonce=attempt["nonce"], redirect_uri=_absolute("franceconnect:callback")
        )
    except FranceConnectError as exc:
        return _refuse(request, exc)

    next_url = attempt["next"]
    if attempt["user_id"] is not None:
        return _finish_link(request, attempt_user_id=attempt["user_id"], identity=identity, id_token=id_token)

    user = services.franceconnect_identity_login(identity=identity)
    if user is not None:
        return _finish_login(request, user=user, id_token=id_token, next_url=next_url)
    if identity.email and email_in_use(email=identity.email):
        # No silent merge with an existing account: its owner proves it with their password first.
        services.franceconnect_failure_record(reason="email_in_use")
        return _error_page(request, message=MESSAGE_EMAIL_IN_USE, status=409, retry=False)
    sessions.signup_begin(request, identity=identity, id_token=id_token, next_url=next_url)
    return redirect("franceconnect:pseudonym")


def _finish_login(
    request: HttpRequest, *, user: Any, id_token: str, next_url: str, signup: bool = False
) -> HttpResponse:
    response = perform_login(
        request,
        user,
        email_verification=EmailVerificationMethod.NONE,
        redirect_url=next_url or settings.LOGIN_REDIRECT_URL,
        signup=signup,
    )
    # After login: Django keeps session data across the key change, and logout needs the token.
    sessions.id_token_store(request, id_token)
    return response


def _finish_link(request: HttpRequest, *, attempt_user_id: int, identity: Any, id_token: str) -> HttpResponse:
    if not request.user.is_authenticated or request.user.pk != attempt_user_id:
        return _refuse(request, FranceConnectError("user_changed", status=403, message=MESSAGE_RETRY))
    try:
        services.franceconnect_identity_link(user=request.user, identity=identity)
    except ValidationError as exc:
        services.franceconnect_failure_record(reason=f"link_{exc.code}", actor=request.user)
        return _error_page(request, message=exc.messages[0], status=409, retry=False)
    sessions.id_token_store(request, id_token)
    messages.success(request, _("Your account is now linked to FranceConnect."))
    return redirect("accounts:profile")


@_enabled_only
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_rate, method="POST", block=False)
def pseudonym(request: HttpRequest) -> HttpResponse:
    """First FranceConnect login: the newcomer chooses how others will see them."""
    pending = sessions.signup_get(request)
    if pending is None:
        return _error_page(request, message=_("Your FranceConnect login has expired. Please start again."), status=400)
    identity, id_token, next_url = pending
    if request.method == "GET":
        return render(request, "franceconnect/pseudonym.html", {"form": PseudonymForm(), "email": identity.email})
    if getattr(request, "limited", False):
        return _too_many(request)
    form = PseudonymForm(request.POST)
    if form.is_valid():
        try:
            user = services.franceconnect_user_create(
                identity=identity,
                pseudonym=form.cleaned_data["pseudonym"],
                accepted_terms=form.cleaned_data["accept_terms"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                field = next(iter(exc.error_dict)) if len(exc.error_dict) == 1 else None
                form.add_error(field if field in form.fields else None, exc.messages)
            else:
                sessions.signup_end(request)
                return _error_page(request, message=exc.messages[0], status=409, retry=exc.code != "email_in_use")
        else:
            sessions.signup_end(request)
            messages.success(request, _("Welcome! Your account is ready."))
            return _finish_login(request, user=user, id_token=id_token, next_url=next_url, signup=True)
    return render(request, "franceconnect/pseudonym.html", {"form": form, "email": identity.email}, status=400)


@_enabled_only
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Log out here at once, then at FranceConnect when this session came from it.

    The local session ends before the browser leaves, so a person who closes the
    tab at FranceConnect (on a library computer, say) is not left logged in here.
    """
    id_token = sessions.id_token_get(request)
    if request.user.is_authenticated:
        get_account_adapter(request).logout(request)
    if id_token is None:
        return redirect("/")
    state = sessions.logout_begin(request)
    try:
        url = client.end_session_url(
            id_token=id_token, state=state, post_logout_redirect_uri=_absolute("franceconnect:logout_callback")
        )
    except FranceConnectError as exc:
        logger.warning("FranceConnect logout skipped: %s", exc.code)
        url = None
    if url is None:
        messages.warning(request, _("You are logged out here, but FranceConnect could not be reached."))
        return redirect("/")
    return HttpResponseRedirect(url)


@_enabled_only
@require_GET
def logout_callback(request: HttpRequest) -> HttpResponse:
    """FranceConnect sends the browser back here once its own session has ended."""
    if not sessions.logout_pop(request, request.GET.get("state", "")):
        return _refuse(request, FranceConnectError("logout_state_mismatch", status=400, message=MESSAGE_RETRY))
    if request.user.is_authenticated:
        get_account_adapter(request).logout(request)
    messages.success(request, _("You are logged out, here and on FranceConnect."))
    return redirect("/")


@_enabled_only
@require_POST
@login_required
def unlink(request: HttpRequest) -> HttpResponse:
    if franceconnect_identity_for_user(user=request.user) is None:
        raise Http404
    try:
        services.franceconnect_identity_unlink(user=request.user)
    except ValidationError as exc:
        action = (reverse("account_set_password"), _("Set a password"))
        return _error_page(request, message=exc.messages[0], status=400, retry=False, action=action)
    request.session.pop(sessions.ID_TOKEN_KEY, None)
    messages.success(request, _("Your account is no longer linked to FranceConnect."))
    return redirect("accounts:profile")
