"""E-mails to people who signed without an account (people with one get notifications)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import OfficialResponse, Signature


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _message(*, template: str, signature: Signature, context: dict) -> EmailMessage:
    from .services.signing import withdraw_token

    petition = signature.petition
    context = {
        "signature": signature,
        "petition": petition,
        "petition_url": absolute_url(petition.get_absolute_url()),
        "withdraw_url": absolute_url(reverse("petitions:withdraw_link", args=[withdraw_token(signature)])),
        **context,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"petitions/emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"petitions/emails/{template}.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[signature.email],
        headers={"Auto-Submitted": "auto-generated"},
    )


def confirmation_email(*, signature: Signature) -> EmailMessage:
    from .services.signing import confirmation_token

    url = absolute_url(reverse("petitions:confirm", args=[confirmation_token(signature)]))
    return _message(
        template="confirm",
        signature=signature,
        context={"confirm_url": url, "max_age_days": settings.PETITIONS_CONFIRM_MAX_AGE_DAYS},
    )


def already_signed_email(*, signature: Signature) -> EmailMessage:
    return _message(template="already_signed", signature=signature, context={})


def response_email(*, signature: Signature, response: OfficialResponse) -> EmailMessage:
    return _message(template="response", signature=signature, context={"response": response})
