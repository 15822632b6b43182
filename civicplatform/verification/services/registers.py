"""Census and electoral lists: imported as keyed hashes, matched by the person themself.

The uploaded file is read in memory and never saved: only the HMAC of each
row reaches the database (see verification/identity.py).
"""

from __future__ import annotations

import csv
import datetime
import enum
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplatform.accounts.models import User, VerificationLevel
from civicplatform.core.services import audit_record
from civicplatform.verification.identity import identity_key, normalise_postal_code
from civicplatform.verification.models import (
    RegisterEntry,
    RegisterImport,
    RegisterKind,
    VerificationConflict,
    VerificationEvent,
    VerificationMethod,
)
from civicplatform.verification.services.levels import verification_grant, verification_log

BATCH_SIZE = 1000
MAX_INVALID_LINES_KEPT = 200
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
# French headers are accepted too: exports from the electoral software are French.
COLUMN_ALIASES = {
    "last_name": "last_name",
    "nom": "last_name",
    "nom_de_naissance": "last_name",
    "first_names": "first_names",
    "prenoms": "first_names",
    "prénoms": "first_names",
    "prenom": "first_names",
    "prénom": "first_names",
    "birth_date": "birth_date",
    "date_de_naissance": "birth_date",
    "date_naissance": "birth_date",
    "postal_code": "postal_code",
    "code_postal": "postal_code",
}
REQUIRED_COLUMNS = ("last_name", "first_names", "birth_date", "postal_code")
LEVEL_OF_KIND = {RegisterKind.CENSUS: VerificationLevel.RESIDENT, RegisterKind.ELECTORAL: VerificationLevel.ELECTOR}


def parse_birth_date(value: str) -> datetime.date | None:
    text = (value or "").strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time zone
        except ValueError:
            continue
    return None


@dataclass
class ParsedRegister:
    hashes: list[str] = field(default_factory=list)
    rows_read: int = 0
    invalid_lines: list[int] = field(default_factory=list)


def _decode(data: bytes) -> str:
    # Spreadsheets write UTF-8 with a byte-order mark, or Windows-1252 (older French Excel).
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def register_parse(data: bytes) -> ParsedRegister:
    """Hash every valid row of a register CSV; the clear text lives only in this function."""
    text = _decode(data)
    if not text.strip():
        raise ValidationError(_("The file is empty."))
    first_line = text.splitlines()[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect=dialect)
    header = next(reader, [])
    columns = [COLUMN_ALIASES.get(name.strip().lower().replace(" ", "_"), "") for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ValidationError(
            _("The first line must name the columns %(expected)s. Missing: %(missing)s.")
            % {"expected": ", ".join(REQUIRED_COLUMNS), "missing": ", ".join(missing)}
        )
    index = {name: columns.index(name) for name in REQUIRED_COLUMNS}
    parsed = ParsedRegister()
    seen: set[str] = set()
    for line_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        parsed.rows_read += 1
        try:
            values = {name: row[position].strip() for name, position in index.items()}
        except IndexError:
            parsed.invalid_lines.append(line_number)
            continue
        birth_date = parse_birth_date(values["birth_date"])
        postal_code = normalise_postal_code(values["postal_code"])
        if not values["last_name"] or not values["first_names"] or birth_date is None or len(postal_code) != 5:
            parsed.invalid_lines.append(line_number)
            continue
        key = identity_key(
            last_name=values["last_name"],
            first_names=values["first_names"],
            birth_date=birth_date,
            postal_code=postal_code,
        )
        if key not in seen:
            seen.add(key)
            parsed.hashes.append(key)
    if not parsed.hashes:
        raise ValidationError(_("No valid row in the file: check the dates (DD/MM/YYYY) and postal codes."))
    return parsed


def register_import(*, kind: str, data: bytes, uploaded_by: User | None, source_name: str = "", replace: bool = False):
    """Import a census or electoral-list CSV as keyed hashes.

    Entries already present are kept (with their claim). With `replace`,
    unclaimed entries of this register that the new file no longer lists are
    removed (people who moved out or left the list); claimed ones stay, so
    the person behind them still cannot verify a second account.
    """
    if kind not in RegisterKind.values:
        raise ValidationError(_("Unknown register."))
    parsed = register_parse(data)
    with transaction.atomic():
        batch = RegisterImport.objects.create(
            kind=kind,
            uploaded_by=uploaded_by,
            source_name=source_name[:255],
            replaced_previous=replace,
            rows_read=parsed.rows_read,
            rows_invalid=len(parsed.invalid_lines),
            invalid_lines=parsed.invalid_lines[:MAX_INVALID_LINES_KEPT],
        )
        before = RegisterEntry.objects.filter(kind=kind).count()
        for start in range(0, len(parsed.hashes), BATCH_SIZE):
            chunk = parsed.hashes[start : start + BATCH_SIZE]
            RegisterEntry.objects.bulk_create(
                [RegisterEntry(register_import=batch, seen_in=batch, kind=kind, key_hash=key) for key in chunk],
                ignore_conflicts=True,
            )
            RegisterEntry.objects.filter(kind=kind, key_hash__in=chunk).update(seen_in=batch)
        added = RegisterEntry.objects.filter(kind=kind).count() - before
        removed = 0
        if replace:
            removed, _details = (
                RegisterEntry.objects.filter(kind=kind, claimed_at__isnull=True).exclude(seen_in=batch).delete()
            )
        batch.rows_added = added
        batch.rows_already_present = len(parsed.hashes) - added
        batch.rows_removed = removed
        batch.save(update_fields=["rows_added", "rows_already_present", "rows_removed"])
        audit_record(
            action="verification.register_imported",
            actor=uploaded_by,
            target=batch,
            data={
                "kind": kind,
                "rows_read": batch.rows_read,
                "added": added,
                "already_present": batch.rows_already_present,
                "invalid": batch.rows_invalid,
                "removed": removed,
            },
        )
    return batch


class MatchStatus(enum.Enum):
    VERIFIED = "verified"
    NO_MATCH = "no_match"
    CONFLICT = "conflict"
    ALREADY_VERIFIED = "already_verified"
    OTHER_IDENTITY = "other_identity"


@dataclass(frozen=True)
class MatchResult:
    status: MatchStatus
    level: int = VerificationLevel.NONE
    conflicts: tuple[VerificationConflict, ...] = ()


def register_match(
    *,
    user: User,
    last_name: str,
    first_names: str,
    birth_date: datetime.date,
    postal_code: str,
    actor: User | None = None,
    method: str | None = None,
) -> MatchResult:
    """Verify `user` against the registers with the identity they typed (or staff typed at the desk).

    An unclaimed entry is claimed for `user` and raises their level (census →
    resident, electoral list → elector). An entry that already verified
    another account opens a conflict for staff and changes nothing. The rows
    are locked, so two accounts racing for the same entry cannot both win.
    """
    actor = actor or user
    postal_code = normalise_postal_code(postal_code)
    key = identity_key(last_name=last_name, first_names=first_names, birth_date=birth_date, postal_code=postal_code)
    with transaction.atomic():
        entries = list(RegisterEntry.objects.select_for_update().filter(key_hash=key).order_by("kind", "pk"))
        if not entries:
            return MatchResult(status=MatchStatus.NO_MATCH)
        taken = [entry for entry in entries if entry.is_claimed and entry.claimed_by_id != user.pk]
        if taken:
            return MatchResult(status=MatchStatus.CONFLICT, conflicts=_open_conflicts(user, taken, postal_code, actor))
        # One account, one identity: someone verified as X cannot add Y's electoral entry.
        if RegisterEntry.objects.filter(claimed_by=user).exclude(key_hash=key).exists():
            return MatchResult(status=MatchStatus.OTHER_IDENTITY)
        level = max(LEVEL_OF_KIND[RegisterKind(entry.kind)] for entry in entries)
        free = [entry for entry in entries if not entry.is_claimed]
        if not free:
            return MatchResult(status=MatchStatus.ALREADY_VERIFIED, level=level)
        try:
            # A savepoint: the unique (kind, account) constraint refuses a second identity for one account.
            with transaction.atomic():
                now = timezone.now()
                for entry in free:
                    claimed = RegisterEntry.objects.filter(pk=entry.pk, claimed_at__isnull=True).update(
                        claimed_by=user, claimed_at=now
                    )
                    if not claimed:
                        raise IntegrityError("entry claimed concurrently")
        except IntegrityError:
            return MatchResult(status=MatchStatus.OTHER_IDENTITY)
        if method is None:
            method = VerificationMethod.ELECTORAL if level >= VerificationLevel.ELECTOR else VerificationMethod.CENSUS
        verification_grant(
            user=user,
            level=level,
            method=method,
            actor=actor,
            postal_code=postal_code,
            on_behalf_of=user if actor.pk != user.pk else None,
            data={"registers": sorted({entry.kind for entry in entries})},
        )
    return MatchResult(status=MatchStatus.VERIFIED, level=level)


def _open_conflicts(
    user: User, entries: list[RegisterEntry], postal_code: str, actor: User
) -> tuple[VerificationConflict, ...]:
    conflicts = []
    for entry in entries:
        conflict, created = VerificationConflict.objects.get_or_create(
            entry=entry,
            claimant=user,
            status=VerificationConflict.Status.OPEN,
            defaults={"holder_id": entry.claimed_by_id, "postal_code": postal_code},
        )
        conflicts.append(conflict)
        if created:
            verification_log(
                user=user,
                kind=VerificationEvent.Kind.CONFLICT,
                method=entry.kind,
                actor=actor,
                data={"conflict": str(conflict.public_id)},
            )
    return tuple(conflicts)


def register_has_entries() -> bool:
    return RegisterEntry.objects.exists()
