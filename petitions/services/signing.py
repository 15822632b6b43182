"""Signing, confirming and withdrawing.

A signature is a row; it counts once it is validated (confirmed by e-mail, or
made by a logged-in person whose address is already confirmed). The petition
row is never touched here: counts are folded from the rows (services.counting).

One person, one signature per petition: unique constraints on (petition, user)
and (petition, canonical e-mail), and for L1112-16 requests on (elector,
collectivité, quarter) in QuarterSignature, written in the same transaction.
A lost race ends in IntegrityError, turned into "you have already signed".
"""

from __future__ import annotations

import datetime
import math
import time
from collections.abc import Callable
from functools import partial
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from civicplatform.core.eligibility import Decision
from civicplatform.core.predicates import is_blocked
from civicplatform.core.services import audit_record
from civicplatform.territory.models import District

from ..identity import (
    canonical_email,
    email_domain,
    encrypt_identity,
    ip_hash,
    next_quarter_start,
    quarter_of,
)
from ..models import (
    DisposableDomain,
    HoldReason,
    Petition,
    PetitionStatus,
    QuarterSignature,
    Signature,
    SignatureState,
)
from ..predicates import sign_policy
from .counting import fold_request

CONFIRM_SALT = "petitions.signature.confirm"
WITHDRAW_SALT = "petitions.signature.withdraw"
# A signature never triggers more e-mails than this, whoever asks: no mail-bombing through the form.
MAX_EMAILS_PER_SIGNATURE = 5
IDENTITY_FIELDS = ("full_name", "address", "postal_code", "city")
DISPOSABLE_CACHE_KEY = "petitions:disposable-domains"
DISTRICTS_CACHE_KEY = "petitions:postal-code-districts"


# ---------------------------------------------------------------------------- who may sign


def sign_refusal(person: Any, petition: Petition) -> Decision:
    """Why `person` may not sign `petition` now, in one plain sentence (allowed: an empty refusal)."""
    if petition.status == PetitionStatus.GATHERING:
        if getattr(person, "pk", None) is not None and person.pk == petition.author_id:
            return Decision(allowed=False, reason=_("You started this petition: your signature is already counted."))
    elif not petition.is_signature_open():
        return Decision(allowed=False, reason=_("This petition is not open for signatures."))
    decision = sign_policy(petition).check(person, today=timezone.localdate())
    if not decision.allowed:
        return decision
    if is_blocked(person):
        return Decision(allowed=False, reason=_("Your account is blocked: you cannot sign petitions."))
    return Decision(allowed=True)


def quarter_refusal_message(prior: QuarterSignature | None, now: datetime.datetime) -> str:
    when = date_format(next_quarter_start(now), "DATE_FORMAT")
    if prior is None:
        return _(
            "You have already signed a request under article L1112-16 addressed to this municipality this "
            "quarter. The law allows one per quarter: you may sign another from %(date)s."
        ) % {"date": when}
    return _(
        "You have already signed the request “%(title)s” this quarter. Article L1112-16 allows one request "
        "per quarter to the same municipality: you may sign another from %(date)s."
    ) % {"title": prior.petition.title, "date": when}


def _clean_identity(identity: dict[str, str] | None) -> dict[str, str]:
    identity = {key: (identity or {}).get(key, "").strip() for key in IDENTITY_FIELDS}
    missing = {key: _("This field is required.") for key, value in identity.items() if not value}
    if missing:
        raise ValidationError(missing)
    return identity


# ---------------------------------------------------------------------------- logged in (or at the desk)


def signature_sign(
    *,
    petition: Petition,
    participation: Any = None,
    person: Any = None,
    public_name: bool = False,
    notify_response: bool = False,
    identity: dict[str, str] | None = None,
    as_author: bool = False,
    now: datetime.datetime | None = None,
) -> tuple[Signature, bool]:
    """Sign as a logged-in person, or for them at the desk (`participation` from
    verification.desk.participant_for). Returns (signature, created); signing twice
    returns the first signature. Counts at once: the account's e-mail is confirmed."""
    if participation is not None:
        person, actor, on_behalf_of = participation.person, participation.actor, participation.on_behalf_of
    else:
        actor, on_behalf_of = person, None
    now = now or timezone.now()
    existing = Signature.objects.filter(petition=petition, user=person).first()
    if existing is not None:
        return existing, False
    if not as_author:
        perm = (
            "petitions.cosponsor_petition" if petition.status == PetitionStatus.GATHERING else "petitions.sign_petition"
        )
        if not person.has_perm(perm, petition):
            raise PermissionDenied(sign_refusal(person, petition).reason or _("You may not sign this petition."))
    identity_token = ""
    quarter = ""
    if petition.is_formal:
        identity_token = encrypt_identity(_clean_identity(identity))
        quarter = quarter_of(now)
        prior = (
            QuarterSignature.objects.filter(elector=person, municipality_id=petition.municipality_id, quarter=quarter)
            .exclude(petition=petition)
            .select_related("petition")
            .first()
        )
        if prior is not None:
            raise ValidationError(quarter_refusal_message(prior, now), code="quarter")
    email = person.email or None
    canonical = canonical_email(email) if email else None
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                petition=petition,
                user=person,
                state=SignatureState.VALIDATED,
                email=email,
                email_canonical=canonical,
                email_domain=email_domain(email or ""),
                postal_code=person.postal_code or "",
                district_id=person.district_id,
                identity_encrypted=identity_token,
                public_name=public_name,
                notify_response=notify_response,
                consent_at=now,
                created_at=now,
                confirmed_at=now,
            )
            if quarter:
                QuarterSignature.objects.create(
                    elector=person,
                    municipality_id=petition.municipality_id,
                    quarter=quarter,
                    petition=petition,
                    signature=signature,
                    created_at=now,
                )
            audit_record(
                action="petitions.sign",
                actor=actor,
                on_behalf_of=on_behalf_of,
                target=petition,
                data={"signature": str(signature.public_id), "kind": petition.kind, "author": as_author},
            )
            if petition.status == PetitionStatus.GATHERING and not as_author:
                from .lifecycle import cosponsors_check

                cosponsors_check(petition=petition, now=now)
    except IntegrityError:
        same_person = Q(user=person) | Q(email_canonical=canonical) if canonical else Q(user=person)
        existing = Signature.objects.filter(same_person, petition=petition).first()
        if existing is not None:
            return existing, False
        if not quarter:
            raise
        prior = (
            QuarterSignature.objects.filter(elector=person, municipality_id=petition.municipality_id, quarter=quarter)
            .select_related("petition")
            .first()
        )
        raise ValidationError(quarter_refusal_message(prior, now), code="quarter") from None
    transaction.on_commit(partial(fold_request, petition.pk))
    return signature, True


# ---------------------------------------------------------------------------- without an account


# key -> (expiry on the monotonic clock, value): lookups every anonymous signature needs, kept in
# this process for PETITIONS_SIGNING_CACHE_SECONDS on top of the shared cache. At a signing peak
# each round trip to Redis costs as much as the rest of the request; an edit of the disposable
# domains or of the districts reaches every process within those seconds.
_local_cache: dict[str, tuple[float, Any]] = {}


def _local(key: str, load: Callable[[], Any]) -> Any:
    ttl = settings.PETITIONS_SIGNING_CACHE_SECONDS
    if ttl <= 0:
        return load()
    now = time.monotonic()
    cached = _local_cache.get(key)
    if cached is None or cached[0] <= now:
        cached = _local_cache[key] = (now + ttl, load())
    return cached[1]


def _disposable_domains() -> frozenset[str]:
    def load() -> frozenset[str]:
        domains = cache.get(DISPOSABLE_CACHE_KEY)
        if domains is None:
            domains = frozenset(DisposableDomain.objects.values_list("domain", flat=True))
            cache.set(DISPOSABLE_CACHE_KEY, domains, 60)
        return domains

    return _local(DISPOSABLE_CACHE_KEY, load)


def _districts_by_postal_code() -> dict[str, list[int]]:
    mapping = cache.get(DISTRICTS_CACHE_KEY)
    if mapping is None:
        mapping = {}
        for district_id, codes in District.objects.values_list("pk", "postal_codes"):
            for code in codes or []:
                mapping.setdefault(code, []).append(district_id)
        cache.set(DISTRICTS_CACHE_KEY, mapping, 300)
    return mapping


def district_for_postal_code(postal_code: str) -> int | None:
    """The district of a postal code when only one district has it (a code may span several)."""
    candidates = _local(DISTRICTS_CACHE_KEY, _districts_by_postal_code).get(postal_code, [])
    return candidates[0] if len(candidates) == 1 else None


def _window_counts(keys: list[str], *, seconds: int = 3600) -> list[int]:
    """Count one more event under each key, in fixed windows that expire after `seconds`.

    With Redis, all the keys in one round trip (INCR, then EXPIRE NX so that the window is
    not pushed back); with another cache (local development), one key at a time.
    """
    if not keys:
        return []
    client_for = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client_for is not None:
        names = [cache.make_and_validate_key(key) for key in keys]
        pipeline = client_for(names[0], write=True).pipeline(transaction=False)
        for name in names:
            pipeline.incr(name)
            pipeline.expire(name, seconds, nx=True)
        return [int(value) for value in pipeline.execute()[::2]]
    counts = []
    for key in keys:
        try:
            counts.append(cache.incr(key))
        except ValueError:
            counts.append(1 if cache.add(key, 1, timeout=seconds) else cache.incr(key))
    return counts


def hold_reason_for(
    *, petition: Petition, domain: str, connection: str, proof_ok: bool | None, now: datetime.datetime
) -> str:
    """Why a new anonymous signature should wait for a moderator ("" if it should not).

    The person is never told: they get the same page and the same e-mail, so an
    abuser learns nothing and a real signer caught by a shared connection loses
    nothing once a moderator releases the signature. The limits count signatures
    per petition in fixed one-hour windows, kept in the cache (Redis, one round trip
    for both) so that the signing path runs no counting query; the hourly report of
    unusual activity and the invalidations work on the rows themselves.
    """
    if domain in _disposable_domains():
        return HoldReason.DISPOSABLE
    if proof_ok is False:
        return HoldReason.NO_PROOF
    hour = now.strftime("%Y%m%d%H")
    limits = []
    if per_ip := settings.PETITIONS_HOLD_PER_IP_PER_HOUR:
        limits.append((f"petitions:rate:{petition.pk}:ip:{connection}:{hour}", per_ip, HoldReason.IP_RATE))
    per_domain = settings.PETITIONS_HOLD_PER_DOMAIN_PER_HOUR
    if per_domain and domain and domain not in settings.PETITIONS_COMMON_EMAIL_DOMAINS:
        limits.append((f"petitions:rate:{petition.pk}:domain:{domain}:{hour}", per_domain, HoldReason.DOMAIN_RATE))
    counts = _window_counts([key for key, _limit, _reason in limits])
    for (_key, limit, reason), count in zip(limits, counts, strict=True):
        if count > limit:
            return reason
    return HoldReason.NONE


def signature_sign_anonymous(
    *,
    petition: Petition,
    name: str,
    email: str,
    postal_code: str,
    ip: str,
    proof_ok: bool | None = None,
    notify_response: bool = False,
    public_name: bool = False,
    now: datetime.datetime | None = None,
) -> tuple[Signature, bool]:
    """Sign a civic petition without an account. The signature counts once the e-mailed link
    is followed. Signing again with the same address (in any spelling) re-sends the e-mail
    of the first signature rather than saying so: the form reveals nothing about who signed.

    `proof_ok`: the ALTCHA result (None when the challenge is switched off).
    """
    if not AnonymousUser().has_perm("petitions.sign_petition_anonymously", petition):
        raise PermissionDenied(_("This petition is not open for signatures without an account."))
    now = now or timezone.now()
    canonical = canonical_email(email)
    domain = email_domain(email)
    connection = ip_hash(ip)
    hold = hold_reason_for(petition=petition, domain=domain, connection=connection, proof_ok=proof_ok, now=now)
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                petition=petition,
                state=SignatureState.HELD if hold else SignatureState.PENDING,
                hold_reason=hold,
                name=name.strip(),
                public_name=public_name,
                email=email.strip(),
                email_canonical=canonical,
                email_domain=domain,
                postal_code=postal_code,
                district_id=district_for_postal_code(postal_code),
                notify_response=notify_response,
                consent_at=now,
                ip_hash=connection,
                created_at=now,
            )
            audit_record(
                action="petitions.sign",
                target=petition,
                data={"signature": str(signature.public_id), "kind": petition.kind, "held": hold},
            )
            transaction.on_commit(confirmations_request)
    except IntegrityError:
        existing = Signature.objects.filter(petition=petition, email_canonical=canonical).first()
        if existing is None:
            raise
        transaction.on_commit(partial(_enqueue_confirmation, existing.pk))
        return existing, False
    return signature, True


def _enqueue_confirmation(signature_id: int) -> None:
    from ..tasks import signature_send_confirmation as signature_send_confirmation_task

    signature_send_confirmation_task.delay(signature_id)


def confirmations_request() -> None:
    """Ask for the confirmation e-mails of new signatures to be sent, at most once per
    PETITIONS_MAIL_DEBOUNCE_SECONDS: the new rows are the outbox, and one task sends them
    all, instead of one queued task per signature on the signing path."""
    from ..tasks import confirmations_send as confirmations_send_task

    # Tasks run inline without a worker (`make run`): the e-mails go at once, or a signer whose
    # request was skipped would wait for a run that never comes (no beat either).
    debounce = 0 if settings.CELERY_TASK_ALWAYS_EAGER else settings.PETITIONS_MAIL_DEBOUNCE_SECONDS
    if debounce > 0:
        # A run this process scheduled less than `debounce` seconds ago has not started yet, and
        # will see this signature (committed before this call): no need to ask Redis either.
        now = time.monotonic()
        if now - _confirmations_requested_at[0] < debounce:
            return
        if not cache.add("petitions:confirmations-requested", 1, timeout=debounce):
            return
        _confirmations_requested_at[0] = now
    confirmations_send_task.apply_async(countdown=max(debounce, 0))


# When this process last asked for a run of confirmations_send (monotonic clock).
_confirmations_requested_at = [-math.inf]


def confirmations_send(*, batch_size: int = 200) -> int:
    """Send the first confirmation e-mail of every new anonymous signature (task; safe to run twice
    or concurrently: rows are locked with SKIP LOCKED and marked in the transaction that sends)."""
    from django.core.mail import get_connection

    from .. import emails

    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Signature.objects.filter(
                    user__isnull=True, confirmed_at__isnull=True, emails_sent=0, email__isnull=False
                )
                .select_related("petition")
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return sent
            get_connection().send_messages([emails.confirmation_email(signature=signature) for signature in batch])
            Signature.objects.filter(pk__in=[signature.pk for signature in batch]).update(emails_sent=1)
            sent += len(batch)


def signature_send_confirmation(*, signature_id: int) -> str:
    """E-mail the confirmation link (or, if already confirmed, a reminder that the signature
    counts, with the link to withdraw it). At most MAX_EMAILS_PER_SIGNATURE per signature."""
    from .. import emails

    updated = Signature.objects.filter(pk=signature_id, emails_sent__lt=MAX_EMAILS_PER_SIGNATURE).update(
        emails_sent=F("emails_sent") + 1
    )
    if not updated:
        return "skipped"
    signature = Signature.objects.select_related("petition").get(pk=signature_id)
    if not signature.email:
        return "skipped"
    if signature.confirmed_at:
        emails.already_signed_email(signature=signature).send()
        return "reminder"
    emails.confirmation_email(signature=signature).send()
    return "sent"


# ---------------------------------------------------------------------------- links in e-mails


def confirmation_token(signature: Signature) -> str:
    return signing.dumps(str(signature.public_id), salt=CONFIRM_SALT)


def withdraw_token(signature: Signature) -> str:
    return signing.dumps(str(signature.public_id), salt=WITHDRAW_SALT)


def _signature_for(token: str, *, salt: str, max_age: datetime.timedelta | None) -> Signature:
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
        public_id = UUID(str(value))
    except signing.SignatureExpired:
        raise ValidationError(
            _("This link has expired. Sign the petition again to receive a new one."), code="expired"
        ) from None
    except (signing.BadSignature, ValueError):
        raise ValidationError(_("This link is not valid. Check that you copied all of it."), code="invalid") from None
    signature = Signature.objects.select_related("petition").filter(public_id=public_id).first()
    if signature is None:
        raise ValidationError(_("This signature no longer exists: it was withdrawn or removed."), code="gone")
    return signature


def signature_for_confirmation(token: str) -> Signature:
    return _signature_for(
        token, salt=CONFIRM_SALT, max_age=datetime.timedelta(days=settings.PETITIONS_CONFIRM_MAX_AGE_DAYS)
    )


def signature_for_withdrawal(token: str) -> Signature:
    return _signature_for(token, salt=WITHDRAW_SALT, max_age=None)


def signature_confirm(
    *, token: str | None = None, signature: Signature | None = None, now: datetime.datetime | None = None
) -> Signature:
    """Confirm an e-mailed signature (idempotent), given the link's token or the signature the
    link was already checked for. A held signature stays held, confirmed, until a moderator
    releases it; the page says the same thing either way."""
    from .. import selectors

    now = now or timezone.now()
    if signature is None:
        signature = signature_for_confirmation(token)
    if signature.confirmed_at or signature.state == SignatureState.INVALIDATED:
        return signature
    # The petition and its phases as the signature form keeps them: no query at a peak.
    petition = selectors.petition_for_signing(signature.petition.slug) or signature.petition
    if not petition.is_signature_open(now):
        raise ValidationError(_("This petition closed before you confirmed your signature."), code="closed")
    state = SignatureState.VALIDATED if signature.state == SignatureState.PENDING else signature.state
    with transaction.atomic():
        updated = Signature.objects.filter(pk=signature.pk, confirmed_at__isnull=True).update(
            confirmed_at=now, state=state
        )
        if updated:
            audit_record(
                action="petitions.confirm",
                target=signature.petition,
                data={"signature": str(signature.public_id), "state": state},
            )
            transaction.on_commit(partial(fold_request, signature.petition_id))
    if updated:
        signature.confirmed_at, signature.state = now, state
    else:  # confirmed meanwhile by another click on the same link
        signature.refresh_from_db()
    return signature


def signature_withdraw(*, signature: Signature, actor: Any = None, on_behalf_of: Any = None) -> None:
    """Take a signature back while the petition is open (or still gathering co-sponsors).
    The row goes: a withdrawn signature leaves nothing behind but the audit line."""
    petition = signature.petition
    if not (petition.status == PetitionStatus.GATHERING or petition.is_signature_open()):
        raise ValidationError(_("Signatures can only be withdrawn while the petition is open."))
    if signature.user_id is not None and signature.user_id == petition.author_id:
        raise ValidationError(_("The author's signature cannot be withdrawn."))
    with transaction.atomic():
        deleted, _rows = Signature.objects.filter(pk=signature.pk).delete()
        if deleted:
            audit_record(
                action="petitions.withdraw",
                actor=actor,
                on_behalf_of=on_behalf_of,
                target=petition,
                data={"signature": str(signature.public_id), "state": signature.state},
            )
            transaction.on_commit(partial(fold_request, petition.pk))
