"""Acting for a person at the desk: the API participation tools use.

A staff member helping a person who has no computer (digital divide) starts
"acting for" them; until they stop, the person's vote or signature cast from
this browser session belongs to the person, and every such act is audited
with the staff member as actor and the person as `on_behalf_of`.

Participation tools never read request.user to know whose vote it is::

    from civicplatform.verification.desk import participant_for

    participation = participant_for(request)
    decision = process.eligibility_policy().check(participation.person, today=timezone.localdate())
    ballot_cast(person=participation.person, **participation.audit_kwargs, ...)
    # ... audit_record(action="budgets.vote", target=ballot, **participation.audit_kwargs)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from civicplatform.accounts.models import User
from civicplatform.core.services import audit_record

SESSION_KEY = "verification_desk"
# A desk session ends on its own: a forgotten one must not turn the next vote
# from this computer into someone else's.
MAX_AGE = datetime.timedelta(hours=2)
PERSON_REF_SALT = "verification.desk.person"
_CACHE_ATTR = "_verification_desk_person"


@dataclass(frozen=True)
class Participation:
    """Whose participation this is (`person`) and who is at the keyboard (`actor`)."""

    person: User
    actor: User
    on_behalf_of: User | None = None

    @property
    def is_desk(self) -> bool:
        return self.on_behalf_of is not None

    @property
    def audit_kwargs(self) -> dict[str, Any]:
        """`actor` and `on_behalf_of`, ready for audit_record(**...)."""
        return {"actor": self.actor, "on_behalf_of": self.on_behalf_of}


def may_act_at_desk(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm("verification.work_at_desk")


def person_ref(person: User) -> str:
    """An opaque, signed reference to an account for desk URLs (no sequential id in the address bar)."""
    return signing.dumps(person.pk, salt=PERSON_REF_SALT)


def person_from_ref(ref: str) -> User | None:
    try:
        pk = signing.loads(ref, salt=PERSON_REF_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=pk, is_active=True, erased_at__isnull=True).select_related("district").first()


def desk_start(request: HttpRequest, person: User) -> None:
    """Start acting for `person` (present at the desk) in this staff member's session."""
    if not may_act_at_desk(request.user):
        raise PermissionDenied
    if person.pk == request.user.pk:
        raise PermissionDenied
    current = acting_for(request)
    if current is not None and current.pk != person.pk:
        desk_stop(request, reason="switched")
    audit_record(action="desk.start", actor=request.user, target=person, on_behalf_of=person)
    request.session[SESSION_KEY] = {"person": person.pk, "started": timezone.now().isoformat()}
    setattr(request, _CACHE_ATTR, person)


def desk_stop(request: HttpRequest, *, reason: str = "") -> User | None:
    """Stop acting for the person; returns them (None if no desk session was open)."""
    state = request.session.pop(SESSION_KEY, None)
    if hasattr(request, _CACHE_ATTR):
        delattr(request, _CACHE_ATTR)
    if not state:
        return None
    person = User.objects.filter(pk=state.get("person")).first()
    actor = request.user if getattr(request.user, "is_authenticated", False) else None
    audit_record(action="desk.stop", actor=actor, target=person, on_behalf_of=person, data={"reason": reason})
    return person


def acting_for(request: HttpRequest) -> User | None:
    """The person the logged-in staff member is acting for, or None."""
    if hasattr(request, _CACHE_ATTR):
        return getattr(request, _CACHE_ATTR)
    session = getattr(request, "session", None)
    state = session.get(SESSION_KEY) if session is not None else None
    person = None
    if state:
        if not may_act_at_desk(request.user):
            session.pop(SESSION_KEY, None)
        elif _expired(state):
            desk_stop(request, reason="expired")
        else:
            person = User.objects.filter(pk=state.get("person"), is_active=True, erased_at__isnull=True).first()
            if person is None:
                desk_stop(request, reason="account closed")
    setattr(request, _CACHE_ATTR, person)
    return person


def participant_for(request: HttpRequest) -> Participation:
    """Whose participation a request makes: the person at the desk, or the logged-in user."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    person = acting_for(request)
    if person is None:
        return Participation(person=user, actor=user)
    return Participation(person=person, actor=user, on_behalf_of=person)


def _expired(state: dict) -> bool:
    try:
        started = datetime.datetime.fromisoformat(state.get("started", ""))
    except (TypeError, ValueError):
        return True
    return timezone.now() - started > MAX_AGE
