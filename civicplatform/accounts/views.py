"""A person's own account pages under /moi/: profile, "download my data", "delete my account".

Sign-up, login, e-mail, password and two-factor pages are allauth's, under /comptes/,
with our templates (templates/account/, templates/mfa/).
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civicplatform.accounts import selectors, services
from civicplatform.accounts.forms import EraseAccountForm, ProfileForm
from civicplatform.accounts.models import DataExport, DataExportStatus, User
from civicplatform.accounts.storage import private_storage

# People without a password (signed in through an identity provider) confirm a
# deletion by having signed in recently instead.
ERASE_RECENT_LOGIN = timedelta(minutes=15)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    # A fresh copy: an invalid form must not change the request.user shown in the page.
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=request.user.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                user=request.user,
                pseudonym=form.cleaned_data["pseudonym"],
                district=form.cleaned_data["district"],
                birth_year=form.cleaned_data["birth_year"],
                postal_code=form.cleaned_data["postal_code"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    status = 400 if form.errors else 200
    return render(request, "accounts/profile.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def data_export(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        try:
            services.data_export_request(user=request.user, language=request.LANGUAGE_CODE)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            status = 429
        else:
            messages.success(
                request,
                _("We are preparing your archive. You will receive an e-mail with a download link, valid 7 days."),
            )
            return redirect("accounts:data_export")
    exports = selectors.data_exports_for_user(user=request.user)
    return render(
        request,
        "accounts/data_export.html",
        {"exports": exports, "valid_days": DataExport.VALID_FOR_DAYS},
        status=status,
    )


@login_required
@require_GET
def data_export_download(request: HttpRequest, token: str) -> HttpResponse:
    export = selectors.data_export_get_for_owner(user=request.user, token=token)
    if export.status == DataExportStatus.EXPIRED or export.is_expired:
        return render(request, "accounts/data_export_expired.html", {"export": export}, status=410)
    if not export.is_downloadable:
        raise Http404
    # Translators: start of the downloaded file's name, without spaces or accents.
    stem = _("my-data")
    filename = f"{stem}-{timezone.localdate(export.completed_at):%Y-%m-%d}.zip"
    response = FileResponse(
        private_storage().open(export.file_path, "rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/zip",
    )
    # Personal data: never kept by a shared cache or the browser's history cache.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_erase(request: HttpRequest) -> HttpResponse:
    user = request.user
    needs_recent_login = not user.has_usable_password() and (
        user.last_login is None or timezone.now() - user.last_login > ERASE_RECENT_LOGIN
    )
    form = EraseAccountForm(request.POST or None, user=user)
    if request.method == "POST" and not needs_recent_login and form.is_valid():
        services.user_erase(user=user)
        logout(request)
        messages.success(
            request,
            _("Your account has been deleted. Your contributions remain, signed “Deleted participant”."),
        )
        return redirect("/")
    status = 400 if form.errors or (request.method == "POST" and needs_recent_login) else 200
    context = {
        "form": form,
        "needs_recent_login": needs_recent_login,
        "recent_minutes": int(ERASE_RECENT_LOGIN.total_seconds() // 60),
    }
    return render(request, "accounts/erase.html", context, status=status)


@require_GET
def admin_login(request: HttpRequest) -> HttpResponse:
    """Where the back office sends people it refuses.

    A visitor logs in first. A logged-in person without back-office access gets a plain
    refusal: sending them to the login page would bounce them straight back to /admin/,
    and round again, because they are already logged in.
    """
    if not request.user.is_authenticated:
        login = reverse("account_login")
        target = request.GET.get("next")
        return redirect(f"{login}?{urlencode({'next': target})}" if target else login)
    return render(request, "errors/403.html", status=403)
