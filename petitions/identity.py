"""Small pure helpers about signers: canonical e-mail, connection hash, quarter, encrypted identity."""

from __future__ import annotations

import base64
import datetime
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

# Providers that ignore dots in the local part, and aliases of the same mailbox.
DOT_INSENSITIVE_DOMAINS = {"gmail.com"}
DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower() if "@" in email else ""


def canonical_email(email: str) -> str:
    """“Jean.Dupont+petition@GoogleMail.com” → “jeandupont@gmail.com”.

    One mailbox answers to many spellings; comparing canonical forms keeps one
    person to one signature (the UK site added this after aliases were abused in 2019).
    """
    email = (email or "").strip().lower()
    if "@" not in email:
        return email
    local, domain = email.rsplit("@", 1)
    domain = DOMAIN_ALIASES.get(domain, domain)
    local = local.split("+", 1)[0]
    if domain in DOT_INSENSITIVE_DOMAINS:
        local = local.replace(".", "")
    return f"{local}@{domain}"


def ip_hash(ip: str) -> str:
    """A keyed hash of the client address: groups signatures without storing where they came from."""
    return salted_hmac("petitions.ip", ip or "").hexdigest()[:32]


def quarter_of(moment: datetime.datetime | None = None) -> str:
    """The civil quarter of a moment in the municipality's time zone, e.g. "2026-Q2"."""
    local = timezone.localtime(moment or timezone.now())
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


def next_quarter_start(moment: datetime.datetime | None = None) -> datetime.date:
    local = timezone.localtime(moment or timezone.now())
    first_month = ((local.month - 1) // 3) * 3 + 1
    if first_month == 10:
        return datetime.date(local.year + 1, 1, 1)
    return datetime.date(local.year, first_month + 3, 1)


def add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    """Same day `months` later, clamped to the end of shorter months (31 Aug + 6 months → 28/29 Feb)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(moment)


def _fernet() -> Fernet:
    secret = settings.PETITIONS_IDENTITY_KEY or f"petitions.identity:{settings.SECRET_KEY}"
    key = base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest())
    return Fernet(key)


def encrypt_identity(data: dict[str, str]) -> str:
    return _fernet().encrypt(json.dumps(data, ensure_ascii=False).encode()).decode()


def decrypt_identity(token: str) -> dict[str, str]:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except (InvalidToken, ValueError):
        return {}
