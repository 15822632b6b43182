"""Writes about accounts: profile, sessions, personal data export and erasure."""

from __future__ import annotations

import csv
import io
import json
import logging
import zipfile
from datetime import timedelta
from functools import partial
from importlib import import_module
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicplatform.accounts.models import (
    DataExport,
    DataExportStatus,
    LoginSession,
    User,
    VerificationLevel,
)
from civicplatform.accounts.selectors import personal_data_collect
from civicplatform.accounts.storage import private_storage
from civicplatform.core.registry import erasure_hooks
from civicplatform.core.services import audit_record
from civicplatform.territory.models import District

logger = logging.getLogger(__name__)

# A person may ask for a new archive once an hour: building one reads every app.
DATA_EXPORT_MIN_INTERVAL = timedelta(hours=1)
# Rows are kept a while after the link expired so that an old link answers 410, not 404.
DATA_EXPORT_ROW_RETENTION = timedelta(days=30)


# ------------------------------------------------------------------------------
# Profile
# ------------------------------------------------------------------------------
def profile_update(
    *,
    user: User,
    pseudonym: str,
    district: District | None,
    birth_year: int | None,
    postal_code: str,
) -> User:
    """Save what a person may change about themselves. Raises ValidationError on a taken pseudonym."""
    user.pseudonym = pseudonym
    user.district = district
    user.birth_year = birth_year
    user.postal_code = postal_code
    try:
        with transaction.atomic():
            user.save(update_fields=["pseudonym", "district", "birth_year", "postal_code"])
    except IntegrityError:
        # The form checked the pseudonym; someone took it in between.
        raise ValidationError(
            {"pseudonym": _("This pseudonym has just been taken. Please choose another one.")}
        ) from None
    return user


def user_mark_email_confirmed(*, user: User) -> User:
    """A confirmed e-mail address is the first verification level."""
    if user.verification_level < VerificationLevel.EMAIL:
        user.verification_level = VerificationLevel.EMAIL
        user.save(update_fields=["verification_level"])
    return user


# ------------------------------------------------------------------------------
# Sessions
# ------------------------------------------------------------------------------
def login_session_record(*, user: User, session_key: str | None) -> None:
    """Note that `session_key` belongs to `user`, so that their sessions can be ended later."""
    if not session_key or not user.pk:
        return
    LoginSession.objects.update_or_create(session_key=session_key, defaults={"user": user})
    # Forget sessions that have expired by now, whatever the session engine.
    too_old = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    LoginSession.objects.filter(user=user, created_at__lt=too_old).delete()


def _delete_sessions(session_keys: list[str]) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in session_keys:
        store(session_key=key).delete()


def sessions_end_for_user(*, user: User) -> int:
    """Sign `user` out of every browser. The session store is changed once the transaction commits."""
    keys = list(LoginSession.objects.filter(user=user).values_list("session_key", flat=True))
    LoginSession.objects.filter(user=user).delete()
    transaction.on_commit(partial(_delete_sessions, keys))
    return len(keys)


# ------------------------------------------------------------------------------
# "Download my data"
# ------------------------------------------------------------------------------
def data_export_request(*, user: User, language: str) -> DataExport:
    """Record a request for a copy of one's data; the archive is built by a task after commit."""
    from civicplatform.accounts.tasks import data_export_build as data_export_build_task

    since = timezone.now() - DATA_EXPORT_MIN_INTERVAL
    if DataExport.objects.filter(user=user, created_at__gte=since).exists():
        raise ValidationError(
            _("You already asked for your data less than an hour ago. The link is sent by e-mail when it is ready.")
        )
    with transaction.atomic():
        now = timezone.now()
        export = DataExport.objects.create(
            user=user,
            language=language,
            created_at=now,
            expires_at=now + timedelta(days=DataExport.VALID_FOR_DAYS),
        )
        audit_record(action="accounts.data_export_requested", actor=user, target=user)
        transaction.on_commit(partial(data_export_build_task.delay, export.pk))
    return export


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    # The same text as in data.json: ISO dates, decimals as strings, nested data as JSON.
    plain = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    if isinstance(plain, dict | list):
        return json.dumps(plain, ensure_ascii=False)
    return plain


def _csv_bytes(rows: list[dict[str, Any]]) -> bytes:
    columns: list[str] = []
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _csv_value(value) for key, value in row.items()})
    # With a byte-order mark, spreadsheet software opens accents correctly.
    return buffer.getvalue().encode("utf-8-sig")


def _build_archive(*, datasets: dict[str, list[dict[str, Any]]], generated_at: Any) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        document = {"generated_at": generated_at, "platform": settings.WAGTAIL_SITE_NAME, "datasets": datasets}
        archive.writestr("data.json", json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        for key, rows in datasets.items():
            archive.writestr(f"csv/{key}.csv", _csv_bytes(rows))
        archive.writestr("README.txt", render_to_string("accounts/data_export_readme.txt", {"datasets": datasets}))
    return buffer.getvalue()


def data_export_build(*, export_id: int) -> DataExport | None:
    """Build the archive of a pending export and e-mail its link. Safe to run twice."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != DataExportStatus.PENDING:
        return export
    user = export.user
    try:
        with translation.override(export.language):
            datasets = personal_data_collect(user=user)
            content = _build_archive(datasets=datasets, generated_at=timezone.now())
        name = private_storage().save(f"exports/{export.public_id}.zip", ContentFile(content))
    except Exception:
        logger.exception("Personal data export %s failed", export.pk)
        export.status = DataExportStatus.FAILED
        export.save(update_fields=["status"])
        return export
    with transaction.atomic():
        export.file_path = name
        export.status = DataExportStatus.READY
        export.completed_at = timezone.now()
        export.save(update_fields=["file_path", "status", "completed_at"])
        transaction.on_commit(partial(_send_export_link, export))
    return export


def _send_export_link(export: DataExport) -> None:
    email = export.user.email
    if not email:
        return
    path = reverse("accounts:data_export_download", kwargs={"token": export.token})
    context = {
        "platform_name": settings.WAGTAIL_SITE_NAME,
        "download_url": f"{settings.SITE_URL}{path}",
        "expires_at": export.expires_at,
        "user": export.user,
    }
    with translation.override(export.language):
        subject = " ".join(render_to_string("accounts/email/data_export_ready_subject.txt", context).split())
        body = render_to_string("accounts/email/data_export_ready_message.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])


def data_export_purge_expired() -> int:
    """Delete the archives whose link expired, and the old rows. Returns how many files were deleted."""
    now = timezone.now()
    storage = private_storage()
    deleted = 0
    for export in DataExport.objects.filter(expires_at__lte=now).exclude(file_path=""):
        storage.delete(export.file_path)
        export.file_path = ""
        export.status = DataExportStatus.EXPIRED
        export.save(update_fields=["file_path", "status"])
        deleted += 1
    DataExport.objects.filter(expires_at__lte=now - DATA_EXPORT_ROW_RETENTION).delete()
    return deleted


def _delete_private_files(paths: list[str]) -> None:
    storage = private_storage()
    for path in paths:
        storage.delete(path)


# ------------------------------------------------------------------------------
# "Delete my account"
# ------------------------------------------------------------------------------
def user_erase(*, user: User, actor: User | None = None) -> User:
    """Erase a person's account (GDPR art. 17) while keeping their civic contributions.

    Every registered erasure hook runs first, in this transaction, with the
    user still intact (the verification app wipes its data there, keeping
    only the keyed hash that stops a second vote). Then the account forgets
    its e-mail addresses, identity-provider links, authenticators, login
    records, exports and personal fields; it can no longer log in and all of
    its sessions end. The row itself stays: contributions keep pointing at it
    and show "Deleted participant". Erasing twice does nothing.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.erased_at is not None:
            return user
        login_name = (user.email or "").lower()
        hook_keys = []
        for key, hook in erasure_hooks().items():
            hook(user)
            hook_keys.append(key)

        EmailAddress.objects.filter(user=user).delete()
        SocialAccount.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        if login_name:
            # django-axes keeps the login name, addresses and browsers of sign-ins.
            for model in (AccessAttempt, AccessFailureLog, AccessLog):
                model.objects.filter(username__iexact=login_name).delete()
        export_files = list(
            DataExport.objects.filter(user=user).exclude(file_path="").values_list("file_path", flat=True)
        )
        DataExport.objects.filter(user=user).delete()
        _wagtail_profile_delete(user)
        sessions_end_for_user(user=user)

        user.email = None
        user.pseudonym = None
        user.district = None
        user.birth_year = None
        user.postal_code = ""
        user.terms_accepted_at = None
        user.last_login = None
        user.verification_level = VerificationLevel.NONE
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.erased_at = timezone.now()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()

        # No personal data in the audit row: who (the erased row itself) and which apps erased.
        audit_record(
            action="accounts.user_erased",
            actor=actor or user,
            target=user,
            data={"erasure_hooks": hook_keys},
        )
        transaction.on_commit(partial(_delete_private_files, export_files))
    return user


def _wagtail_profile_delete(user: User) -> None:
    # Wagtail keeps a per-user profile (avatar, admin preferences) for staff.
    from wagtail.users.models import UserProfile

    UserProfile.objects.filter(user=user).delete()
