"""The life of a petition, one audited and notified transition at a time.

draft → gathering co-sponsors → moderation → open (until the deadline) → closed,
with "threshold reached" noticed by services.counting, then the official
response, then the archive. A moderator may reject instead of publishing.
"""

from __future__ import annotations

import datetime
import secrets
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from civicplatform.core.services import audit_record
from civicplatform.territory.models import Municipality

from ..identity import add_months
from ..models import (
    SIGNABLE_STATUSES,
    SIGNATURE_PHASE,
    CouncilDecision,
    OfficialResponse,
    Petition,
    PetitionConfig,
    PetitionKind,
    PetitionPhase,
    PetitionStatus,
    RejectionReason,
    ResponseDocument,
    legal_threshold,
)
from ._common import fill, notify_author, notify_petition_followers

EDITABLE_FIELDS = ("title", "summary", "details", "theme", "district")


def municipality_current() -> Municipality:
    """The collectivité the platform serves (one per installation)."""
    municipality = Municipality.objects.order_by("pk").first()
    if municipality is None:
        raise ValidationError(_("The municipality is not set up yet: petitions cannot be started."))
    return municipality


def config_for(municipality: Municipality) -> PetitionConfig:
    config, _created = PetitionConfig.objects.get_or_create(municipality=municipality)
    return config


def _new_slug(title: str) -> str:
    # A short random suffix: no sequential ids in addresses, and no clash with the fixed
    # paths of the app ("lancer", "moderation"...), which never end with one.
    base = slugify(title)[:70].strip("-") or "petition"
    return f"{base}-{secrets.token_hex(3)}"


def _apply_thresholds(petition: Petition, municipality: Municipality, config: PetitionConfig) -> None:
    if petition.kind == PetitionKind.FORMAL:
        # The law fixes it; the council is seized once it is reached.
        petition.response_threshold = None
        petition.debate_threshold = legal_threshold(
            registered_electors=municipality.registered_electors, is_commune=municipality.is_commune
        )
    else:
        petition.response_threshold = config.response_threshold
        petition.debate_threshold = config.debate_threshold


def petition_create(
    *,
    author: Any,
    kind: str,
    title: str,
    summary: str,
    details: str = "",
    theme: Any = None,
    district: Any = None,
    actor: Any = None,
    on_behalf_of: Any = None,
) -> Petition:
    """Start a draft. Only its author sees it until it is submitted."""
    perm = "petitions.add_formal_request" if kind == PetitionKind.FORMAL else "petitions.add_petition"
    if not author.has_perm(perm):
        raise PermissionDenied(_("You may not start this kind of petition."))
    municipality = municipality_current()
    config = config_for(municipality)
    petition = Petition(
        kind=kind,
        slug=_new_slug(title),
        municipality=municipality,
        title=title,
        summary=summary,
        details=details,
        theme=theme,
        district=district,
        author=author,
        cosponsors_required=config.cosponsors_required,
        duration_months=config.duration_months,
    )
    _apply_thresholds(petition, municipality, config)
    petition.full_clean()
    with transaction.atomic():
        petition.save()
        audit_record(
            action="petitions.create",
            actor=actor or author,
            on_behalf_of=on_behalf_of,
            target=petition,
            data={"kind": kind},
        )
    return petition


def petition_update(*, petition: Petition, actor: Any, **fields: Any) -> Petition:
    """Change a draft's text. Once submitted, the text people sign is frozen."""
    if not actor.has_perm("petitions.change_petition", petition):
        raise PermissionDenied(_("Only the author may change a draft."))
    changed = []
    for name, value in fields.items():
        if name in EDITABLE_FIELDS and getattr(petition, name) != value:
            setattr(petition, name, value)
            changed.append(name)
    petition.full_clean()
    with transaction.atomic():
        petition.save()
        audit_record(action="petitions.update", actor=actor, target=petition, data={"fields": changed})
    return petition


def petition_submit(
    *, petition: Petition, actor: Any, identity: dict[str, str] | None = None, participation: Any = None
) -> Petition:
    """The author signs their draft and starts gathering co-sponsors (or goes straight to moderation
    when the municipality asks for none). For an L1112-16 request the author's signature is an
    elector's signature like any other: it needs their name and address and uses their quarter."""
    from .signing import signature_sign

    if not actor.has_perm("petitions.submit_petition", petition):
        raise PermissionDenied(_("Only the author may submit a draft."))
    now = timezone.now()
    with transaction.atomic():
        locked = Petition.objects.select_for_update().get(pk=petition.pk)
        if locked.status != PetitionStatus.DRAFT:
            raise ValidationError(_("This petition has already been submitted."))
        locked.status = PetitionStatus.GATHERING
        locked.submitted_at = now
        locked.save(update_fields=["status", "submitted_at"])
        audit_record(action="petitions.submit", actor=actor, target=locked)
        signature_sign(
            petition=locked,
            participation=participation,
            person=actor,
            identity=identity,
            as_author=True,
        )
        if locked.cosponsors_required == 0:
            _enter_moderation(locked, now=now)
        else:
            notify_author(
                locked,
                title=fill(
                    ngettext_lazy(
                        "Your petition “%(title)s” needs %(count)d co-sponsor",
                        "Your petition “%(title)s” needs %(count)d co-sponsors",
                        locked.cosponsors_required,
                    ),
                    {"title": locked.title, "count": locked.cosponsors_required},
                ),
                body=gettext_lazy(
                    "Share its address with people who support it; moderators review it once they have signed."
                ),
            )
    petition.refresh_from_db()
    return petition


def cosponsors_check(*, petition: Petition, now: datetime.datetime | None = None) -> bool:
    """Move a gathering petition to moderation once it has its co-sponsors. Runs in the
    co-sponsor's transaction; the row lock makes the move happen once."""
    from ..models import Signature

    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    if locked.status != PetitionStatus.GATHERING:
        return False
    cosponsors = Signature.objects.validated().filter(petition=locked).exclude(user_id=locked.author_id).count()
    if cosponsors < locked.cosponsors_required:
        return False
    _enter_moderation(locked, now=now or timezone.now())
    return True


def _enter_moderation(petition: Petition, *, now: datetime.datetime) -> None:
    petition.status = PetitionStatus.MODERATION
    petition.moderation_at = now
    petition.save(update_fields=["status", "moderation_at"])
    audit_record(action="petitions.moderation_ready", target=petition)
    notify_author(
        petition,
        title=fill(gettext_lazy("Your petition “%(title)s” is waiting for moderation"), {"title": petition.title}),
        body=gettext_lazy("Moderators check that it follows the rules of the site, usually within two weeks."),
    )


def petition_publish(*, petition: Petition, actor: Any, now: datetime.datetime | None = None) -> Petition:
    """Open the petition for signatures until its deadline."""
    if not actor.has_perm("petitions.moderate_petition", petition):
        raise PermissionDenied(_("You may not moderate this petition."))
    now = now or timezone.now()
    municipality = petition.municipality
    with transaction.atomic():
        locked = Petition.objects.select_for_update().get(pk=petition.pk)
        if locked.status != PetitionStatus.MODERATION:
            raise ValidationError(_("This petition is not waiting for moderation."))
        if locked.kind == PetitionKind.FORMAL:
            if not municipality.registered_electors:
                raise ValidationError(
                    _("Enter the number of registered electors of the municipality first: the threshold depends on it.")
                )
            _apply_thresholds(locked, municipality, config_for(municipality))
        locked.status = PetitionStatus.OPEN
        locked.published_at = now
        locked.save(update_fields=["status", "published_at", "response_threshold", "debate_threshold"])
        phase = PetitionPhase(
            petition=locked, kind=SIGNATURE_PHASE, starts_at=now, ends_at=add_months(now, locked.duration_months)
        )
        phase.full_clean()
        phase.save()
        audit_record(
            action="petitions.publish", actor=actor, target=locked, data={"closes_at": phase.ends_at.isoformat()}
        )
        notify_author(
            locked,
            title=fill(gettext_lazy("Your petition “%(title)s” is open for signatures"), {"title": locked.title}),
            body=fill(gettext_lazy("It is open until %(date)s."), {"date": date_lazy(phase.ends_at)}),
        )
    petition.refresh_from_db()
    return petition


def petition_reject(*, petition: Petition, actor: Any, reason: RejectionReason, details: str = "") -> Petition:
    """Refuse a petition, with a reason from the list and, if useful, a few words."""
    if not actor.has_perm("petitions.moderate_petition", petition):
        raise PermissionDenied(_("You may not moderate this petition."))
    with transaction.atomic():
        locked = Petition.objects.select_for_update().get(pk=petition.pk)
        if locked.status != PetitionStatus.MODERATION:
            raise ValidationError(_("This petition is not waiting for moderation."))
        locked.status = PetitionStatus.REJECTED
        locked.rejected_at = timezone.now()
        locked.rejection_reason = reason
        locked.rejection_details = details
        locked.save(update_fields=["status", "rejected_at", "rejection_reason", "rejection_details"])
        audit_record(
            action="petitions.reject", actor=actor, target=locked, reason=details, data={"reason": reason.code}
        )
        notify_author(
            locked,
            title=fill(gettext_lazy("Your petition “%(title)s” was not published"), {"title": locked.title}),
            body=f"{reason.title}. {details}".strip(),
        )
    petition.refresh_from_db()
    return petition


def petitions_close_expired(*, now: datetime.datetime | None = None) -> int:
    """Close the petitions whose signature period is over (periodic task; safe to run twice)."""
    from .counting import counts_fold

    now = now or timezone.now()
    closed = 0
    for petition_id in list(Petition.objects.signature_expired(now).values_list("pk", flat=True).distinct()):
        # The final count is folded before the petition leaves the open set.
        counts_fold(petition_ids=[petition_id], now=now)
        with transaction.atomic():
            petition = Petition.objects.select_for_update().filter(pk=petition_id, closed_at__isnull=True).first()
            if petition is None or petition.status not in SIGNABLE_STATUSES:
                continue
            petition.closed_at = now
            if petition.status == PetitionStatus.OPEN:
                petition.status = PetitionStatus.CLOSED
            petition.save(update_fields=["closed_at", "status"])
            audit_record(action="petitions.close", target=petition, data={"signatures": petition.signature_count})
            title = fill(gettext_lazy("The petition “%(title)s” is closed"), {"title": petition.title})
            gathered = ngettext_lazy(
                "It gathered %(count)d signature.", "It gathered %(count)d signatures.", petition.signature_count
            )
            body = fill(gathered, {"count": petition.signature_count})
            notify_author(petition, title=title, body=body)
            notify_petition_followers(petition, title=title, body=body)
            closed += 1
    return closed


def response_publish(
    *,
    petition: Petition,
    actor: Any,
    text: str,
    responded_on: datetime.date,
    council_decision: str = CouncilDecision.NONE,
    council_meeting_on: datetime.date | None = None,
    council_details: str = "",
    documents: list[tuple[str, UploadedFile]] | None = None,
) -> OfficialResponse:
    """Publish (or correct) the official response. The first publication is told to the author,
    to followers, and to every signer who asked for it (by a task, after commit)."""
    if not actor.has_perm("petitions.respond_petition", petition):
        raise PermissionDenied(_("You may not answer this petition."))
    with transaction.atomic():
        locked = Petition.objects.select_for_update().get(pk=petition.pk)
        response = OfficialResponse.objects.filter(petition=locked).first()
        first = response is None
        response = response or OfficialResponse(petition=locked, author=actor)
        response.text = text
        response.responded_on = responded_on
        response.council_decision = council_decision
        response.council_meeting_on = council_meeting_on
        response.council_details = council_details
        response.full_clean()
        response.save()
        for title, upload in documents or []:
            ResponseDocument.objects.create(response=response, title=title, file=upload)
        if first:
            locked.status = PetitionStatus.ANSWERED
            locked.answered_at = timezone.now()
            locked.save(update_fields=["status", "answered_at"])
        audit_record(
            action="petitions.respond" if first else "petitions.response_update",
            actor=actor,
            target=locked,
            data={"council_decision": council_decision, "documents": len(documents or [])},
        )
        if first:
            title = fill(gettext_lazy("Official response to the petition “%(title)s”"), {"title": locked.title})
            notify_author(locked, title=title, body=text[:500])
            notify_petition_followers(locked, title=title, body=text[:500])
            transaction.on_commit(partial(_enqueue_response_mailing, locked.pk))
    petition.refresh_from_db()
    return response


def _enqueue_response_mailing(petition_id: int) -> None:
    from ..tasks import response_send_to_signers as response_send_to_signers_task

    response_send_to_signers_task.delay(petition_id)


def petition_archive(*, petition: Petition, actor: Any) -> Petition:
    if not actor.has_perm("petitions.archive_petition", petition):
        raise PermissionDenied(_("Only closed, answered or rejected petitions can be archived."))
    with transaction.atomic():
        locked = Petition.objects.select_for_update().get(pk=petition.pk)
        previous = locked.status
        locked.status = PetitionStatus.ARCHIVED
        locked.archived_at = timezone.now()
        locked.save(update_fields=["status", "archived_at"])
        audit_record(action="petitions.archive", actor=actor, target=locked, data={"previous_status": previous})
        notify_author(
            locked, title=fill(gettext_lazy("Your petition “%(title)s” is archived"), {"title": locked.title})
        )
    petition.refresh_from_db()
    return petition


def config_update(*, config: PetitionConfig, actor: Any, values: dict[str, Any]) -> PetitionConfig:
    if not actor.has_perm("petitions.configure_petitions"):
        raise PermissionDenied
    before = {name: getattr(config, name) for name in values}
    for name, value in values.items():
        setattr(config, name, value)
    config.full_clean()
    with transaction.atomic():
        config.save()
        audit_record(
            action="petitions.config_update",
            actor=actor,
            target=config,
            data={"before": before, "after": {name: getattr(config, name) for name in values}},
        )
    return config


def _date(moment: datetime.datetime) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "DATE_FORMAT")


# Formatted when the notification is stored, in the site's language.
date_lazy = lazy(_date, str)


def response_send_to_signers(*, petition_id: int, batch_size: int = 500) -> int:
    """Send the official response to every counted signer who asked for it (task; resumable and
    safe to run twice: each signer is marked as served in the same transaction as their e-mail).

    Signers with an account get a notification (their preferences decide about the e-mail);
    signers without one get an e-mail at the address they confirmed.
    """
    from civicplatform.notifications.services import notify

    from .. import emails
    from ..models import Signature
    from ._common import RESPONSE_KIND

    petition = Petition.objects.select_related("official_response").get(pk=petition_id)
    response = getattr(petition, "official_response", None)
    if response is None:
        return 0
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Signature.objects.validated()
                .filter(petition=petition, notify_response=True, response_sent_at__isnull=True)
                .select_related("user")
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return sent
            with_account = [signature.user for signature in batch if signature.user_id]
            if with_account:
                notify(
                    recipients=with_account,
                    kind=RESPONSE_KIND,
                    target=petition,
                    title=fill(
                        gettext_lazy("Official response to the petition “%(title)s”"), {"title": petition.title}
                    ),
                    body=response.text[:500],
                    url=petition.get_absolute_url(),
                )
            for signature in batch:
                if signature.user_id is None and signature.email:
                    emails.response_email(signature=signature, response=response).send()
            Signature.objects.filter(pk__in=[signature.pk for signature in batch]).update(
                response_sent_at=timezone.now()
            )
            sent += len(batch)
