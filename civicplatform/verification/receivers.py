from __future__ import annotations

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from civicplatform.verification.desk import SESSION_KEY, desk_stop


@receiver(user_logged_out, dispatch_uid="verification.desk_stop_on_logout")
def stop_desk_session_on_logout(sender, request, user, **kwargs) -> None:
    # Logging out flushes the session anyway; this leaves the matching desk.stop row in the audit log.
    if request is not None and hasattr(request, "session") and request.session.get(SESSION_KEY):
        desk_stop(request, reason="logout")
