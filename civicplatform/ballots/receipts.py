"""Receipt codes: random, easy to copy by hand, and never stored in clear.

A receipt is 16 symbols of Crockford's base 32 (digits and capitals without I, L, O
and U), printed in groups of four: `K7QF-2M9X-HT4P-W8CZ`. That is 80 random bits, so
nobody can find a receipt from its published hash by trying them all. Typing is
forgiving: case, spaces and dashes do not matter, and the letters left out of the
alphabet are read as the digits they look like (O as 0, I and L as 1).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
GROUP = 4
# Length of `voter_code`: 64 bits, unique in practice for any number of ballots a city casts.
VOTER_CODE_LENGTH = 16
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def receipt_new() -> str:
    # 16 symbols x 5 bits: exactly the 80 bits of 10 random bytes, one symbol per 5 bits.
    number = int.from_bytes(secrets.token_bytes(LENGTH * 5 // 8), "big")
    symbols = "".join(ALPHABET[(number >> shift) & 31] for shift in range(5 * (LENGTH - 1), -1, -5))
    return receipt_format(symbols)


def receipt_format(symbols: str) -> str:
    return "-".join(symbols[index : index + GROUP] for index in range(0, len(symbols), GROUP))


def receipt_normalise(text: str) -> str | None:
    """The canonical form of a typed receipt (`ABCD-EFGH-...`), or None if it cannot be one."""
    symbols = "".join(char for char in text.upper() if char.isalnum()).translate(_LOOKALIKES)
    if len(symbols) != LENGTH or any(char not in ALPHABET for char in symbols):
        return None
    return receipt_format(symbols)


def receipt_hash(receipt: str) -> str:
    """SHA-256 of the canonical receipt: what a ballot stores."""
    return hashlib.sha256(receipt.encode()).hexdigest()


def receipt_commitment(receipt: str, salt: str) -> str:
    """SHA-256 of salt + receipt: what the ledger stores; differs from every ballot's hash."""
    return hashlib.sha256(f"{salt}:{receipt}".encode()).hexdigest()


def commitment_matches(*, receipt: str, salt: str, commitment: str) -> bool:
    return hmac.compare_digest(receipt_commitment(receipt, salt), commitment)


def salt_new() -> str:
    return secrets.token_hex(16)


def voter_code(receipt_hash_hex: str) -> str:
    """A ballot's identifier in published files: the start of its receipt hash."""
    return receipt_hash_hex[:VOTER_CODE_LENGTH]
