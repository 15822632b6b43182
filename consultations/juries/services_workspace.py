"""Writes of the seated jury's workspace: seats linked to accounts, opening the workspace (the
members-only forum and the "join your jury's workspace" e-mails), and written questions to experts.

A volunteer registers without an account; once confirmed, they link their seat to an account (by
the signed link of the e-mail, by the code of their letter, or staff do it for them) and enter the
workspace. A seat that ends (withdrawal, replacement) closes the workspace and the forum to them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicplatform.core.services import audit_record
from civicplatform.notifications import kinds
from civicplatform.notifications.services import notify
from forums.models import Forum, ForumVisibility, Membership, MembershipRole
from forums.predicates import forget_cached_memberships
from forums.services.threads import membership_remove, membership_set

from .models import ExpertHearing, ExpertQuestion, Jury, JuryStatus, Registrant, RegistrantStatus, Seat
from .rules import takes_part
from .services import invitation_for_code

SEAT_SALT = "juries.seat"
# The join link stays valid for the length of a jury's deliberation.
SEAT_TOKEN_MAX_AGE = 60 * 60 * 24 * 180
QUESTION_ANSWERED_KIND = "juries.question_answered"
MAX_QUESTION_LENGTH = 2000


def register_notification_kinds() -> None:
    kinds.register_kind(
        QUESTION_ANSWERED_KIND,
        gettext_lazy("Answers to your questions to experts (citizen juries)"),
        kinds.DeliveryMode.IMMEDIATE,
        gettext_lazy("When an expert's written answer to a question you asked as a jury member is published."),
        order=60,
    )


def _fill(template: str, values: dict) -> str:
    return str(template) % values


# Notification texts are stored in the site's language (notify() translates inside an override).
_fill_lazy = lazy(_fill, str)


def _forget_seats(user: Any) -> None:
    """Drop the per-request memo of selectors.seat_for."""
    user.__dict__.pop("_jury_seats", None)


# ------------------------------------------------------------------------------
# Forum membership follows the seat
# ------------------------------------------------------------------------------
def _forum_join(*, forum: Forum, user: Any, actor: Any) -> None:
    """Make a seated member a member of the jury's forum.

    Staff go through forums' membership_set. A member claiming their own seat has no right to manage
    forum members: the linked seat itself is the authorisation, so their (plain member) membership is
    written here, audited the same way."""
    if actor is not None and actor.has_perm("moderation.assign_moderator"):
        if not Membership.objects.filter(forum=forum, user=user).exists():
            membership_set(forum=forum, user=user, role=MembershipRole.MEMBER, actor=actor)
        return
    _membership, created = Membership.objects.get_or_create(
        forum=forum, user=user, defaults={"role": MembershipRole.MEMBER}
    )
    if created:
        audit_record(
            action="forums.membership_set",
            actor=actor,
            target=user,
            data={"forum": forum.slug, "role": MembershipRole.MEMBER, "previous_role": None, "by": "jury seat"},
        )
    forget_cached_memberships(user)


def _forum_leave(*, forum: Forum, user: Any, actor: Any) -> None:
    """Take a former member out of the jury's forum (see _forum_join for who may)."""
    if actor is not None and actor.has_perm("moderation.assign_moderator"):
        membership_remove(forum=forum, user=user, actor=actor)
        return
    deleted, _rows = Membership.objects.filter(forum=forum, user=user, role=MembershipRole.MEMBER).delete()
    if deleted:
        audit_record(
            action="forums.membership_remove", actor=actor, target=user, data={"forum": forum.slug, "by": "jury seat"}
        )
    forget_cached_memberships(user)


# ------------------------------------------------------------------------------
# Seats
# ------------------------------------------------------------------------------
def seat_token(registrant: Registrant) -> str:
    return signing.dumps({"r": registrant.pk, "j": registrant.jury_id}, salt=SEAT_SALT)


def registrant_for_seat_token(token: str) -> Registrant | None:
    try:
        data = signing.loads(token, salt=SEAT_SALT, max_age=SEAT_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return Registrant.objects.filter(pk=data.get("r"), jury_id=data.get("j")).select_related("jury").first()


@transaction.atomic
def seat_claim(*, registrant: Registrant, user: Any, actor: Any = None) -> Seat:
    """Link a confirmed volunteer's seat to `user`'s account (by the member, or by staff as `actor`).

    Claiming one's own seat again returns it. The database allows one account per seat and one
    seat per account and jury: of two accounts claiming the same seat at once, one gets it.
    """
    actor = actor if actor is not None else user
    registrant = Registrant.objects.select_for_update().select_related("jury").get(pk=registrant.pk)
    jury = registrant.jury
    if registrant.status != RegistrantStatus.CONFIRMED:
        raise ValidationError(_("Only a member who has confirmed their seat can enter the workspace."))
    if not user.is_active or getattr(user, "erased_at", None):
        raise ValidationError(_("This account is closed."))
    existing = Seat.objects.filter(registrant=registrant).first()
    if existing is not None:
        if existing.user_id == user.pk and existing.ended_at is None:
            return existing
        raise ValidationError(_("This seat is already linked to another account."))
    if Seat.objects.filter(jury=jury, user=user).exists():
        raise ValidationError(_("This account already holds a seat on this jury."))
    try:
        with transaction.atomic():
            seat = Seat.objects.create(jury=jury, registrant=registrant, user=user)
    except IntegrityError as error:
        raise ValidationError(_("This seat or this account has just been linked. Please reload the page.")) from error
    if jury.forum_id:
        _forum_join(forum=jury.forum, user=user, actor=actor)
    audit_record(
        action="juries.seat_linked",
        actor=actor,
        target=jury,
        data={"pseudonym": registrant.pseudonym, "by_staff": actor.pk != user.pk},
    )
    _forget_seats(user)
    return seat


def _normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]+", "", text.lower())


def seat_claim_by_code(*, jury: Jury, user: Any, code: str, last_name: str) -> Seat:
    """A logged-in member links their seat with their letter's response code and their last name
    (accents, case and spaces do not matter)."""
    invitation = invitation_for_code(jury=jury, code=code)
    wanted = _normalise_name(last_name)
    candidates = [] if invitation is None else list(invitation.registrants.filter(status=RegistrantStatus.CONFIRMED))
    matching = [r for r in candidates if wanted and _normalise_name(r.last_name) == wanted]
    if not matching:
        raise ValidationError(
            {
                "code": _(
                    "No confirmed member of this jury matches this code and last name. Check the code on "
                    "your letter and write your last name as you gave it when you volunteered."
                )
            }
        )
    return seat_claim(registrant=matching[0], user=user)


def seat_link_by_staff(*, registrant: Registrant, account: str, actor: Any) -> Seat:
    """Staff link a member's seat to an existing account, named by its e-mail or pseudonym (accounts
    created at the desk for people without e-mail have a pseudonym only)."""
    if not actor.has_perm("juries.manage_jury"):
        raise PermissionDenied
    account = account.strip()
    user = (
        get_user_model()
        .objects.filter(Q(email__iexact=account) | Q(pseudonym__iexact=account), is_active=True, erased_at__isnull=True)
        .first()
        if account
        else None
    )
    if user is None:
        raise ValidationError({"account": _("No open account has this e-mail address or pseudonym.")})
    return seat_claim(registrant=registrant, user=user, actor=actor)


@transaction.atomic
def seat_end(*, registrant: Registrant, actor: Any = None) -> Seat | None:
    """The member left the panel (withdrawn or replaced): the seat is kept for the record but ends,
    and with it access to the workspace and the forum."""
    seat = Seat.objects.select_for_update().filter(registrant=registrant, ended_at__isnull=True).first()
    if seat is None:
        return None
    seat.ended_at = timezone.now()
    seat.save(update_fields=["ended_at"])
    jury = Jury.objects.select_related("forum").get(pk=seat.jury_id)
    if jury.forum_id:
        _forum_leave(forum=jury.forum, user=seat.user, actor=actor)
    audit_record(action="juries.seat_ended", actor=actor, target=jury, data={"pseudonym": registrant.pseudonym})
    _forget_seats(seat.user)
    return seat


def seat_after_status_change(*, registrant: Registrant, status: str, actor: Any = None) -> None:
    """Called by services.registrant_respond: a withdrawal ends the seat; a confirmation once the
    workspace is open sends the "join your jury's workspace" e-mail."""
    if status == RegistrantStatus.WITHDRAWN:
        seat_end(registrant=registrant, actor=actor)
    elif status == RegistrantStatus.CONFIRMED and registrant.jury.forum_id and registrant.email:
        from django.conf import settings

        base_url = getattr(settings, "SITE_URL", "").rstrip("/")
        transaction.on_commit(partial(_enqueue_invite, registrant.pk, base_url))


# ------------------------------------------------------------------------------
# Opening the workspace, and the join e-mails
# ------------------------------------------------------------------------------
def _enqueue_invite(registrant_id: int, base_url: str) -> None:
    from .tasks import workspace_invite_send as workspace_invite_send_task

    workspace_invite_send_task.delay(registrant_id, base_url)


def _forum_slug(jury: Jury) -> str:
    base = f"jury-{jury.slug}"[:74]
    slug, number = base, 2
    while Forum.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def workspace_open(*, jury: Jury, actor: Any, base_url: str = "") -> Jury:
    """Open the seated jury's workspace: its members-only forum (staff who open it moderate it; the
    members already seated join it), the jury moves to deliberation, and, with `base_url`, every
    confirmed member with an e-mail and no linked seat is sent the join link after commit.

    Opening again changes nothing and sends nothing."""
    if not actor.has_perm("juries.manage_jury"):
        raise PermissionDenied
    jury = Jury.objects.select_for_update().get(pk=jury.pk)
    if jury.forum_id:
        return jury
    forum = Forum(
        slug=_forum_slug(jury),
        title=(_("Members of the jury “%(title)s”") % {"title": jury.title})[:150],
        # The forum page turns the site address into a link back to the workspace (forums_tags.forum_description).
        description=(
            _("The members-only forum of the citizen jury: only its members and the staff can read it.")
            + "\n\n"
            + _("Back to the jury workspace: %(url)s") % {"url": reverse("juries:workspace", args=[jury.slug])}
        ),
        visibility=ForumVisibility.MEMBERS,
    )
    forum.full_clean()
    forum.save()
    jury.forum = forum
    update = ["forum", "updated_at"]
    if jury.status in (JuryStatus.DRAFT, JuryStatus.RECRUITING, JuryStatus.SELECTING):
        jury.status = JuryStatus.DELIBERATING
        update.append("status")
    jury.save(update_fields=update)
    membership_set(forum=forum, user=actor, role=MembershipRole.MODERATOR, actor=actor)
    for seat in jury.seats.current().select_related("user"):
        _forum_join(forum=forum, user=seat.user, actor=actor)
    audit_record(action="juries.workspace_opened", actor=actor, target=jury, data={"forum": forum.slug})
    if base_url:
        invited = (
            Registrant.objects.filter(jury=jury, status=RegistrantStatus.CONFIRMED, seat__isnull=True)
            .exclude(email="")
            .values_list("pk", flat=True)
        )
        for registrant_id in invited:
            transaction.on_commit(partial(_enqueue_invite, registrant_id, base_url))
    return jury


def workspace_invite_send(*, registrant_id: int, base_url: str) -> bool:
    """E-mail one confirmed member the signed link to link their seat and enter the workspace.
    Nothing is sent to someone no longer confirmed or already seated."""
    person = (
        Registrant.objects.filter(pk=registrant_id, status=RegistrantStatus.CONFIRMED, seat__isnull=True)
        .exclude(email="")
        .select_related("jury")
        .first()
    )
    if person is None:
        return False
    link = base_url + reverse("juries:workspace_join", args=[seat_token(person)])
    body = render_to_string("juries/emails/workspace_join.txt", {"jury": person.jury, "person": person, "link": link})
    send_mail(
        _("Join the workspace of the citizen jury “%(title)s”") % {"title": person.jury.title},
        body,
        None,
        [person.email],
    )
    return True


# ------------------------------------------------------------------------------
# Written questions to experts
# ------------------------------------------------------------------------------
@transaction.atomic
def question_ask(
    *, jury: Jury, user: Any, addressed_to: str, text: str, hearing: ExpertHearing | None = None
) -> ExpertQuestion:
    """A seated member asks an expert a written question (optionally about one hearing: without a
    name, the question goes to the expert of that hearing)."""
    if not takes_part(user, jury):
        raise PermissionDenied(_("Only the members of the jury can ask the experts questions."))
    addressed_to, text = " ".join(addressed_to.split()), text.strip()
    if not addressed_to and hearing is not None:
        addressed_to = hearing.expert_name
    errors = {}
    if not addressed_to:
        errors["addressed_to"] = _("Say which expert the question is for, or choose the hearing it is about.")
    if len(text) < 10:
        errors["text"] = _("Write your question in at least 10 characters.")
    elif len(text) > MAX_QUESTION_LENGTH:
        errors["text"] = _("Keep the question under %(max)d characters.") % {"max": MAX_QUESTION_LENGTH}
    if hearing is not None and hearing.session.jury_id != jury.pk:
        errors["hearing"] = _("Choose a hearing of this jury.")
    if errors:
        raise ValidationError(errors)
    question = ExpertQuestion(jury=jury, hearing=hearing, addressed_to=addressed_to[:200], text=text, asked_by=user)
    question.save()
    audit_record(action="juries.question_asked", actor=user, target=jury, data={"question": question.pk})
    return question


@transaction.atomic
def question_answer(
    *, question: ExpertQuestion, answer: str, answered_by_name: str, is_public: bool, actor: Any
) -> ExpertQuestion:
    """Staff type in the expert's written answer. The member who asked is notified the first time."""
    if not actor.has_perm("juries.manage_jury"):
        raise PermissionDenied
    question = (
        ExpertQuestion.objects.select_for_update(of=("self",)).select_related("jury", "asked_by").get(pk=question.pk)
    )
    answer, answered_by_name = answer.strip(), " ".join(answered_by_name.split())
    errors = {}
    if not answer:
        errors["answer"] = _("Type in the expert's written answer.")
    if not answered_by_name:
        errors["answered_by_name"] = _("Say who answered.")
    if errors:
        raise ValidationError(errors)
    first = question.answered_at is None
    question.answer = answer
    question.answered_by_name = answered_by_name[:200]
    question.is_public = is_public
    if first:
        question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by_name", "is_public", "answered_at"])
    audit_record(
        action="juries.question_answered",
        actor=actor,
        target=question.jury,
        data={"question": question.pk, "public": is_public, "first": first},
    )
    if first and question.asked_by_id:
        jury = question.jury
        transaction.on_commit(
            partial(
                notify,
                recipients=[question.asked_by],
                kind=QUESTION_ANSWERED_KIND,
                target=jury,
                actor=actor,
                title=_fill_lazy(
                    gettext_lazy("%(expert)s answered your question to the jury “%(title)s”"),
                    {"expert": question.answered_by_name, "title": jury.title},
                ),
                body=question.text[:200],
                url=reverse("juries:workspace_questions", args=[jury.slug]) + f"#question-{question.pk}",
            )
        )
    return question
