"""Keyed hashes of identities: how a register entry and a person's answer are compared.

Neither the census nor the electoral list is ever stored in clear. Each
person is reduced to HMAC-SHA256(VERIFICATION_HMAC_KEY, normalised last name |
first names | ISO birth date | postal code). Without the key, the hashes cannot
be reversed by trying every name and date; rotating the key means re-importing
the registers.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import secrets
import unicodedata

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Letters that survive NFKD unchanged but that people type as two letters.
LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "đ": "d", "ł": "l"})
NON_ALNUM_RE = re.compile(r"[\W_]+", re.UNICODE)
# No 0/O, 1/I/L: a code is read from paper and typed by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def _key() -> bytes:
    key = getattr(settings, "VERIFICATION_HMAC_KEY", "")
    if not key:
        raise ImproperlyConfigured("VERIFICATION_HMAC_KEY is empty: set it (or VERIFICATION_HMAC_KEY_FILE).")
    return key.encode()


def normalise_name(value: str) -> str:
    """“D’Almeida-Lefèvre ” → “dalmeidalefevre”.

    Accents, case, spaces, hyphens and apostrophes differ between a register
    and what a person types; letters and their order do not.
    """
    text = unicodedata.normalize("NFKD", (value or "").translate(LIGATURES))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return NON_ALNUM_RE.sub("", text.casefold())


def normalise_postal_code(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def identity_key(*, last_name: str, first_names: str, birth_date: datetime.date, postal_code: str) -> str:
    """The keyed hash of one identity, as stored in RegisterEntry.key_hash."""
    message = "|".join(
        [
            normalise_name(last_name),
            normalise_name(first_names),
            birth_date.isoformat(),
            normalise_postal_code(postal_code),
        ]
    )
    return hmac.new(_key(), message.encode(), hashlib.sha256).hexdigest()


def new_letter_code() -> str:
    """A random code for a letter, shown as ABCD-EFGH."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(value: str) -> str:
    return NON_ALNUM_RE.sub("", (value or "").upper())


def letter_code_hash(code: str) -> str:
    return hmac.new(_key(), b"letter:" + normalise_code(code).encode(), hashlib.sha256).hexdigest()


def letter_code_matches(code: str, expected_hash: str) -> bool:
    return hmac.compare_digest(letter_code_hash(code), expected_hash)
